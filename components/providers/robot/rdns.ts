import * as pulumi from "@pulumi/pulumi";
import type { RobotConnection, RobotHttpTuning } from "./client";
import { rdnsProvider } from "./rdns-provider";

export interface RobotRdnsArgs {
  /** Robot webservice URL and webservice user (secret). */
  connection: pulumi.Input<RobotConnection>;
  /** IPv4 or IPv6 address of the dedicated server. */
  ip: pulumi.Input<string>;
  /** The PTR name, e.g. mail.dezky.eu. */
  ptr: pulumi.Input<string>;
  /** Tenant slug for error messages (platform resources leave it empty). */
  tenant?: pulumi.Input<string>;
  /** Take over a PTR someone else set (Hetzner's default name is taken over without it). */
  adopt?: pulumi.Input<boolean>;
  /** HTTP and rate-limit timing (tests); production keeps the defaults. */
  http?: RobotHttpTuning;
}

/** A reverse DNS entry of a dedicated server's IP (Robot webservice). The id is the IP. */
export class RobotRdns extends pulumi.dynamic.Resource {
  declare readonly ip: pulumi.Output<string>;
  declare readonly ptr: pulumi.Output<string>;
  declare readonly adoptedFrom: pulumi.Output<string | undefined>;

  constructor(name: string, args: RobotRdnsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      rdnsProvider,
      name,
      { ...args, connection: pulumi.secret(args.connection), adoptedFrom: undefined },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "robot",
      "Rdns",
    );
  }
}
