/** A group's membership of a project space. The resource id is the permission id `g:<groupId>`. */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";
import type { SpaceRole } from "./names";

export interface OcisSpaceMemberArgs {
  /** Tenant slug, named in errors. */
  tenant: pulumi.Input<string>;
  /** The space: `OcisSpace.id` (known during a preview, unlike its outputs). */
  driveId: pulumi.Input<string>;
  /** The tenant's or department's group: `OcisGroup.id`. */
  groupId: pulumi.Input<string>;
  /** Role from the tenant file: "viewer" | "editor" | "manager". */
  role: pulumi.Input<SpaceRole>;
  /** Take over an existing grant of this group that this program did not make. */
  adopt?: pulumi.Input<boolean>;
}

export class OcisSpaceMember extends DezkyResource {
  declare readonly permissionId: pulumi.Output<string>;
  declare readonly roleId: pulumi.Output<string>;
  declare readonly role: pulumi.Output<SpaceRole>;

  constructor(name: string, args: OcisSpaceMemberArgs, opts: DezkyResourceOptions) {
    super(
      "ocis:SpaceMember",
      "ocis",
      name,
      { ...args, permissionId: undefined, roleId: undefined },
      opts,
    );
  }
}
