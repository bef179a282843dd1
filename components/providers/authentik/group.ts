/**
 * A tenant's Authentik group, or a department child group (`department` + `parents`).
 * Type: `pulumi-nodejs:dynamic/authentik:Group`; id = the group's UUID.
 */
import * as pulumi from "@pulumi/pulumi";
import { groupProvider } from "./group-provider";
import type { AuthentikConnection, HttpTuning } from "./session";

export interface GroupArgs {
  /** Authentik URL and API token (secret). */
  connection: pulumi.Input<AuthentikConnection>;
  /** Tenant slug; the group is named `dezky-<tenant>`. */
  tenant: string;
  /** Department slug: makes this the department group `dezky-<tenant>--<department>`. */
  department?: string;
  /** Parent group UUIDs (the tenant group for a department group). */
  parents?: pulumi.Input<pulumi.Input<string>[]>;
  /** Extra attributes besides the tenant slug and the ownership marker. */
  extraAttributes?: Record<string, string>;
  /** Take over an existing group with the same name that this program did not create. */
  adopt?: boolean;
  /** HTTP timeouts (tests); production keeps the defaults. */
  http?: HttpTuning;
}

export class Group extends pulumi.dynamic.Resource {
  /** The group's UUID (use as `parents` of department groups and in the application). */
  declare readonly groupId: pulumi.Output<string>;
  declare readonly numPk: pulumi.Output<number>;
  /** The group name, e.g. `dezky-acme` (OCIS matches groups by this display name). */
  declare readonly name: pulumi.Output<string>;
  declare readonly attributes: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      groupProvider,
      name,
      { ...args, groupId: undefined, numPk: undefined, name: undefined, attributes: undefined },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "authentik",
      "Group",
    );
  }
}
