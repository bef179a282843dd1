/**
 * Names, markers and request bodies for a tenant's Authentik objects: pure functions, so the
 * naming rules (and the reserved prefix that keeps hand-made groups out) are tested alone.
 */
import { isOwnerLabel, ownerLabels, readOwnerLabels } from "../core/markers";
import { slugProblem } from "../rules";

/** Every tenant group name starts with this; OCIS matches groups by display name. */
export const TENANT_GROUP_PREFIX = "dezky-";
/** Name of the credential, named in 401/403 errors: the tenant provisioner's API token. */
export const CREDENTIAL_KEY = "DEZKY_TENANT_PROVISIONER_TOKEN";
export const CREDENTIAL_HINT =
  "the tenant provisioner's API token (generated; DEZKY_TENANT_PROVISIONER_TOKEN in the authentik-env Secret, " +
  "applied by the dezky-platform blueprint), the configuration of the authentik ApiConnection";
/** Where the provisioner's permissions are declared, named when Authentik denies a call. */
export const PERMISSION_HINT =
  'the role "dezky-tenant-provisioner" lacks the permission this call needs ' +
  "(components/platform/authentik-tenant-identity.ts); check that the dezky-platform blueprint applied";

/** Tenant and department slugs: lowercase words joined by single hyphens (so "--" is free). */
export const checkSlug = slugProblem;

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

/** Attributes a tenant (or department) group carries: extras, then the ownership labels. */
export function groupAttributes(
  tenant: string,
  department: string | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  const own = Object.fromEntries(Object.entries(extra).filter(([k]) => !isOwnerLabel(k)));
  return { ...own, ...ownerLabels({ tenant, department }) };
}

/** True when the attributes say this program created the group for this tenant/department. */
export function isOwnGroup(
  attributes: Record<string, unknown> | undefined,
  tenant: string,
  department?: string,
): boolean {
  const owner = readOwnerLabels(attributes);
  return (
    owner !== undefined &&
    owner.tenant === tenant &&
    (owner.department ?? undefined) === (department ?? undefined)
  );
}

/** Attributes to write when taking a group over: its own non-marker attributes kept. */
export function takeOverAttributes(
  existing: Record<string, unknown> | undefined,
  wanted: Record<string, string>,
): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(existing ?? {}).filter(([k]) => !isOwnerLabel(k)));
  return { ...kept, ...wanted };
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

export const DEFAULT_GRANT_TYPES = ["authorization_code", "refresh_token"];
/** `groups` is required: the portal and OCIS read the groups claim. */
export const DEFAULT_SCOPES = ["openid", "email", "profile", "offline_access", "groups"];
export const DEFAULT_AUTHORIZATION_FLOW = "default-provider-authorization-implicit-consent";
export const DEFAULT_INVALIDATION_FLOW = "default-provider-invalidation-flow";
export const DEFAULT_SIGNING_KEY = "authentik Self-signed Certificate";
