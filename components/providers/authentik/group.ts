/**
 * A tenant's Authentik group, or a department child group (`department` + `parents`).
 * Type: `pulumi-nodejs:dynamic/authentik:Group`; id = the group's UUID (use `id`, which stays
 * known during a preview, wherever another resource refers to the group).
 */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";

export interface GroupArgs {
  /** Tenant slug; the group is named `dezky-<tenant>`. */
  tenant: string;
  /** Department slug: makes this the department group `dezky-<tenant>--<department>`. */
  department?: string;
  /** Parent group UUIDs (the tenant group's `id` for a department group). */
  parents?: pulumi.Input<pulumi.Input<string>[]>;
  /** Extra attributes besides the tenant slug and the ownership labels. */
  extraAttributes?: Record<string, string>;
  /** Take over an existing group with the same name that this program did not create. */
  adopt?: boolean;
}

export class Group extends DezkyResource {
  /** The group's UUID (the same as `id`). */
  declare readonly groupId: pulumi.Output<string>;
  declare readonly numPk: pulumi.Output<number>;
  /** The group name, e.g. `dezky-acme` (OCIS matches groups by this display name). */
  declare readonly name: pulumi.Output<string>;
  declare readonly attributes: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: GroupArgs, opts: DezkyResourceOptions) {
    super(
      "authentik:Group",
      "authentik",
      name,
      {
        ...args,
        groupId: undefined,
        numPk: undefined,
        name: undefined,
        attributes: undefined,
      },
      opts,
    );
  }
}
