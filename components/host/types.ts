/** The host interface every later block consumes (k3s, Stalwart on the host, backups). */
import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { EuLocation } from "../../stacks/schema";

export type HostKind = "cloud" | "dedicated";

export interface CellHost {
  kind: HostKind;
  /** Node name inside the cell (the primary is the cell id). */
  nodeName: string;
  location: EuLocation;
  /** Public IPv4 address. */
  ipv4: pulumi.Output<string>;
  /** The host's public IPv6 address (not the /64). */
  ipv6: pulumi.Output<string>;
  /** SSH as root with the deploy key (secret) and the pinned host key. */
  connection: command.types.input.remote.ConnectionArgs;
  /** Depend on this before running anything on the host: it is converged (packages, firewall). */
  ready: pulumi.Resource;
}

/** Hetzner's address of a host inside its IPv6 /64: Cloud servers use ::1, installimage ::2. */
export function hostAddressInNet(net: string, suffix: 1 | 2): string {
  const prefix = net.split("/")[0].replace(/::$/, "").replace(/:0$/, "");
  return `${prefix}::${suffix}`;
}
