/**
 * The identity the tenant providers (components/providers/authentik) call Authentik with,
 * instead of the superuser bootstrap token: a service account created by the platform
 * blueprint, holding one RBAC role with exactly the global model permissions the providers'
 * calls need, and an API token whose key is a generated secret read through `!Env`.
 *
 * Why these permissions (authentik 2026.8, docs/conformance/authentik.md has the lines):
 * every API view uses `ObjectPermissions` (authentik/rbac/permissions.py) and the `ObjectFilter`
 * list/detail filter (authentik/rbac/filters.py). POST needs `add_<model>`; GET list/detail
 * needs `view_<model>` (without it the filter raises 403); PATCH/PUT need `change_<model>` and
 * DELETE `delete_<model>`, both on top of `view_<model>`. A global permission (on the role)
 * counts for every object. Creating a policy binding needs only `add_policybinding`: the
 * serializer does not check the target or the group (authentik/policies/api/bindings.py).
 * The lookups read flows, the signing key and scope mappings, so `view_` on those three.
 * Not granted: users, roles, tokens, brands, superuser groups (`enable_group_superuser`).
 */

export const TENANT_PROVISIONER_USER = "dezky-tenant-provisioner";
export const TENANT_PROVISIONER_ROLE = "dezky-tenant-provisioner";
export const TENANT_PROVISIONER_TOKEN_ID = "dezky-tenant-provisioner-api";
/** Env name (key of the authentik-env Secret) holding the token's key, read by `!Env`. */
export const ENV_TENANT_PROVISIONER_TOKEN = "DEZKY_TENANT_PROVISIONER_TOKEN";

const crud = (app: string, model: string) =>
  ["add", "view", "change", "delete"].map((action) => `${app}.${action}_${model}`);

/** Exactly what the group, OAuth2 provider and application providers call. */
export const TENANT_PROVISIONER_PERMISSIONS: readonly string[] = [
  ...crud("authentik_core", "group"),
  ...crud("authentik_providers_oauth2", "oauth2provider"),
  ...crud("authentik_core", "application"),
  ...crud("authentik_policies", "policybinding"),
  "authentik_flows.view_flow",
  "authentik_crypto.view_certificatekeypair",
  "authentik_providers_oauth2.view_scopemapping",
];

const q = (s: string) => JSON.stringify(s);

/** Blueprint entries (YAML lines, two-space list indent) for the role, account and token. */
export function tenantProvisionerEntries(): string[] {
  return [
    "  - model: authentik_rbac.role",
    "    id: role-tenant-provisioner",
    `    identifiers: {name: ${q(TENANT_PROVISIONER_ROLE)}}`,
    "    attrs:",
    "      permissions:",
    ...TENANT_PROVISIONER_PERMISSIONS.map((p) => `        - ${p}`),
    "  - model: authentik_core.user",
    "    id: tenant-provisioner-user",
    `    identifiers: {username: ${q(TENANT_PROVISIONER_USER)}}`,
    `    attrs: {name: "Tenant provisioning (Pulumi)", type: service_account, path: dezky/service, roles: [!KeyOf role-tenant-provisioner]}`,
    "  - model: authentik_core.token",
    `    identifiers: {identifier: ${q(TENANT_PROVISIONER_TOKEN_ID)}}`,
    `    attrs: {intent: api, user: !KeyOf tenant-provisioner-user, expiring: false, key: !Env ${ENV_TENANT_PROVISIONER_TOKEN}}`,
  ];
}
