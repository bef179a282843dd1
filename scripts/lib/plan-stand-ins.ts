/**
 * Stand-ins for the tenants the fast path leaves out, for the policy rules that judge the stack
 * as a whole. `cell-capacity` counts a stack's tenants (the `tenant` input of their dynamic
 * resources) and adds up their OCIS space quotas; an unchanged tenant is represented by exactly
 * that: one OCIS space per space of its file, with the tenant's external slug and its quota in
 * bytes, as components/tenant/files.ts registers them. `cost-ceiling` adds up prices, and tenant
 * resources have none (the fast path checks every tenant it runs).
 *
 * Findings on stand-ins are never reported (the PR view drops URNs it does not know), and the
 * equivalence test compares the stack-wide findings of both paths on every tenant shape.
 */
import type { Tenant } from "../../tenants/schema";
import type { InventoryResource } from "./mock-run";

/** components/tenant/files.ts: quotas are whole GiB. */
const GIB = 1024 ** 3;
const SPACE_TYPE = "pulumi-nodejs:dynamic/ocis:Space";
export const STAND_IN_PREFIX = "urn:dezky:stand-in:";

/** The slug external objects carry (components/tenant/shared.ts externalSlug). */
function externalSlug(t: Tenant): string {
  return t.renamedFrom[0] ?? t.slug;
}

export function standIns(tenants: Tenant[]): InventoryResource[] {
  return tenants.flatMap((t) =>
    t.spaces.map((s) => ({
      urn: `${STAND_IN_PREFIX}${t.slug}:${s.key}`,
      type: SPACE_TYPE,
      name: `${t.slug}-${s.key}`,
      inputs: { tenant: externalSlug(t), quotaBytes: s.quotaGb * GIB },
      protect: true,
      retainOnDelete: true,
      dependsOn: [],
      custom: true,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      additionalSecretOutputs: [],
      secretInputs: [],
      propertyDependencies: {},
      outputs: {},
    })),
  );
}
