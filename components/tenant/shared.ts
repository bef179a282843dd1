/**
 * What every tenant sub-component receives: the connections to the service APIs, the
 * readiness gates they must wait for, and the data-safety options derived from the lifecycle.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AuthentikConnection } from "../providers/authentik";
import type { OcisConnection } from "../providers/ocis";
import type { StalwartConnection } from "../providers/stalwart";

export interface TenantConnections {
  authentik: pulumi.Input<AuthentikConnection>;
  ocis: pulumi.Input<OcisConnection>;
  stalwart: pulumi.Input<StalwartConnection>;
}

/** Resources that exist only once each API answers; tenant resources depend on them. */
export interface TenantReadiness {
  authentik: pulumi.Resource;
  ocis: pulumi.Resource;
  stalwart: pulumi.Resource;
}

/** The platform zone the tenant's own names live in. */
export interface PlatformZone {
  /** Zone name, e.g. dezky.eu. */
  name: string;
  /** hcloud zone id or name (ZoneRrset.zone). */
  id: pulumi.Input<string>;
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
