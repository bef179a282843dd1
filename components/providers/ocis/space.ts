/** A tenant's OCIS project space. The resource id is the drive id. */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";

export interface OcisSpaceArgs {
  /** Tenant slug: written into the space's marker and named in errors. */
  tenant: pulumi.Input<string>;
  /** Stable key of the space within the tenant: "main" or the department slug. */
  key: pulumi.Input<string>;
  /** Display name; characters OCIS rejects (`/ \ . : ? * " > < |`) become "-". */
  name: pulumi.Input<string>;
  /** Optional text shown under the name in OCIS Web. */
  description?: pulumi.Input<string>;
  /** Quota in bytes from the tenant's plan or space entry; 0 = unlimited. */
  quotaBytes: pulumi.Input<number>;
  /** false disables the space (suspended or offboarded tenant); true restores it. */
  enabled: pulumi.Input<boolean>;
  /**
   * Purge the space when this resource is deleted. Set only for an offboarded tenant whose
   * retainUntil has passed and whose file says purge: the provider refuses it otherwise.
   */
  purgeOnDelete?: pulumi.Input<boolean>;
  /** End of the retention period (ISO date), required with purgeOnDelete. */
  retainUntil?: pulumi.Input<string>;
  /** Take over an existing space of the same name that this program did not create. */
  adopt?: pulumi.Input<boolean>;
}

export class OcisSpace extends DezkyResource {
  /** The drive id (the same as `id`; refer to `id`, which a preview keeps known). */
  declare readonly driveId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly driveAlias: pulumi.Output<string>;
  declare readonly webUrl: pulumi.Output<string>;
  declare readonly webDavUrl: pulumi.Output<string>;
  declare readonly quotaBytes: pulumi.Output<number>;
  declare readonly enabled: pulumi.Output<boolean>;

  constructor(name: string, args: OcisSpaceArgs, opts: DezkyResourceOptions) {
    super(
      "ocis:Space",
      "ocis",
      name,
      {
        ...args,
        driveId: undefined,
        driveAlias: undefined,
        webUrl: undefined,
        webDavUrl: undefined,
      },
      opts,
    );
  }
}
