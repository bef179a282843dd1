import * as pulumi from "@pulumi/pulumi";
import type { OcisConnection } from "./client";
import type { SpaceRole } from "./names";
import { spaceMemberProvider } from "./space-member-provider";

export interface OcisSpaceMemberArgs {
  /** OCIS base URL and service bearer token (secret). */
  connection: pulumi.Input<OcisConnection>;
  /** Tenant slug, named in errors. */
  tenant: pulumi.Input<string>;
  /** The space: OcisSpace.driveId. */
  driveId: pulumi.Input<string>;
  /** The tenant's or department's group: OcisGroup.groupId. */
  groupId: pulumi.Input<string>;
  /** Role from the tenant file: "viewer" | "editor" | "manager". */
  role: pulumi.Input<SpaceRole>;
  /** Take over an existing grant of this group that this program did not make. */
  adopt?: pulumi.Input<boolean>;
}

/** A group's membership of a project space. The resource id is the permission id `g:<groupId>`. */
export class OcisSpaceMember extends pulumi.dynamic.Resource {
  declare readonly permissionId: pulumi.Output<string>;
  declare readonly roleId: pulumi.Output<string>;
  declare readonly role: pulumi.Output<SpaceRole>;
  declare readonly connection: pulumi.Output<OcisConnection>;

  constructor(name: string, args: OcisSpaceMemberArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      spaceMemberProvider,
      name,
      {
        ...args,
        connection: pulumi.secret(args.connection),
        permissionId: undefined,
        roleId: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "ocis",
      "SpaceMember",
    );
  }
}
