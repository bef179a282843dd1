/**
 * A tenant's identity in Authentik: the tenant group (reserved prefix), one child group per
 * department, a confidential OIDC provider and the launcher application bound to the tenant
 * group only. The application and its binding are one resource, created bound, so no moment
 * exists in which other tenants' users could reach it.
 */
import * as pulumi from "@pulumi/pulumi";
import { authentik } from "@dezky/providers";
import { apiOptions, dataOptions, type ServiceApi } from "./shared";
import type { TenantSpec } from "./spec";

const { Application, Group, OAuth2Provider, tenantGroupName } = authentik;

export const TENANT_IDENTITY_TYPE = "dezky:tenant:TenantIdentity";

export interface TenantIdentityArgs {
  tenant: TenantSpec;
  /** Authentik: its connection and readiness gate. */
  api: ServiceApi;
  /** The tenant's portal URL (launch URL and OIDC redirect base). */
  portalUrl: string;
  /** false = suspended or offboarded: the application stops accepting logins. */
  loginsEnabled: boolean;
  /** Groups hold identity data (who belongs to the tenant): protected in production until a purge. */
  production: boolean;
  purgeAllowed: boolean;
}

export class TenantIdentity extends pulumi.ComponentResource {
  readonly group: authentik.Group;
  readonly departmentGroups: Record<string, authentik.Group>;
  readonly oidc: authentik.OAuth2Provider;
  readonly application: authentik.Application;

  constructor(name: string, args: TenantIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TENANT_IDENTITY_TYPE, name, {}, opts);
    const { tenant } = args;
    const child = apiOptions(this, args.api);
    const data = {
      ...dataOptions(this, [args.api.ready], args.production, args.purgeAllowed),
      provider: args.api.connection,
    };

    this.group = new Group(`${name}-group`, { tenant: tenant.slug }, data);
    this.departmentGroups = Object.fromEntries(
      tenant.departments.map((d) => [
        d.slug,
        new Group(
          `${name}-group-${d.slug}`,
          // The group's id, not an output: it stays known while the group updates.
          { tenant: tenant.slug, department: d.slug, parents: [this.group.id] },
          data,
        ),
      ]),
    );
    this.oidc = new OAuth2Provider(
      `${name}-oidc`,
      {
        tenant: tenant.slug,
        redirectUris: [`${args.portalUrl}/auth/callback`],
        logoutRedirectUris: [`${args.portalUrl}/`],
      },
      child,
    );
    this.application = new Application(
      `${name}-app`,
      {
        tenant: tenant.slug,
        name: tenant.displayName,
        // Ids, not outputs: known while the provider or group updates (a preview would
        // otherwise show the application changing when neither id can).
        provider: this.oidc.id,
        accessGroup: this.group.id,
        launchUrl: args.portalUrl,
        icon: tenant.branding.logoUrl,
        description: tenant.branding.description,
        publisher: tenant.displayName,
        policyEngineMode: "any",
        enabled: args.loginsEnabled,
      },
      child,
    );
    this.registerOutputs({ groupId: this.group.groupId, applicationSlug: this.application.slug });
  }
}

/** The Authentik group names of a tenant, in the order OCIS needs them. */
export function identityGroupNames(tenant: Pick<TenantSpec, "slug" | "departments">): {
  tenant: string;
  departments: Record<string, string>;
} {
  return {
    tenant: tenantGroupName(tenant.slug),
    departments: Object.fromEntries(
      tenant.departments.map((d) => [d.slug, tenantGroupName(tenant.slug, d.slug)]),
    ),
  };
}
