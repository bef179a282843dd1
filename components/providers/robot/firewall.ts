import * as pulumi from "@pulumi/pulumi";
import type { RobotConnection, RobotHttpTuning } from "./client";
import { firewallProvider, type RobotRule } from "./firewall-provider";

export interface RobotFirewallArgs {
  /** Robot webservice URL and webservice user (secret). */
  connection: pulumi.Input<RobotConnection>;
  /** Robot server number of the dedicated server. */
  serverNumber: pulumi.Input<number>;
  /** At most 10 rules per direction, each named `dezky.<letters>` (Robot allows letters, space and . - + _ @). */
  rules: pulumi.Input<{ input: RobotRule[]; output: RobotRule[] }>;
  /** Filter IPv6 too (false: the host's nftables filters IPv6). */
  filterIpv6: pulumi.Input<boolean>;
  /** Let Hetzner services (DNS resolvers, rescue, monitoring) through. */
  whitelistHos: pulumi.Input<boolean>;
  tenant?: pulumi.Input<string>;
  /** Replace an active firewall whose rules this program did not write. */
  adopt?: pulumi.Input<boolean>;
  /** Poll interval while Robot applies a change, ms (default 5000). */
  pollMs?: pulumi.Input<number>;
  /** HTTP and rate-limit timing (tests); production keeps the defaults. */
  http?: RobotHttpTuning;
}

/** The Robot firewall of one dedicated server. The id is the server number. */
export class RobotFirewall extends pulumi.dynamic.Resource {
  declare readonly status: pulumi.Output<string>;
  declare readonly rules: pulumi.Output<{ input: RobotRule[]; output: RobotRule[] }>;

  constructor(name: string, args: RobotFirewallArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      firewallProvider,
      name,
      { ...args, connection: pulumi.secret(args.connection), status: undefined },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "robot",
      "Firewall",
    );
  }
}
