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
import { z } from "zod";
import type { TypeSpec } from "../core/contract";
import { objectError, providerError } from "../core/errors";
import { readTextTag } from "../core/markers";
import { isDnsName } from "../rules";
import { findDomainByName, type Raw } from "./domain-api";
import {
  jmapCall,
  setErrorToProviderError,
  type CallContext,
  type SetError,
  type StalwartConnection,
} from "./jmap";
import { LEGACY_PLATFORM_MARKER, PLATFORM_MARKER } from "./server-api";

const schema = z.object({
  /** Local part of the login, e.g. "dezky-provisioner". */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "a lower-case local part"),
  /** The domain the account lives on (the platform's default domain); its id is looked up. */
  domain: z.string().refine(isDnsName, { message: "is not a domain name" }),
  /** What the account is for (role description and account description, plus the marker). */
  purpose: z.string().min(1),
  /** Exactly the permissions the role grants. */
  permissions: z
    .array(z.string().min(1))
    .min(1, "list the permissions the role grants")
    .transform((p) => [...p].sort()),
  /** The account's password (secret). */
  password: z.string().min(16, "at least 16 characters (Stalwart checks strength)"),
  /** Read calls (`x:<Object>/get` or `/query`) the new account must be allowed to make. */
  verify: z.array(z.string()).optional(),
  adopt: z.boolean().optional(),
});

export type ServiceAccountInputs = z.infer<typeof schema>;

export interface ServiceAccountOutputs extends ServiceAccountInputs {
  domainId: string;
  roleId: string;
  accountId: string;
  /** `name@domain`: the Basic-auth user name. */
  login: string;
}

const described = (purpose: string) => `${purpose} ${PLATFORM_MARKER}`;
/** The role and account descriptions older versions wrote. */
const legacyDescribed = (purpose: string) => `${purpose} ${LEGACY_PLATFORM_MARKER}`;
const asSet = (items: string[]) => Object.fromEntries([...items].sort().map((p) => [p, true]));

function context(inputs: ServiceAccountInputs): CallContext {
  return { object: `account ${inputs.name}@${inputs.domain}` };
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
  if (adopt || raw.description === undefined || readTextTag(raw.description).owner?.platform)
    return;
  throw providerError(
    { service: "Stalwart", object: ctx.object, call: "POST /jmap/" },
    undefined,
    `${what} (id ${raw.id}) already exists and was not created by this program; set adopt to take it over`,
  );
}

/** The domain's id, looked up by name (a name, not an id, is what the program knows). */
async function domainIdOf(connection: StalwartConnection, inputs: ServiceAccountInputs) {
  const ctx = context(inputs);
  const domain = await findDomainByName(connection, inputs.domain, ctx);
  if (!domain) {
    throw objectError(
      { service: "Stalwart", object: ctx.object },
      `cannot be created: domain ${inputs.domain} does not exist`,
      "apply the server settings (their default domain) first",
    );
  }
  return domain.id;
}

async function apply(
  connection: StalwartConnection,
  inputs: ServiceAccountInputs,
): Promise<ServiceAccountOutputs> {
  const ctx = context(inputs);
  const domainId = await domainIdOf(connection, inputs);
  const description = described(inputs.purpose);
  const mine = [description, legacyDescribed(inputs.purpose)];
  // Text search, then the exact description (query.rs: Text indexes match words).
  const findRoles = async () =>
    (await getAll(connection, "Role", { description: inputs.purpose }, ctx)).filter((r) =>
      mine.includes(String(r.description)),
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
    (await getAll(connection, "Account", { name: inputs.name, domainId }, ctx)).find(
      (a) => a.name === inputs.name,
    );
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
      existing ? accountProps : { "@type": "User", name: inputs.name, domainId, ...accountProps },
      ctx,
    );
  } catch (error) {
    // The create went through but its response was lost: the retry meets our own account.
    const retried = existing ? undefined : await findAccount();
    if (!retried || !mine.includes(String(retried.description))) throw error;
    accountId = await setOne(connection, "Account", retried.id, accountProps, ctx);
  }
  const login = `${inputs.name}@${inputs.domain}`;
  await verify(connection, inputs, login);
  return { ...inputs, domainId, roleId, accountId, login };
}

/** Calls Stalwart as the account: the credential works and holds what the calls need. */
async function verify(
  connection: StalwartConnection,
  inputs: ServiceAccountInputs,
  login: string,
): Promise<void> {
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
  await jmapCall({ url: connection.url, username: login, password: inputs.password }, calls, {
    ...context(inputs),
    object: `account ${login} (checking its permissions)`,
  });
}

export const serviceAccountType: TypeSpec<
  ServiceAccountInputs,
  ServiceAccountOutputs,
  StalwartConnection
> = {
  type: "stalwart:ServiceAccount",
  service: "stalwart-admin",
  schema,
  // Another name or domain is another account; `verify` applies without a call.
  replaces: ["name", "domain"],
  updates: ["purpose", "permissions", "password", "verify"],
  deleteBeforeReplace: true,

  async create(op, inputs) {
    const outs = await apply(op.connection, inputs);
    return { id: outs.accountId, outs };
  },

  async read(op, id, props) {
    const ctx = context(props);
    const results = await jmapCall(
      op.connection,
      [
        ["x:Account/get", { ids: [id] }, "a"],
        ["x:Role/get", { ids: [props.roleId] }, "r"],
      ],
      ctx,
    );
    const account = (results.get("a")?.list as Raw[] | undefined)?.[0];
    if (!account) return undefined;
    const role = (results.get("r")?.list as Raw[] | undefined)?.[0];
    const roleIds = Object.keys(((account.roles as { roleIds?: object }) ?? {}).roleIds ?? {});
    // Drift that matters: the role lost or changed, or the account given other roles.
    const permissions =
      role && roleIds.length === 1 && roleIds[0] === props.roleId
        ? Object.keys((role.enabledPermissions as object) ?? {}).sort()
        : [];
    return { ...props, permissions, name: String(account.name) };
  },

  async update(op, _id, olds, news) {
    const managed = ["purpose", "permissions", "password"] as const;
    const same = (k: (typeof managed)[number]) =>
      JSON.stringify(olds[k]) === JSON.stringify(news[k]);
    if (managed.every(same)) return { ...olds, ...news };
    return apply(op.connection, news);
  },

  async delete(op, id, props) {
    const ctx = context(props);
    const results = await jmapCall(
      op.connection,
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
