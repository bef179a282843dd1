/**
 * The Authentik blueprint the program mounts into Authentik (ConfigMap -> /blueprints/mounted):
 * the OIDC applications the platform needs (OCIS, portal, optionally Zulip), the `groups` and
 * OCIS `roles` scopes, and the OCIS provisioning service account with its app password.
 * Chosen over the API-driven dynamic provider because Authentik applies it itself at start,
 * before anything can call its API, so there is no chicken-and-egg with the bootstrap token.
 * Secrets are never in the text: `!Env` reads them from the pod env (a Kubernetes Secret).
 * It also creates the tenant providers' least-privilege identity (authentik-tenant-identity.ts).
 */
import { tenantProvisionerEntries } from "./authentik-tenant-identity";

export const OCIS_CLIENT_ID = "ocis-web";
export const OCIS_APP_SLUG = "ocis";
export const PORTAL_CLIENT_ID = "dezky-portal";
export const PORTAL_APP_SLUG = "portal";
export const ZULIP_CLIENT_ID = "dezky-zulip";
export const ZULIP_APP_SLUG = "zulip";
export const OCIS_SERVICE_USER = "dezky-ocis-provisioner";
export const PLATFORM_ADMIN_GROUP = "dezky-platform-admins";
export const OCIS_SPACE_ADMIN_GROUP = "dezky-ocis-space-admins";
/** OCIS Admins (role claim dezkyOcisAdmin) without Authentik superuser rights: the provisioner. */
export const OCIS_ADMIN_GROUP = "dezky-ocis-admins";
/** Env names (keys of the authentik-env Secret) read by `!Env`. */
export const ENV_OCIS_SERVICE_PASSWORD = "DEZKY_OCIS_SERVICE_PASSWORD";
export const ENV_PORTAL_CLIENT_SECRET = "DEZKY_PORTAL_CLIENT_SECRET";
export const ENV_ZULIP_CLIENT_SECRET = "DEZKY_ZULIP_CLIENT_SECRET";

/** OCIS role claim values (mapped in OCIS's proxy role_assignment). */
export const OCIS_ROLES = {
  admin: "dezkyOcisAdmin",
  spaceAdmin: "dezkyOcisSpaceAdmin",
  user: "dezkyOcisUser",
};

export interface BlueprintOptions {
  domain: string;
  zulip: boolean;
}

const q = (s: string) => JSON.stringify(s);
const find = (model: string, field: string, value: string) =>
  `!Find [${model}, [${field}, ${q(value)}]]`;
const scope = (name: string) =>
  find(
    "authentik_providers_oauth2.scopemapping",
    "managed",
    `goauthentik.io/providers/oauth2/scope-${name}`,
  );

function provider(o: {
  id: string;
  name: string;
  clientId: string;
  clientType: "public" | "confidential";
  secretEnv?: string;
  redirects: string[];
  grants: string[];
  scopes: string[];
}): string[] {
  return [
    `  - model: authentik_providers_oauth2.oauth2provider`,
    `    id: ${o.id}`,
    `    identifiers: {name: ${q(o.name)}}`,
    `    attrs:`,
    `      client_id: ${q(o.clientId)}`,
    `      client_type: ${o.clientType}`,
    ...(o.secretEnv ? [`      client_secret: !Env ${o.secretEnv}`] : []),
    `      authorization_flow: ${find("authentik_flows.flow", "slug", "default-provider-authorization-implicit-consent")}`,
    `      invalidation_flow: ${find("authentik_flows.flow", "slug", "default-provider-invalidation-flow")}`,
    `      signing_key: ${find("authentik_crypto.certificatekeypair", "name", "authentik Self-signed Certificate")}`,
    `      grant_types: [${o.grants.join(", ")}]`,
    `      access_token_validity: hours=1`,
    `      sub_mode: hashed_user_id`,
    `      redirect_uris:`,
    ...o.redirects.map((url) => `        - {matching_mode: strict, url: ${q(url)}}`),
    `      property_mappings:`,
    ...o.scopes.map((s) => `        - ${s}`),
  ];
}

function application(
  id: string,
  slug: string,
  name: string,
  providerId: string,
  launch: string,
): string[] {
  return [
    `  - model: authentik_core.application`,
    `    id: ${id}`,
    `    identifiers: {slug: ${q(slug)}}`,
    `    attrs: {name: ${q(name)}, provider: !KeyOf ${providerId}, meta_launch_url: ${q(launch)}, policy_engine_mode: any}`,
  ];
}

