import * as pulumi from "@pulumi/pulumi";
import type { OcisConnection } from "./client";
import { spaceProvider } from "./space-provider";

export interface OcisSpaceArgs {
  /** OCIS base URL and service bearer token (secret). */
  connection: pulumi.Input<OcisConnection>;
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

/** A tenant's OCIS project space. The resource id is the drive id. */
export class OcisSpace extends pulumi.dynamic.Resource {
  declare readonly driveId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly driveAlias: pulumi.Output<string>;
  declare readonly webUrl: pulumi.Output<string>;
  declare readonly webDavUrl: pulumi.Output<string>;
  declare readonly quotaBytes: pulumi.Output<number>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly connection: pulumi.Output<OcisConnection>;

  constructor(name: string, args: OcisSpaceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      spaceProvider,
      name,
      {
        ...args,
        connection: pulumi.secret(args.connection),
        driveId: undefined,
        driveAlias: undefined,
        webUrl: undefined,
        webDavUrl: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "ocis",
      "Space",
    );
  }
}
