/**
 * Names, markers and request bodies for a tenant's Authentik objects: pure functions, so the
 * naming rules (and the reserved prefix that keeps hand-made groups out) are tested alone.
 */

/** Every tenant group name starts with this; OCIS matches groups by display name. */
export const TENANT_GROUP_PREFIX = "dezky-";
/** Group attribute saying the program owns the group (written on create and adoption). */
export const MANAGED_BY_ATTRIBUTE = "dezky_managed_by";
export const MANAGED_BY_VALUE = "dezky-infra";
/** Group attributes carrying the tenant slug and, for department groups, the department. */
export const TENANT_ATTRIBUTE = "dezky_tenant";
export const DEPARTMENT_ATTRIBUTE = "dezky_department";
/** Name of the credential, named in 401/403 errors: the tenant provisioner's API token. */
export const CREDENTIAL_KEY = "DEZKY_TENANT_PROVISIONER_TOKEN";
export const CREDENTIAL_HINT =
  "the tenant provisioner's API token (generated; DEZKY_TENANT_PROVISIONER_TOKEN in the authentik-env Secret, " +
  "applied by the dezky-platform blueprint), passed as connection.token";
/** Where the provisioner's permissions are declared, named when Authentik denies a call. */
export const PERMISSION_HINT =
  'the role "dezky-tenant-provisioner" lacks the permission this call needs ' +
  "(components/platform/authentik-tenant-identity.ts); check that the dezky-platform blueprint applied";

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Tenant and department slugs: lowercase words joined by single hyphens (so "--" is free). */
export function checkSlug(kind: string, value: string): string | undefined {
  if (typeof value !== "string" || !SLUG.test(value) || value.length > 50) {
    return `${kind} "${value}" must be lowercase letters/digits joined by single hyphens (max 50)`;
  }
  return undefined;
}

/** `dezky-acme` for the tenant, `dezky-acme--sales` for its department (never ambiguous). */
export function tenantGroupName(tenant: string, department?: string): string {
  return department
    ? `${TENANT_GROUP_PREFIX}${tenant}--${department}`
    : `${TENANT_GROUP_PREFIX}${tenant}`;
}

/** Application slug, OAuth2 client id and OAuth2 provider name of a tenant. */
export function applicationSlug(tenant: string): string {
  return `${TENANT_GROUP_PREFIX}${tenant}`;
}
export function clientId(tenant: string): string {
  return `${TENANT_GROUP_PREFIX}${tenant}`;
}
export function oauth2ProviderName(tenant: string): string {
  return `${TENANT_GROUP_PREFIX}${tenant}-oidc`;
}

/** The per-provider issuer (`issuer_mode: per_provider`) under Authentik's public URL. */
export function issuerUrl(authentikPublicUrl: string, tenant: string): string {
  return `${authentikPublicUrl.replace(/\/+$/, "")}/application/o/${applicationSlug(tenant)}/`;
}

/** Attributes a tenant (or department) group carries. */
export function groupAttributes(
  tenant: string,
  department: string | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...extra,
    [TENANT_ATTRIBUTE]: tenant,
    ...(department ? { [DEPARTMENT_ATTRIBUTE]: department } : {}),
    [MANAGED_BY_ATTRIBUTE]: MANAGED_BY_VALUE,
  };
}

/** True when the attributes say this program created the group for this tenant/department. */
export function isOwnGroup(
  attributes: Record<string, unknown> | undefined,
  tenant: string,
  department?: string,
): boolean {
  return (
    attributes?.[MANAGED_BY_ATTRIBUTE] === MANAGED_BY_VALUE &&
    attributes?.[TENANT_ATTRIBUTE] === tenant &&
    (attributes?.[DEPARTMENT_ATTRIBUTE] ?? undefined) === (department ?? undefined)
  );
}

export interface RedirectUri {
  matching_mode: "strict" | "regex";
  url: string;
  redirect_uri_type: "authorization" | "logout";
}

/** Login callbacks and post-logout redirects, strict matching, in a stable order. */
export function redirectUris(callbacks: string[], logoutRedirects: string[]): RedirectUri[] {
  const entry = (url: string, type: RedirectUri["redirect_uri_type"]): RedirectUri => ({
    matching_mode: "strict",
    url,
    redirect_uri_type: type,
  });
  return [
    ...[...new Set(callbacks)].map((u) => entry(u, "authorization")),
    ...[...new Set(logoutRedirects)].map((u) => entry(u, "logout")),
  ];
}

/** Order-insensitive comparison of string lists (server returns sets in its own order). */
export function sameSet(a: readonly string[] = [], b: readonly string[] = []): boolean {
  const sa = [...new Set(a)].sort();
  const sb = [...new Set(b)].sort();
  return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
}
