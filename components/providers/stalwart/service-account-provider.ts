/**
 * Dynamic provider for a least-privilege Stalwart 0.16 account: an `x:Role` holding exactly the
 * given permissions and an `x:Account` (User) with a password and only that role, created by
 * the recovery admin (stalwartlabs/stalwart@v0.16.18):
 * - a user's permissions are its roles' (`roles: {"@type":"Custom","roleIds":...}`,
 *   common/src/auth/access_token.rs:36-66, permissions.rs:24-105); a role or account may only
 *   grant what its creator holds (jmap/src/registry/mapping/principal.rs:258-267, :332-364);
 * - one Password credential; the server hashes it and reads it back masked
 *   (principal.rs:279-330; registry/src/schema/prelude.rs:58);
 * - the account logs in as `name@domain` (common/src/auth/authentication.rs:130-140).
 * Natural keys: the role's description and the account's name on its domain, each carrying
 * the platform marker; after a lost response the retry finds and adopts them. Create ends by
 * calling Stalwart as the new account, so a permission the calls need but the role lacks
 * fails the deploy here, not a tenant later.
 */
import type * as pulumi from "@pulumi/pulumi";
import { providerError } from "../http";
import type { Raw } from "./domain-api";
import {
  jmapCall,
  setErrorToProviderError,
  type CallContext,
  type SetError,
  type StalwartConnection,
  type StalwartTimeouts,
} from "./jmap";
import { PLATFORM_MARKER } from "./server-api";

export interface ServiceAccountInputs {
  /** The recovery admin. */
  connection: StalwartConnection;
  /** Local part of the login, e.g. "dezky-provisioner". */
  name: string;
  /** The domain the account lives on (the platform's default domain) and its id. */
  domain: string;
  domainId: string;
  /** What the account is for (role description and account description, plus the marker). */
  purpose: string;
  /** Exactly the permissions the role grants. */
  permissions: string[];
  /** The account's password (secret). */
  password: string;
  /** Read calls (`x:<Object>/get` or `/query`) the new account must be allowed to make. */
  verify?: string[];
  adopt?: boolean;
  timeouts?: StalwartTimeouts;
}

export interface ServiceAccountOutputs extends ServiceAccountInputs {
  roleId: string;
  accountId: string;
  /** `name@domain`: the Basic-auth user name. */
  login: string;
}

const LOCAL_ONLY = ["connection", "timeouts", "adopt", "verify"];
const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
const described = (purpose: string) => `${purpose} ${PLATFORM_MARKER}`;
const asSet = (items: string[]) => Object.fromEntries([...items].sort().map((p) => [p, true]));

function context(inputs: ServiceAccountInputs): CallContext {
  return { object: `account ${inputs.name}@${inputs.domain}`, timeouts: inputs.timeouts };
}

function firstError(set: Record<string, unknown> | undefined): SetError | undefined {
  for (const field of ["notCreated", "notUpdated", "notDestroyed"]) {
    const errors = Object.values((set?.[field] as Record<string, SetError> | undefined) ?? {});
    if (errors.length) return errors[0];
  }
  return undefined;
}

async function getAll(
  connection: StalwartConnection,
  object: "Role" | "Account",
  filter: Record<string, unknown>,
  ctx: CallContext,
): Promise<Raw[]> {
  const results = await jmapCall(
    connection,
    [
      [`x:${object}/query`, { filter }, "q"],
      [
        `x:${object}/get`,
        { "#ids": { resultOf: "q", name: `x:${object}/query`, path: "/ids" } },
        "g",
      ],
    ],
    ctx,
  );
  return (results.get("g")?.list as Raw[] | undefined) ?? [];
}

/** Sets one object (create or update) and returns its id; throws on a set error. */
async function setOne(
  connection: StalwartConnection,
  object: "Role" | "Account",
  existingId: string | undefined,
  props: Record<string, unknown>,
  ctx: CallContext,
): Promise<string> {
  const args = existingId ? { update: { [existingId]: props } } : { create: { n: props } };
  const results = await jmapCall(connection, [[`x:${object}/set`, args, "s"]], ctx);
  const set = results.get("s");
  const error = firstError(set);
  if (error) {
    throw setErrorToProviderError(
      ctx,
      `x:${object}/set ${existingId ? "update" : "create"}`,
      error,
    );
  }
  return existingId ?? (set?.created as Record<string, { id: string }>).n.id;
}

function refuseForeign(ctx: CallContext, what: string, adopt: boolean | undefined, raw: Raw) {
  if (adopt || raw.description === undefined || String(raw.description).endsWith(PLATFORM_MARKER))
    return;
  throw providerError(
    { service: "Stalwart", object: ctx.object, call: "POST /jmap/" },
    undefined,
    `${what} (id ${raw.id}) already exists and was not created by this program; set adopt to take it over`,
  );
}

