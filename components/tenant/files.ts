/**
 * A tenant's files in OCIS: the tenant and department groups (same display names as in
 * Authentik, created ahead of the first login), one project space per `spaces` entry with its
 * quota, and each space granted to its group with the file's role.
 */
import * as pulumi from "@pulumi/pulumi";
import { ocis } from "@dezky/providers";
import { identityGroupNames } from "./identity";
import type { TenantLifecycle } from "./lifecycle";
import { apiOptions, dataOptions, type ServiceApi } from "./shared";
import type { TenantSpec } from "./spec";

const { OcisGroup, OcisSpace, OcisSpaceMember } = ocis;

export const TENANT_FILES_TYPE = "dezky:tenant:TenantFiles";

const GB = 1024 ** 3;

export interface TenantFilesArgs {
  tenant: TenantSpec;
  /** OCIS: its connection and readiness gate. */
  api: ServiceApi;
  lifecycle: TenantLifecycle;
  production: boolean;
}

export class TenantFiles extends pulumi.ComponentResource {
  readonly groups: Record<string, ocis.OcisGroup>;
  readonly spaces: Record<string, ocis.OcisSpace>;
  readonly members: ocis.OcisSpaceMember[];

  constructor(name: string, args: TenantFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TENANT_FILES_TYPE, name, {}, opts);
    const { tenant, lifecycle } = args;
    const names = identityGroupNames(tenant);
    const child = apiOptions(this, args.api);
    // Groups carry who may see which space (identity data): protected like the spaces.
    const groupOptions = {
      ...dataOptions(this, [args.api.ready], args.production, lifecycle.purgeAllowed),
      provider: args.api.connection,
    };

    this.groups = {
      all: new OcisGroup(
        `${name}-group`,
        { tenant: tenant.slug, displayName: names.tenant },
        groupOptions,
      ),
    };
    for (const [dept, displayName] of Object.entries(names.departments)) {
      this.groups[dept] = new OcisGroup(
        `${name}-group-${dept}`,
        { tenant: tenant.slug, displayName },
        groupOptions,
      );
    }

    this.spaces = {};
    this.members = [];
    for (const space of tenant.spaces) {
      const resource = new OcisSpace(
        `${name}-space-${space.key}`,
        {
          tenant: tenant.slug,
          key: space.key,
          name: space.name,
          description: `${tenant.displayName}: ${space.name}`,
          quotaBytes: space.quotaGb * GB,
          enabled: lifecycle.spacesEnabled,
          purgeOnDelete: lifecycle.purgeAllowed,
          retainUntil: tenant.retainUntil,
        },
        {
          ...dataOptions(this, [args.api.ready], args.production, lifecycle.purgeAllowed),
          provider: args.api.connection,
        },
      );
      this.spaces[space.key] = resource;
      this.members.push(
        new OcisSpaceMember(
          `${name}-member-${space.key}`,
          {
            tenant: tenant.slug,
            // Ids, not outputs: they stay known while the space or group updates, so a
            // preview never plans a membership replacement that cannot happen.
            driveId: resource.id,
            groupId: this.groups[space.grantTo].id,
            role: space.role,
          },
          child,
        ),
      );
    }
    this.registerOutputs({
      spaceIds: Object.fromEntries(Object.entries(this.spaces).map(([k, s]) => [k, s.id])),
    });
  }
}
