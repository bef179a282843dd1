/** The Robot firewall of one dedicated server. The id is the server number. */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";
import type { RobotRule } from "./firewall.runtime";

export interface RobotFirewallArgs {
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
}

export class RobotFirewall extends DezkyResource {
  declare readonly status: pulumi.Output<string>;
  declare readonly rules: pulumi.Output<{ input: RobotRule[]; output: RobotRule[] }>;

  /** `opts.provider`: the `robot` ApiConnection (the webservice user). */
  constructor(name: string, args: RobotFirewallArgs, opts: DezkyResourceOptions) {
    super("robot:Firewall", "robot", name, { ...args, status: undefined }, opts);
  }
}
