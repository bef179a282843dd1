/**
 * How many Authentik API requests a tenant costs, so callers (and tests) can hold the provider
 * to it. Lookups (two flows, the signing key, the scope mappings) are paid once per run per
 * Authentik URL, whatever the number of tenants.
 */

/** Requests per object on the happy path (no faults, nothing to adopt). */
export const REQUESTS = {
  /** POST /core/groups/ */
  groupCreate: 1,
  /** POST /providers/oauth2/ (lookups are counted separately). */
  oauth2ProviderCreate: 1,
  /** POST app (inert) + POST binding + PATCH app (attach provider, show in launcher). */
  applicationCreate: 3,
  /** GET /flows/instances/{slug}/ x2 + GET certificatekeypairs + GET scope mappings (1 page). */
  lookupsPerRun: 4,
  /** Each read: group 1, provider 1, application 2 (app + its bindings). */
  groupRead: 1,
  oauth2ProviderRead: 1,
  applicationRead: 2,
} as const;

/** Requests to create `tenants` tenants with `departments` department groups each. */
export function creationBudget(tenants: number, departmentsPerTenant = 0): number {
  if (tenants <= 0) return 0;
  const perTenant =
    REQUESTS.groupCreate * (1 + departmentsPerTenant) +
    REQUESTS.oauth2ProviderCreate +
    REQUESTS.applicationCreate;
  return REQUESTS.lookupsPerRun + tenants * perTenant;
}
