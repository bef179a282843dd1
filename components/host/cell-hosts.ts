/**
 * Builds the hosts of one cell: the primary (env.host, carries mail) and the extra nodes
 * (env.extraNodes), each Cloud or dedicated by its spec. Hosts are made first, then converged
 * with the addresses of their peers, so the firewalls of a multi-node cell admit each other
 * without a dependency cycle.
 */
import type * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, HostSpec } from "../../stacks/schema";
import type { StackSecrets } from "../../stacks/secrets";
import { CloudHost } from "./cloud-host";
import { DedicatedHost } from "./dedicated-host";

export interface CellHostsArgs {
  env: Environment;
  secrets: StackSecrets;
  robotUrl?: string;
}

export interface ExtraNodeHost {
  name: string;
  role: "agent" | "server";
  host: CloudHost | DedicatedHost;
}

export interface CellHosts {
  primary: CloudHost | DedicatedHost;
  extra: ExtraNodeHost[];
}

function makeHost(
  name: string,
  spec: HostSpec,
  nodeName: string,
  mailHost: boolean,
  args: CellHostsArgs,
  opts: pulumi.ComponentResourceOptions,
  shared: { sshKeys?: hcloud.SshKey[] },
): CloudHost | DedicatedHost {
  const common = { env: args.env, nodeName, mailHost, secrets: args.secrets };
  if (spec.kind !== "cloud") {
    return new DedicatedHost(name, { ...common, spec, robotUrl: args.robotUrl }, opts);
  }
  // One set of admin keys per cell: the first Cloud host registers them, the others reuse them.
  const host = new CloudHost(name, { ...common, spec, sshKeys: shared.sshKeys }, opts);
  shared.sshKeys ??= host.sshKeys;
  return host;
}

/** Component names: `<cell>-host` for the primary, `<cell>-node-<name>` for extra nodes. */
export function createCellHosts(
  args: CellHostsArgs,
  opts: pulumi.ComponentResourceOptions,
): CellHosts {
  const { env } = args;
  const shared: { sshKeys?: hcloud.SshKey[] } = {};
  const primary = makeHost(`${env.cell}-host`, env.host, env.cell, true, args, opts, shared);
  const extra = env.extraNodes.map((node) => ({
    name: node.name,
    role: node.role,
    host: makeHost(
      `${env.cell}-node-${node.name}`,
      node.host,
      node.name,
      false,
      args,
      opts,
      shared,
    ),
  }));
  const all = [primary, ...extra.map((e) => e.host)];
  for (const host of all) {
    const others = all.filter((h) => h !== host);
    host.converge(others.length ? pulumi.all(others.flatMap((h) => [h.ipv4, h.ipv6])) : []);
  }
  return { primary, extra };
}
