/**
 * Converges a host over SSH, the same way for both kinds: each step is a remote command whose
 * trigger is the hash of the script it runs, so changing a rule re-runs that step only and
 * never touches the machine itself.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { renderNftables } from "./firewall-render";
import {
  basePackagesScript,
  contentHash,
  nftablesScript,
  unattendedUpgradesScript,
} from "./host-scripts";
import { authorizedKeysScript, checkDeployKeyKept, sshdHardeningScript } from "./sshd-scripts";

export interface ConvergeArgs {
  connection: command.types.input.remote.ConnectionArgs;
  adminCidrs: string[];
  adminSshKeys: string[];
  peers: pulumi.Input<string[]>;
  /** Run after this (e.g. the adoption check or the server). */
  after: pulumi.Resource[];
}

/** Creates the convergence steps as children of `parent`; returns the last one. */
export function converge(
  name: string,
  args: ConvergeArgs,
  parent: pulumi.Resource,
  opts: pulumi.CustomResourceOptions = {},
): command.remote.Command {
  let previous: pulumi.Resource[] = args.after;
  const step = (role: string, script: pulumi.Input<string>): command.remote.Command => {
    const cmd = new command.remote.Command(
      `${name}-${role}`,
      {
        connection: args.connection,
        create: script,
        triggers: [pulumi.output(script).apply(contentHash)],
      },
      { ...opts, parent, dependsOn: previous },
    );
    previous = [cmd];
    return cmd;
  };
  step("packages", basePackagesScript());
  // sshd first: its ExposeAuthInfo lets the authorized-keys step see the deploy's own key.
  step("sshd", sshdHardeningScript());
  const keysScript = authorizedKeysScript(args.adminSshKeys);
  step(
    "authorized-keys",
    // The script holds no secret; the plan-time check reads the (secret) deploy key.
    pulumi.unsecret(
      pulumi.output(args.connection.privateKey).apply((privateKey) => {
        checkDeployKeyKept(privateKey ?? "", args.adminSshKeys);
        return keysScript;
      }),
    ),
  );
  step(
    "nftables",
    pulumi
      .output(args.peers)
      .apply((peers) => nftablesScript(renderNftables({ adminCidrs: args.adminCidrs, peers }))),
  );
  return step("unattended-upgrades", unattendedUpgradesScript());
}
