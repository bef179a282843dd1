/**
 * The OCIS proxy's part of a request, as the simulator plays it: a bearer token stands for a
 * set of OIDC claims; the user is looked up by the configured claim and autoprovisioned on
 * first sight; the system role comes from the role claim through the proxy's role_mapping; the
 * role decides the settings permissions that Graph checks.
 *
 * Upstream (owncloud/ocis; the v7.1.3 tag itself could not be fetched here, see
 * docs/conformance/ocis.md for the versions read):
 * - services/proxy/pkg/middleware/account_resolver.go (ServeHTTP): user by PROXY_USER_OIDC_CLAIM,
 *   autoprovisioning, then UpdateUserRoleAssignment; any failure is a bare 500 (401 when
 *   autoprovisioning is off and the user is unknown).
 * - services/proxy/pkg/user/backend/cs3.go (libregraphUserFromClaims): display name and email
 *   claims are required; the user is created through Graph PostUser, which rejects an invalid
 *   `mail` (services/graph/pkg/service/v0/users.go, PostUser: isValidEmail).
 * - services/proxy/pkg/userroles/oidcroles.go: the FIRST role_mapping entry whose claim_value
 *   is in the claim wins (one role per user); no match, or no claim, is an error.
 * - services/settings/pkg/store/defaults/defaults.go: permissions of each built-in role.
 */
import { randomUUID } from "node:crypto";

export type OcisRoleName = "admin" | "spaceadmin" | "user" | "user-light";

/** Role bundle ids (services/settings/pkg/store/defaults/defaults.go, BundleUUIDRole*). */
export const ROLE_IDS: Record<OcisRoleName, string> = {
  admin: "71881883-1768-46bd-a24d-a356a2afdf7f",
  spaceadmin: "2aadd357-682c-406b-8874-293091995fdd",
  user: "d7beeea8-8ff4-406b-8fb6-ab2dd81e6b11",
  "user-light": "38071a68-456a-4553-846a-fa67bf5596cc",
};

/**
 * The settings permissions (names from defaults/permissions.go) that Graph and the storage
 * check for the calls we make, per role with constraint "all". User has Drives.Create only
 * with constraint "own", which does not allow project spaces (drives.go, canCreateSpace).
 */
export type Permission =
  | "Accounts.ReadWrite"
  | "Drives.Create"
  | "Drives.List"
  | "Drives.ReadWrite"
  | "Drives.ReadWriteProjectQuota"
  | "Drives.ReadWriteEnabled"
  | "Drives.DeleteProject";

const SPACE_ADMIN: Permission[] = [
  "Drives.Create",
  "Drives.List",
  "Drives.ReadWrite",
  "Drives.ReadWriteProjectQuota",
  "Drives.ReadWriteEnabled",
  "Drives.DeleteProject",
];
export const ROLE_PERMISSIONS: Record<OcisRoleName, readonly Permission[]> = {
  admin: ["Accounts.ReadWrite", ...SPACE_ADMIN],
  spaceadmin: SPACE_ADMIN,
  user: [],
  "user-light": [],
};

/** The proxy settings the simulator honours (names as in the proxy config and proxy.yaml). */
export interface ProxyConfig {
  /** PROXY_USER_OIDC_CLAIM. */
  userOidcClaim: string;
  /** PROXY_AUTOPROVISION_ACCOUNTS. */
  autoprovision: boolean;
  /** PROXY_AUTOPROVISION_CLAIM_USERNAME / _EMAIL / _DISPLAYNAME. */
  claims: { username: string; email: string; displayName: string };
  /** role_assignment.oidc_role_mapper.role_claim (PROXY_ROLE_ASSIGNMENT_OIDC_CLAIM). */
  roleClaim: string;
  /** role_assignment.oidc_role_mapper.role_mapping, in order. */
  roleMapping: { role_name: OcisRoleName; claim_value: string }[];
}

/** OCIS defaults (proxy config defaults; default role_mapping in the proxy README). */
export const DEFAULT_PROXY: ProxyConfig = {
  userOidcClaim: "preferred_username",
  autoprovision: true,
  claims: { username: "preferred_username", email: "email", displayName: "name" },
  roleClaim: "roles",
  roleMapping: [
    { role_name: "admin", claim_value: "ocisAdmin" },
    { role_name: "spaceadmin", claim_value: "ocisSpaceAdmin" },
    { role_name: "user", claim_value: "ocisUser" },
    { role_name: "user-light", claim_value: "ocisGuest" },
  ],
};

export type Claims = Record<string, unknown>;

export interface SimUser {
  id: string;
  username: string;
  displayName: string;
  mail: string;
  role: OcisRoleName;
}

/**
 * Graph PostUser's check (users.go isValidEmail): the W3C HTML "valid e-mail address" pattern.
 * An empty string fails it, which is what an account without an address sends.
 */
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
export function isValidEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** Why the proxy would answer 500 for these claims, or the role they map to. */
export function roleFromClaims(
  claims: Claims,
  config: ProxyConfig,
): { role: OcisRoleName } | { error: string } {
  const raw = claims[config.roleClaim];
  const values = Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : undefined;
  if (!values) return { error: "no roles in user claims" };
  if (values.some((v) => typeof v !== "string")) return { error: "invalid role in claims" };
  if (values.length === 0) return { error: "no roles set in claim" };
  const mapping = config.roleMapping.find((m) => values.includes(m.claim_value));
  return mapping ? { role: mapping.role_name } : { error: "no role in claim maps to an ocis role" };
}

/** The proxy's resolution of a request's claims to a user, or the status it answers instead. */
export function resolveUser(
  claims: Claims,
  users: SimUser[],
  config: ProxyConfig,
): { user: SimUser } | { status: 401 | 500; reason: string } {
  const key = claims[config.userOidcClaim];
  if (typeof key !== "string" || key === "") {
    return { status: 500, reason: `claim path '${config.userOidcClaim}' not set or empty` };
  }
  let user = users.find((u) => u.username === key);
  if (!user) {
    if (!config.autoprovision) return { status: 401, reason: "user unknown, autoprovisioning off" };
    const displayName = claims[config.claims.displayName];
    const mail = claims[config.claims.email];
    if (typeof displayName !== "string") {
      return { status: 500, reason: `Missing claim '${config.claims.displayName}'` };
    }
    if (typeof mail !== "string")
      return { status: 500, reason: `Missing claim '${config.claims.email}'` };
    if (!isValidEmail(mail)) return { status: 500, reason: `${mail} is not a valid email address` };
    const username = claims[config.claims.username];
    user = {
      id: randomUUID(),
      username: typeof username === "string" ? username : mail,
      displayName,
      mail,
      role: "user",
    };
    users.push(user);
  }
  const role = roleFromClaims(claims, config);
  if ("error" in role) return { status: 500, reason: role.error };
  user.role = role.role;
  return { user };
}

export function can(user: SimUser, permission: Permission): boolean {
  return ROLE_PERMISSIONS[user.role].includes(permission);
}

/** Claims of a user whose role claim carries the configured value for `role`. */
export function claimsFor(
  config: ProxyConfig,
  user: { username: string; displayName: string; mail: string },
  role: OcisRoleName,
): Claims {
  const value = config.roleMapping.find((m) => m.role_name === role)?.claim_value;
  return {
    [config.userOidcClaim]: user.username,
    [config.claims.username]: user.username,
    [config.claims.displayName]: user.displayName,
    [config.claims.email]: user.mail,
    ...(value ? { [config.roleClaim]: [value] } : {}),
  };
}
