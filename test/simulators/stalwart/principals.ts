/**
 * Roles and user accounts as Stalwart 0.16.18 keeps them, and how a Basic login turns into
 * permissions (stalwartlabs/stalwart@v0.16.18):
 * - first start inserts four roles: User, Group, Tenant Administrator, System Administrator
 *   (common/src/manager/defaults.rs:402-457);
 * - an account's permissions are its roles' enabled permissions (recursively through roleIds)
 *   minus the disabled ones; `roles: User|Admin` use the default role lists, `Custom` names
 *   roles; `permissions: Replace` ignores the roles (common/src/auth/permissions.rs:24-105,
 *   access_token.rs:36-66);
 * - a login without `authenticate` fails (common/src/auth/authentication.rs:40-45); a name
 *   without a domain gets the default domain (authentication.rs:130-134);
 * - creating a role or an account may grant only permissions the caller holds, else
 *   `forbidden` "You are not authorized to grant permissions: ..." (jmap/src/registry/mapping/
 *   principal.rs:258-267, :332-364, :494-512);
 * - one password credential, at least 8 characters (schema default), secondary credentials
 *   cannot be set directly (principal.rs:279-330); secrets come back masked `****`
 *   (registry/src/schema/prelude.rs:58). Strength is checked by zxcvbn score 3 on the server;
 *   the simulator is stricter: fewer than 16 characters is "too weak".
 */
import { validateProperties, type SetError } from "./object-schema";
import { KNOWN_PERMISSIONS, ROLE_FIELDS, USER_ACCOUNT_FIELDS } from "./server-schema";

export type Obj = Record<string, unknown> & { id: string };
/** What an authenticated caller may do: "all" or the permission names it holds. */
export type Grant = "all" | Set<string>;

const keysOf = (v: unknown): string[] =>
  v && typeof v === "object" ? Object.keys(v as object) : [];

export class Principals {
  readonly roles = new Map<string, Obj>();
  readonly accounts = new Map<string, Obj>();
  private defaultRoles: { user?: string; admin?: string } = {};

  constructor(
    private readonly newId: () => string,
    private readonly domainName: (id: string) => string | undefined,
  ) {}

  /** Default roles, inserted once on the first normal start. */
  insertDefaults(): void {
    if (this.roles.size > 0) return;
    const add = (description: string, permissions: string[]) => {
      const role: Obj = {
        id: this.newId(),
        description,
        enabledPermissions: Object.fromEntries(permissions.map((p) => [p, true])),
        disabledPermissions: {},
        roleIds: {},
        memberTenantId: null,
      };
      this.roles.set(role.id, role);
      return role.id;
    };
    this.defaultRoles.user = add("User", ["authenticate"]);
    add("Group", []);
    add("Tenant Administrator", ["authenticate"]);
    this.defaultRoles.admin = add("System Administrator", KNOWN_PERMISSIONS);
  }