async function apply(inputs: ServiceAccountInputs): Promise<ServiceAccountOutputs> {
  const ctx = context(inputs);
  const { connection } = inputs;
  const description = described(inputs.purpose);
  // Text search, then the exact description (query.rs: Text indexes match words).
  const findRoles = async () =>
    (await getAll(connection, "Role", { description }, ctx)).filter(
      (r) => r.description === description,
    );
  const roles = await findRoles();
  const rolePatch = {
    description,
    enabledPermissions: asSet(inputs.permissions),
    disabledPermissions: {},
    roleIds: {},
  };
  const roleId = await setOne(connection, "Role", roles[0]?.id, rolePatch, ctx);
  if (!roles[0]) {
    // Roles have no unique key: a create retried after a lost response made a copy.
    const copies = (await findRoles()).filter((r) => r.id !== roleId);
    if (copies.length) {
      await jmapCall(connection, [["x:Role/set", { destroy: copies.map((r) => r.id) }, "x"]], ctx);
    }
  }
  const findAccount = async () =>
    (
      await getAll(connection, "Account", { name: inputs.name, domainId: inputs.domainId }, ctx)
    ).find((a) => a.name === inputs.name);
  const existing = await findAccount();
  if (existing)
    refuseForeign(ctx, `account ${inputs.name}@${inputs.domain}`, inputs.adopt, existing);
  const accountProps = {
    description,
    credentials: { "0": { "@type": "Password", secret: inputs.password } },
    roles: { "@type": "Custom", roleIds: { [roleId]: true } },
    permissions: { "@type": "Inherit" },
  };
  let accountId: string;
  try {
    accountId = await setOne(
      connection,
      "Account",
      existing?.id,
      existing
        ? accountProps
        : { "@type": "User", name: inputs.name, domainId: inputs.domainId, ...accountProps },
      ctx,
    );
  } catch (error) {
    // The create went through but its response was lost: the retry meets our own account.
    const retried = existing ? undefined : await findAccount();
    if (!retried || retried.description !== description) throw error;
    accountId = await setOne(connection, "Account", retried.id, accountProps, ctx);
  }
  const login = `${inputs.name}@${inputs.domain}`;
  await verify(inputs, login);
  return { ...inputs, roleId, accountId, login };
}

/** Calls Stalwart as the account: the credential works and holds what the calls need. */
async function verify(inputs: ServiceAccountInputs, login: string): Promise<void> {
  // Reads only: /get of no ids, /query of at most one id.
  const calls = (inputs.verify ?? []).map(
    (method, i) =>
      [method, method.endsWith("/query") ? { limit: 1 } : { ids: [] }, `v${i}`] as [
        string,
        Record<string, unknown>,
        string,
      ],
  );
  if (calls.length === 0) return;
  await jmapCall(
    { url: inputs.connection.url, username: login, password: inputs.password },
    calls,
    { ...context(inputs), object: `account ${login} (checking its permissions)` },
  );
}

export const serviceAccountProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: ServiceAccountInputs, news: ServiceAccountInputs) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (typeof news.name !== "string" || !NAME_RE.test(news.name)) {
      failures.push({ property: "name", reason: "a lower-case local part" });
    }
    if (!Array.isArray(news.permissions) || news.permissions.length === 0) {
      failures.push({ property: "permissions", reason: "list the permissions the role grants" });
    }
    if (typeof news.password !== "string" || news.password.length < 16) {
      failures.push({
        property: "password",
        reason: "at least 16 characters (Stalwart checks strength)",
      });
    }
    const inputs = { ...news, permissions: [...(news.permissions ?? [])].sort() };
    return { inputs, failures };
  },

  async diff(_id: string, olds: ServiceAccountOutputs, news: ServiceAccountInputs) {
    const replaces = ["name", "domainId"].filter(
      (k) => !same(olds[k as keyof ServiceAccountInputs], news[k as keyof ServiceAccountInputs]),
    );
    const changed = ["domain", "purpose", "permissions", "password", ...LOCAL_ONLY].filter(
      (k) => !same(olds[k as keyof ServiceAccountInputs], news[k as keyof ServiceAccountInputs]),
    );
    return {
      changes: replaces.length > 0 || changed.length > 0,
      replaces,
      deleteBeforeReplace: true,
    };
  },

  async create(inputs: ServiceAccountInputs) {
    const outs = await apply(inputs);
    return { id: outs.accountId, outs };
  },

  async read(id: string, props: ServiceAccountOutputs) {
    const ctx = context(props);
    const results = await jmapCall(
      props.connection,
      [
        ["x:Account/get", { ids: [id] }, "a"],
        ["x:Role/get", { ids: [props.roleId] }, "r"],
      ],
      ctx,
    );
    const account = (results.get("a")?.list as Raw[] | undefined)?.[0];
    if (!account) return { id: "", props: {} };
    const role = (results.get("r")?.list as Raw[] | undefined)?.[0];
    const roleIds = Object.keys(((account.roles as { roleIds?: object }) ?? {}).roleIds ?? {});
    // Drift that matters: the role lost or changed, or the account given other roles.
    const permissions =
      role && roleIds.length === 1 && roleIds[0] === props.roleId
        ? Object.keys((role.enabledPermissions as object) ?? {}).sort()
        : [];
    return { id, props: { ...props, permissions, name: String(account.name) } };
  },

  async update(_id: string, olds: ServiceAccountOutputs, news: ServiceAccountInputs) {
    const managed = ["domain", "purpose", "permissions", "password"] as const;
    if (managed.every((k) => same(olds[k], news[k]))) return { outs: { ...olds, ...news } };
    return { outs: await apply(news) };
  },

  async delete(id: string, props: ServiceAccountOutputs) {
    const ctx = context(props);
    const results = await jmapCall(
      props.connection,
      [
        ["x:Account/set", { destroy: [id] }, "a"],
        ["x:Role/set", { destroy: [props.roleId] }, "r"],
      ],
      ctx,
    );
    for (const key of ["a", "r"]) {
      const error = firstError(results.get(key));
      if (error && error.type !== "notFound") {
        throw setErrorToProviderError(
          ctx,
          `x:${key === "a" ? "Account" : "Role"}/set destroy`,
          error,
        );
      }
    }
  },
};
