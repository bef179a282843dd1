/**
 * A tenant's files in OCIS: the tenant and department groups (same display names as in
 * Authentik, created ahead of the first login), one project space per `spaces` entry with its
 * quota, and each space granted to its group with the file's role.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Tenant } from "../../tenants/schema";
import { OcisGroup, OcisSpace, OcisSpaceMember } from "../providers/ocis";
import type { OcisConnection } from "../providers/ocis";
import { identityGroupNames } from "./identity";
import type { TenantLifecycle } from "./lifecycle";
import { dataOptions } from "./shared";

export const TENANT_FILES_TYPE = "dezky:tenant:TenantFiles";

const GB = 1024 ** 3;

export interface TenantFilesArgs {
  tenant: Tenant;
  connection: pulumi.Input<OcisConnection>;
  lifecycle: TenantLifecycle;
  production: boolean;
  /** The OCIS readiness gate. */
  ready: pulumi.Resource;
}

export class TenantFiles extends pulumi.ComponentResource {
  readonly groups: Record<string, OcisGroup>;
  readonly spaces: Record<string, OcisSpace>;
  readonly members: OcisSpaceMember[];

  constructor(name: string, args: TenantFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TENANT_FILES_TYPE, name, {}, opts);
    const { tenant, connection, lifecycle } = args;
    const names = identityGroupNames(tenant);
    const child = { parent: this, dependsOn: [args.ready] };
    // Groups carry who may see which space (identity data): protected like the spaces.
    const groupOptions = dataOptions(this, [args.ready], args.production, lifecycle.purgeAllowed);

    this.groups = {
      all: new OcisGroup(
        `${name}-group`,
        { connection, tenant: tenant.slug, displayName: names.tenant },
        groupOptions,
      ),
    };
    for (const [dept, displayName] of Object.entries(names.departments)) {
      this.groups[dept] = new OcisGroup(
        `${name}-group-${dept}`,
        { connection, tenant: tenant.slug, displayName },
        groupOptions,
      );
    }

    this.spaces = {};
    this.members = [];
    for (const space of tenant.spaces) {
      const resource = new OcisSpace(
        `${name}-space-${space.key}`,
        {
          connection,
          tenant: tenant.slug,
          key: space.key,
          name: space.name,
          description: `${tenant.displayName}: ${space.name}`,
          quotaBytes: space.quotaGb * GB,
          enabled: lifecycle.spacesEnabled,
          purgeOnDelete: lifecycle.purgeAllowed,
          retainUntil: tenant.retainUntil,
        },
        dataOptions(this, [args.ready], args.production, lifecycle.purgeAllowed),
      );
      this.spaces[space.key] = resource;
      this.members.push(
        new OcisSpaceMember(
          `${name}-member-${space.key}`,
          {
            connection,
            tenant: tenant.slug,
            driveId: resource.driveId,
            groupId: this.groups[space.grantTo].groupId,
            role: space.role,
          },
          child,
        ),
      );
    }
    this.registerOutputs({
      spaceIds: Object.fromEntries(Object.entries(this.spaces).map(([k, s]) => [k, s.driveId])),
    });
  }
}