  /** Enabled minus disabled over a role and the roles it extends. */
  rolePermissions(roleIds: string[]): Set<string> {
    const enabled = new Set<string>();
    const disabled = new Set<string>();
    const seen = new Set<string>();
    const queue = [...roleIds];
    while (queue.length) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const role = this.roles.get(id);
      if (!role) continue;
      keysOf(role.enabledPermissions).forEach((p) => enabled.add(p));
      keysOf(role.disabledPermissions).forEach((p) => disabled.add(p));
      queue.push(...keysOf(role.roleIds));
    }
    for (const p of disabled) enabled.delete(p);
    return enabled;
  }

  /** The account's effective permissions. */
  accountPermissions(account: Obj): Set<string> {
    const roles = account.roles as { "@type": string; roleIds?: object } | undefined;
    const roleIds =
      roles?.["@type"] === "Custom"
        ? keysOf(roles.roleIds)
        : roles?.["@type"] === "Admin"
          ? [this.defaultRoles.admin ?? ""]
          : [this.defaultRoles.user ?? ""];
    const perms = account.permissions as
      { "@type": string; enabledPermissions?: object; disabledPermissions?: object } | undefined;
    const base = new Set(keysOf(perms?.enabledPermissions));
    const result =
      perms?.["@type"] === "Replace" ? base : new Set([...base, ...this.rolePermissions(roleIds)]);
    keysOf(perms?.disabledPermissions).forEach((p) => result.delete(p));
    return result;
  }

  /** Basic login: the grant, or undefined when the credentials are wrong or lack `authenticate`. */
  login(username: string, secret: string, defaultDomain: string | undefined): Grant | undefined {
    const name = username.trim().toLowerCase();
    const at = name.lastIndexOf("@");
    const local = at < 0 ? name : name.slice(0, at);
    const domain = at < 0 ? defaultDomain : name.slice(at + 1);
    const account = [...this.accounts.values()].find(
      (a) => a.name === local && this.domainName(String(a.domainId)) === domain,
    );
    const password = Object.values((account?.credentials as object) ?? {}).find(
      (c: { "@type"?: string }) => c["@type"] === "Password",
    ) as { secret?: string } | undefined;
    if (!account || password?.secret !== secret) return undefined;
    const permissions = this.accountPermissions(account);
    return permissions.has("authenticate") ? permissions : undefined;
  }

  // ----- x:Role -----
  createRole(props: Record<string, unknown>, caller: Grant): Obj | SetError {
    const invalid = validateProperties(ROLE_FIELDS, props, "create");
    if (invalid) return invalid;
    const role: Obj = {
      id: this.newId(),
      disabledPermissions: {},
      enabledPermissions: {},
      roleIds: {},
      memberTenantId: null,
      ...props,
    };
    const denied = cannotGrant(caller, this.roleGrant(role));
    if (denied) return denied;
    this.roles.set(role.id, role);
    return role;
  }

  private roleGrant(role: Obj): Set<string> {
    const own = new Set(keysOf(role.enabledPermissions));
    this.rolePermissions(keysOf(role.roleIds)).forEach((p) => own.add(p));
    keysOf(role.disabledPermissions).forEach((p) => own.delete(p));
    return own;
  }

  updateRole(id: string, patch: Record<string, unknown>, caller: Grant): SetError | undefined {
    const role = this.roles.get(id);
    if (!role) return { type: "notFound" };
    const invalid = validateProperties(ROLE_FIELDS, patch, "update");
    if (invalid) return invalid;
    const next = { ...role, ...patch };
    const denied = cannotGrant(caller, this.roleGrant(next));
    if (denied) return denied;
    Object.assign(role, patch);
    return undefined;
  }

  destroyRole(id: string): SetError | undefined {
    if (!this.roles.has(id)) return { type: "notFound" };
    const linked = [...this.accounts.values()]
      .filter((a) => keysOf((a.roles as { roleIds?: object } | undefined)?.roleIds).includes(id))
      .map((a) => ({ object: "Account", id: a.id }));
    if (linked.length) {
      return { type: "objectIsLinked", objectId: { object: "Role", id }, linkedObjects: linked };
    }
    this.roles.delete(id);
    return undefined;
  }

  // ----- x:Account (User variant) -----
  createAccount(props: Record<string, unknown>, caller: Grant): Obj | SetError {
    if (props["@type"] !== "User") {
      return { type: "invalidPatch", properties: ["@type"], description: "Invalid variant" };
    }
    const invalid = validateProperties(USER_ACCOUNT_FIELDS, props, "create");
    if (invalid) return invalid;
    const domain = this.domainName(String(props.domainId));
    if (domain === undefined) {
      return {
        type: "invalidForeignKey",
        objectId: { object: "Domain", id: String(props.domainId) },
      };
    }
    const clash = [...this.accounts.values()].find(
      (a) => a.name === props.name && a.domainId === props.domainId,
    );
    // Stricter than the server where unsure: the same address twice is refused.
    if (clash) {
      return {
        type: "primaryKeyViolation",
        properties: ["name"],
        objectId: { object: "Account", id: clash.id },
      };
    }
    const bad = credentialError(props.credentials);
    if (bad) return bad;
    const account: Obj = {
      id: this.newId(),
      roles: { "@type": "User" },
      permissions: { "@type": "Inherit" },
      credentials: {},
      description: null,
      memberTenantId: null,
      ...props,
      createdAt: new Date().toISOString(),
    };
    const denied = cannotGrant(caller, this.accountPermissions(account));
    if (denied) return denied;
    this.accounts.set(account.id, account);
    return account;
  }

  updateAccount(id: string, patch: Record<string, unknown>, caller: Grant): SetError | undefined {
    const account = this.accounts.get(id);
    if (!account) return { type: "notFound" };
    const invalid = validateProperties(USER_ACCOUNT_FIELDS, patch, "update");
    if (invalid) return invalid;
    if ("credentials" in patch) {
      const bad = credentialError(patch.credentials);
      if (bad) return bad;
    }
    const next = { ...account, ...patch };
    if ("roles" in patch || "permissions" in patch) {
      const denied = cannotGrant(caller, this.accountPermissions(next));
      if (denied) return denied;
    }
    Object.assign(account, patch);
    return undefined;
  }

  destroyAccount(id: string): SetError | undefined {
    return this.accounts.delete(id) ? undefined : { type: "notFound" };
  }

  /** The account as /get returns it: secrets masked, the address computed. */
  viewAccount(account: Obj): Obj {
    const view = structuredClone(account);
    const creds = (view.credentials ?? {}) as Record<string, Record<string, unknown>>;
    for (const c of Object.values(creds)) if ("secret" in c) c.secret = "****";
    return {
      ...view,
      emailAddress: `${String(account.name)}@${this.domainName(String(account.domainId)) ?? ""}`,
    };
  }

  /** Accounts that live on a domain (they block its destroy). */
  accountsOn(domainId: string): Obj[] {
    return [...this.accounts.values()].filter((a) => a.domainId === domainId);
  }
}

function credentialError(credentials: unknown): SetError | undefined {
  const list = Object.values(
    (credentials as Record<string, { "@type"?: string; secret?: string }>) ?? {},
  );
  if (list.some((c) => c["@type"] !== "Password")) {
    return {
      type: "invalidProperties",
      properties: ["credentials"],
      description: "Secondary credentials cannot be set directly.",
    };
  }
  if (list.length > 1) {
    return {
      type: "invalidProperties",
      properties: ["credentials"],
      description: "Only one password credential is allowed.",
    };
  }
  const secret = list[0]?.secret ?? "";
  if (list.length === 1 && (secret.length < 16 || secret.length > 128)) {
    return {
      type: "invalidProperties",
      properties: ["secret"],
      description: "Password is too weak.",
    };
  }
  return undefined;
}

function cannotGrant(caller: Grant, wanted: Set<string>): SetError | undefined {
  if (caller === "all") return undefined;
  const missing = [...wanted].filter((p) => !caller.has(p));
  if (missing.length === 0) return undefined;
  return {
    type: "forbidden",
    description: `You are not authorized to grant permissions: ${missing.slice(0, 5).join(", ")}`,
  };
}
