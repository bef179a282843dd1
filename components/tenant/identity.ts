/**
 * A tenant's identity in Authentik: the tenant group (reserved prefix), one child group per
 * department, a confidential OIDC provider and the launcher application bound to the tenant
 * group only. The application and its binding are one resource, created bound, so no moment
 * exists in which other tenants' users could reach it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Tenant } from "../../tenants/schema";
import { Application, Group, OAuth2Provider, tenantGroupName } from "../providers/authentik";
import type { AuthentikConnection } from "../providers/authentik";
import { dataOptions } from "./shared";

export const TENANT_IDENTITY_TYPE = "dezky:tenant:TenantIdentity";

export interface TenantIdentityArgs {
  tenant: Tenant;
  connection: pulumi.Input<AuthentikConnection>;
  /** The tenant's portal URL (launch URL and OIDC redirect base). */
  portalUrl: string;
  /** false = suspended or offboarded: the application stops accepting logins. */
  loginsEnabled: boolean;
  /** The Authentik readiness gate. */
  ready: pulumi.Resource;
  /** Groups hold identity data (who belongs to the tenant): protected in production until a purge. */
  production: boolean;
  purgeAllowed: boolean;
}

export class TenantIdentity extends pulumi.ComponentResource {
  readonly group: Group;
  readonly departmentGroups: Record<string, Group>;
  readonly oidc: OAuth2Provider;
  readonly application: Application;

  constructor(name: string, args: TenantIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TENANT_IDENTITY_TYPE, name, {}, opts);
    const { tenant, connection } = args;
    const child = { parent: this, dependsOn: [args.ready] };
    const data = dataOptions(this, [args.ready], args.production, args.purgeAllowed);

    this.group = new Group(`${name}-group`, { connection, tenant: tenant.slug }, data);
    this.departmentGroups = Object.fromEntries(
      tenant.departments.map((d) => [
        d.slug,
        new Group(
          `${name}-group-${d.slug}`,
          { connection, tenant: tenant.slug, department: d.slug, parents: [this.group.groupId] },
          data,
        ),
      ]),
    );
    this.oidc = new OAuth2Provider(
      `${name}-oidc`,
      {
        connection,
        tenant: tenant.slug,
        redirectUris: [`${args.portalUrl}/auth/callback`],
        logoutRedirectUris: [`${args.portalUrl}/`],
      },
      child,
    );
    this.application = new Application(
      `${name}-app`,
      {
        connection,
        tenant: tenant.slug,
        name: tenant.displayName,
        provider: this.oidc.providerId,
        accessGroup: this.group.groupId,
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
export function identityGroupNames(tenant: Tenant): {
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
