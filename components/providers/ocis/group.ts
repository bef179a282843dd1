/** The OCIS group matching a tenant's Authentik group. The resource id is the group id. */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";

export interface OcisGroupArgs {
  /** Tenant slug, named in errors. */
  tenant: pulumi.Input<string>;
  /** Exact display name of the tenant's (or department's) Authentik group. */
  displayName: pulumi.Input<string>;
  /** Take over an existing OCIS group of that name (e.g. synced at a login). */
  adopt?: pulumi.Input<boolean>;
}

export class OcisGroup extends DezkyResource {
  /** The group id (the same as `id`; refer to `id`, which a preview keeps known). */
  declare readonly groupId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;

  constructor(name: string, args: OcisGroupArgs, opts: DezkyResourceOptions) {
    super("ocis:Group", "ocis", name, { ...args, groupId: undefined }, opts);
  }
}
