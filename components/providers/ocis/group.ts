import * as pulumi from "@pulumi/pulumi";
import type { OcisConnection } from "./client";
import { groupProvider } from "./group-provider";

export interface OcisGroupArgs {
  /** OCIS base URL and service bearer token (secret). */
  connection: pulumi.Input<OcisConnection>;
  /** Tenant slug, named in errors and in the group's marker. */
  tenant: pulumi.Input<string>;
  /** Exact display name of the tenant's (or department's) Authentik group. */
  displayName: pulumi.Input<string>;
  /** Take over an existing OCIS group of that name (e.g. synced at a login). */
  adopt?: pulumi.Input<boolean>;
}

/** The OCIS group matching a tenant's Authentik group. The resource id is the group id. */
export class OcisGroup extends pulumi.dynamic.Resource {
  declare readonly groupId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly connection: pulumi.Output<OcisConnection>;

  constructor(name: string, args: OcisGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      groupProvider,
      name,
      { ...args, connection: pulumi.secret(args.connection), groupId: undefined },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "ocis",
      "Group",
    );
  }
}
