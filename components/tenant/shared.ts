/**
 * What every tenant sub-component receives: per service, the API connection its resources are
 * registered with and the readiness gate they wait for, and the data-safety options derived
 * from the lifecycle.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ApiConnection } from "@dezky/providers";

/** One service's API for the tenant layer: where its objects are made, once it answers. */
export interface ServiceApi {
  /** The connection (a provider resource holding the credential). */
  connection: ApiConnection;
  /** Exists only once the API answers; tenant resources depend on it. */
  ready: pulumi.Resource;
}

export interface TenantApis {
  authentik: ServiceApi;
  ocis: ServiceApi;
  stalwart: ServiceApi;
}

/** The platform zone the tenant's own names live in. */
export interface PlatformZone {
  /** Zone name, e.g. dezky.eu. */
  name: string;
  /** hcloud zone id or name (ZoneRrset.zone). */
  id: pulumi.Input<string>;
}

/** Options of a resource in `api`'s service: registered with its connection, after its gate. */
export function apiOptions(
  parent: pulumi.Resource,
  api: ServiceApi,
): pulumi.CustomResourceOptions & { provider: ApiConnection } {
  return { parent, provider: api.connection, dependsOn: [api.ready] };
}

/**
 * Options for resources that hold customer data: never deleted by accident. In production they
 * are also protected; only a purge (offboarded, retention expired, purge: true) lifts both.
 */
export function dataOptions(
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[],
  production: boolean,
  purgeAllowed: boolean,
): pulumi.CustomResourceOptions {
  return {
    parent,
    dependsOn,
    retainOnDelete: !purgeAllowed,
    protect: production && !purgeAllowed,
  };
}

/** The slug external objects are named by: the first one the tenant had (renames keep it). */
export function externalSlug(tenant: { slug: string; renamedFrom?: string[] }): string {
  return tenant.renamedFrom?.[0] ?? tenant.slug;
}
