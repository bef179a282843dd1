/** A reverse DNS entry of a dedicated server's IP (Robot webservice). The id is the IP. */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";

export interface RobotRdnsArgs {
  /** IPv4 or IPv6 address of the dedicated server. */
  ip: pulumi.Input<string>;
  /** The PTR name, e.g. mail.dezky.eu. */
  ptr: pulumi.Input<string>;
  /** Tenant slug for error messages (platform resources leave it empty). */
  tenant?: pulumi.Input<string>;
  /** Take over a PTR someone else set (Hetzner's default name is taken over without it). */
  adopt?: pulumi.Input<boolean>;
}

export class RobotRdns extends DezkyResource {
  declare readonly ip: pulumi.Output<string>;
  declare readonly ptr: pulumi.Output<string>;
  declare readonly adoptedFrom: pulumi.Output<string | undefined>;

  /** `opts.provider`: the `robot` ApiConnection (the webservice user). */
  constructor(name: string, args: RobotRdnsArgs, opts: DezkyResourceOptions) {
    super("robot:Rdns", "robot", name, { ...args, adoptedFrom: undefined }, opts);
  }
}