/** The blueprint YAML. */
export function platformBlueprint(opts: BlueprintOptions): string {
  const d = opts.domain;
  const standard = [scope("openid"), scope("email"), scope("profile"), "!KeyOf scope-groups"];
  const lines = [
    "# Managed by the Dezky Pulumi program; edits are overwritten on the next apply.",
    "version: 1",
    "metadata:",
    "  name: dezky-platform",
    '  labels: {blueprints.goauthentik.io/instantiate: "true"}',
    "entries:",
    `  - {model: authentik_core.group, id: group-admins, identifiers: {name: ${q(PLATFORM_ADMIN_GROUP)}}, attrs: {is_superuser: true}}`,
    `  - {model: authentik_core.group, id: group-space-admins, identifiers: {name: ${q(OCIS_SPACE_ADMIN_GROUP)}}}`,
    `  - {model: authentik_core.group, id: group-ocis-admins, identifiers: {name: ${q(OCIS_ADMIN_GROUP)}}}`,
    "  - model: authentik_providers_oauth2.scopemapping",
    "    id: scope-groups",
    '    identifiers: {name: "dezky: groups"}',
    "    attrs:",
    "      scope_name: groups",
    "      description: Group membership",
    "      expression: 'return {\"groups\": [group.name for group in request.user.ak_groups.all()]}'",
    "  - model: authentik_providers_oauth2.scopemapping",
    "    id: scope-ocis-roles",
    '    identifiers: {name: "dezky: OCIS roles"}',
    "    attrs:",
    "      scope_name: roles",
    "      description: OCIS role",
    "      expression: |",
    "        names = [group.name for group in request.user.ak_groups.all()]",
    `        if ${q(PLATFORM_ADMIN_GROUP)} in names or ${q(OCIS_ADMIN_GROUP)} in names:`,
    `            return {"roles": [${q(OCIS_ROLES.admin)}]}`,
    `        if ${q(OCIS_SPACE_ADMIN_GROUP)} in names:`,
    `            return {"roles": [${q(OCIS_ROLES.spaceAdmin)}]}`,
    `        return {"roles": [${q(OCIS_ROLES.user)}]}`,
    "  - model: authentik_core.user",
    "    id: ocis-service-user",
    `    identifiers: {username: ${q(OCIS_SERVICE_USER)}}`,
    // OCIS creates groups only for Admins (requireAdmin) and autoprovisions only valid e-mails.
    `    attrs: {name: "OCIS provisioning (Pulumi)", email: ${q(ocisServiceEmail(d))}, type: service_account, path: dezky/service, groups: [!KeyOf group-ocis-admins]}`,
    "  - model: authentik_core.token",
    `    identifiers: {identifier: ${q(`${OCIS_SERVICE_USER}-app-password`)}}`,
    `    attrs: {intent: app_password, user: !KeyOf ocis-service-user, expiring: false, key: !Env ${ENV_OCIS_SERVICE_PASSWORD}}`,
    ...provider({
      id: "provider-ocis",
      name: "dezky-ocis",
      clientId: OCIS_CLIENT_ID,
      clientType: "public",
      redirects: [
        `https://files.${d}/`,
        `https://files.${d}/oidc-callback.html`,
        `https://files.${d}/oidc-silent-redirect.html`,
      ],
      // client_credentials: the provisioning service identity mints its bearer here (same issuer OCIS trusts).
      grants: ["authorization_code", "refresh_token", "client_credentials"],
      scopes: [...standard, "!KeyOf scope-ocis-roles", scope("offline_access")],
    }),
    ...application("app-ocis", OCIS_APP_SLUG, "Files", "provider-ocis", `https://files.${d}/`),
    ...provider({
      id: "provider-portal",
      name: "dezky-portal",
      clientId: PORTAL_CLIENT_ID,
      clientType: "confidential",
      secretEnv: ENV_PORTAL_CLIENT_SECRET,
      redirects: [`https://app.${d}/auth/callback`],
      grants: ["authorization_code", "refresh_token"],
      scopes: standard,
    }),
    ...application(
      "app-portal",
      PORTAL_APP_SLUG,
      "Dezky portal",
      "provider-portal",
      `https://app.${d}/`,
    ),
  ];
  if (opts.zulip) {
    lines.push(
      ...provider({
        id: "provider-zulip",
        name: "dezky-zulip",
        clientId: ZULIP_CLIENT_ID,
        clientType: "confidential",
        secretEnv: ENV_ZULIP_CLIENT_SECRET,
        redirects: [`https://chat.${d}/complete/oidc/`],
        grants: ["authorization_code", "refresh_token"],
        scopes: standard,
      }),
      ...application("app-zulip", ZULIP_APP_SLUG, "Chat", "provider-zulip", `https://chat.${d}/`),
    );
  }
  lines.push(...tenantProvisionerEntries());
  return lines.join("\n") + "\n";
}

/** The provisioning account's address: OCIS autoprovisioning rejects a user without a valid one. */
export function ocisServiceEmail(domain: string): string {
  return `${OCIS_SERVICE_USER}@${domain}`;
}

/** Authentik's per-application issuer (trailing slash as Authentik publishes it). */
export function issuerUrl(domain: string, slug: string): string {
  return `https://auth.${domain}/application/o/${slug}/`;
}
