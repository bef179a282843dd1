/**
 * The `x:<Object>/get|set|query` methods of the Stalwart 0.16.18 registry the simulator serves,
 * with the permission check the server runs first (stalwartlabs/stalwart@v0.16.18):
 * - get -> `sys<Object>Get`, query -> `sys<Object>Query` (registry/src/schema/
 *   properties_impl.rs:3613, :3735); set -> validate_set with the object's create/update/
 *   destroy permissions (SystemSettings: Update for all three, properties_impl.rs:3800-);
 *   a caller holding none of them is refused whatever it asks; otherwise each requested verb
 *   is checked (jmap/src/api/auth.rs:202-214, :319-356). Refusal = method-level `forbidden`.
 * - query filters only on indexed properties; Text indexes match words, keywords and ids
 *   match exactly (jmap/src/registry/query.rs:173-239; indexes properties_impl.rs:3365-3610).
 * - `x:Action` can only be created; each action also needs its own permission, checked per
 *   item (jmap/src/registry/mapping/action.rs:38-118); /query is refused (query.rs:169-171).
 */
import type { SetError } from "./object-schema";
import type { Grant, Obj } from "./principals";
import type { Registry } from "./registry";
import { SINGLETON_ID } from "./server-objects";
import { encodeId } from "./registry";

export class MethodError extends Error {
  constructor(
    readonly type: string,
    description: string,
  ) {
    super(description);
  }
}

const ACCOUNT_ID = "a";

const ALLOWED_ARGS: Record<string, string[]> = {
  get: ["accountId", "ids", "properties"],
  set: ["accountId", "ifInState", "create", "update", "destroy"],
  query: [
    "accountId",
    "filter",
    "sort",
    "position",
    "anchor",
    "anchorOffset",
    "limit",
    "calculateTotal",
  ],
};

type FilterKind = "keyword" | "text" | "id" | "type";
/** Indexed properties per object (properties_impl.rs:3365-3610). */
const FILTERS: Record<string, Record<string, FilterKind>> = {
  Domain: { name: "keyword", aliases: "keyword", text: "text", memberTenantId: "id" },
  DkimSignature: { domainId: "id", memberTenantId: "id" },
  Role: { description: "text", memberTenantId: "id" },
  Account: {
    name: "keyword",
    domainId: "id",
    type: "type",
    text: "text",
    memberGroupIds: "id",
    memberTenantId: "id",
  },
  Certificate: { subjectAlternativeNames: "text" },
  NetworkListener: { name: "keyword" },
  SystemSettings: {},
};

const ACTIONS: Record<string, string> = {
  ReloadSettings: "actionReloadSettings",
  ReloadTlsCertificates: "actionReloadTlsCertificates",
};

interface Store {
  all(): Obj[];
  get(id: string): Obj | undefined;
  view(o: Obj): Obj;
  create(props: Record<string, unknown>, grant: Grant): Obj | SetError;
  update(id: string, patch: Record<string, unknown>, grant: Grant): SetError | undefined;
  destroy(id: string): SetError | undefined;
}

function stores(r: Registry): Record<string, Store> {
  const { principals: p, server: s } = r;
  const mapStore = (m: Map<string, Obj>) => ({
    all: () => [...m.values()],
    get: (id: string) => m.get(id),
  });
  return {
    Domain: {
      ...mapStore(r.domains),
      view: (o) => r.viewDomain(o),
      create: (props) => r.createDomain(props),
      update: (id, patch) => r.updateDomain(id, patch),
      destroy: (id) => r.destroyDomain(id),
    },
    DkimSignature: {
      ...mapStore(r.signatures),
      view: (o) => r.viewSignature(o),
      create: (props) => r.createSignature(props),
      update: (id, patch) => r.updateSignature(id, patch),
      destroy: (id) => r.destroySignature(id),
    },
    Role: {
      ...mapStore(p.roles),
      view: (o) => structuredClone(o),
      create: (props, g) => p.createRole(props, g),
      update: (id, patch, g) => p.updateRole(id, patch, g),
      destroy: (id) => p.destroyRole(id),
    },
    Account: {
      ...mapStore(p.accounts),
      view: (o) => p.viewAccount(o),
      create: (props, g) => p.createAccount(props, g),
      update: (id, patch, g) => p.updateAccount(id, patch, g),
      destroy: (id) => p.destroyAccount(id),
    },
    Certificate: {
      ...mapStore(s.certificates),
      view: (o) => s.viewCertificate(o),
      create: (props) => s.createCertificate(props),
      update: (id, patch) => s.updateCertificate(id, patch),
      destroy: (id) => s.destroyCertificate(id),
    },
    NetworkListener: {
      ...mapStore(s.listeners),
      view: (o) => structuredClone(o),
      create: (props) => s.createListener(props),
      update: (id, patch) => s.updateListener(id, patch),
      destroy: (id) => s.destroyListener(id),
    },
    SystemSettings: {
      all: () => [s.viewSettings()],
      get: (id) => (id === SINGLETON_ID ? s.viewSettings() : undefined),
      view: (o) => o,
      create: (props) =>
        s.updateSettings(props, (id) => s.certificates.has(id)) ?? s.viewSettings(),
      update: (id, patch) =>
        id === SINGLETON_ID
          ? s.updateSettings(patch, (cid) => s.certificates.has(cid))
          : { type: "notFound" },
      destroy: () => ({
        type: "singleton",
        description: "Singletons cannot be created or destroyed.",
      }),
    },
  };
}

function nonEmpty(v: unknown): boolean {
  return Array.isArray(v)
    ? v.length > 0
    : v !== null && typeof v === "object" && Object.keys(v).length > 0;
}

function assertPermission(type: string, verb: string, args: Record<string, unknown>, grant: Grant) {
  if (grant === "all") return;
  const forbidden = (why: string) => new MethodError("forbidden", why);
  if (verb !== "set") {
    if (!grant.has(`sys${type}${verb === "get" ? "Get" : "Query"}`))
      throw forbidden("You are not authorized to perform this action");
    return;
  }
  const perms =
    type === "SystemSettings" ? ["Update", "Update", "Update"] : ["Create", "Update", "Destroy"];
  const can = perms.map((v) => grant.has(`sys${type}${v}`));
  if (can.every((c) => !c))
    throw forbidden("You are not authorized to create, update or destroy objects of this type");
  ["create", "update", "destroy"].forEach((k, i) => {
    if (!can[i] && nonEmpty(args[k]))
      throw forbidden(`You are not authorized to ${k} objects of this type`);
  });
}

function matchFilter(o: Obj, key: string, kind: FilterKind, value: unknown) {
  if (kind === "type") return o["@type"] === value;
  if (kind === "text") {
    const haystack = JSON.stringify(key === "text" ? o : o[key]).toLowerCase();
    return String(value)
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .every((w) => haystack.includes(w));
  }
  const field = o[key];
  if (field && typeof field === "object") return Object.keys(field).includes(String(value));
  return field === value;
}

/** Runs one method call; throws MethodError for method-level errors. */
export function dispatch(
  registry: Registry,
  name: string,
  args: Record<string, unknown>,
  grant: Grant,
  bootstrapMode: boolean,
): Record<string, unknown> {
  const match = /^x:([A-Za-z]+)\/(get|set|query)$/.exec(name);
  const all = stores(registry);
  if (!match || (!all[match[1]] && match[1] !== "Action"))
    throw new MethodError("unknownMethod", `Unknown method ${name}`);
  const [, type, verb] = match;
  if (bootstrapMode) {
    throw new MethodError(
      "forbidden",
      "The server is in bootstrap mode. Only the 'Bootstrap' object type can be accessed until the bootstrap process is complete.",
    );
  }
  assertPermission(type, verb, args, grant);
  const unknown = Object.keys(args).filter((k) => !ALLOWED_ARGS[verb].includes(k));
  if (unknown.length)
    throw new MethodError("invalidArguments", `Unknown arguments: ${unknown.join(",")}`);
  if (type === "Action") {
    if (verb === "query") throw new MethodError("invalidArguments", "Actions cannot be queried");
    // Stricter than the server where unsure: /get of actions is not modelled.
    if (verb !== "set") throw new MethodError("unknownMethod", `Unsupported method ${name}`);
    return actionSet(registry, args, grant);
  }
  const store = all[type];
  if (verb === "get") {
    const ids = (args.ids as string[] | null | undefined) ?? store.all().map((o) => o.id);
    const props = args.properties as string[] | null | undefined;
    const list = ids
      .filter((id) => store.get(id))
      .map((id) => {
        const full = store.view(store.get(id)!);
        if (!props) return full;
        return Object.fromEntries(
          Object.entries(full).filter(([k]) => k === "id" || k === "@type" || props.includes(k)),
        );
      });
    return {
      accountId: ACCOUNT_ID,
      state: "0",
      list,
      notFound: ids.filter((id) => !store.get(id)),
    };
  }
  if (verb === "query") {
    const filter = (args.filter as Record<string, unknown> | undefined) ?? {};
    const known = FILTERS[type];
    const bad = Object.keys(filter).filter((k) => !(k in known));
    if (bad.length)
      throw new MethodError("unsupportedFilter", `Unsupported filter ${bad.join(",")}`);
    const ids = store
      .all()
      .filter((o) => Object.entries(filter).every(([k, v]) => matchFilter(o, k, known[k], v)))
      .map((o) => o.id);
    return {
      accountId: ACCOUNT_ID,
      queryState: "0",
      canCalculateChanges: false,
      position: 0,
      ids,
      total: ids.length,
    };
  }
  return objectSet(store, args, grant);
}

function objectSet(store: Store, args: Record<string, unknown>, grant: Grant) {
  const result: Record<string, unknown> = { accountId: ACCOUNT_ID, oldState: "0", newState: "0" };
  const created: Record<string, unknown> = {};
  const notCreated: Record<string, SetError> = {};
  for (const [key, props] of Object.entries(
    (args.create as Record<string, Record<string, unknown>>) ?? {},
  )) {
    const out = store.create(props, grant);
    if ("id" in out) created[key] = { id: out.id };
    else notCreated[key] = out;
  }
  const updated: Record<string, null> = {};
  const notUpdated: Record<string, SetError> = {};
  for (const [id, patch] of Object.entries(
    (args.update as Record<string, Record<string, unknown>>) ?? {},
  )) {
    const error = store.update(id, patch, grant);
    if (error) notUpdated[id] = error;
    else updated[id] = null;
  }
  const destroyed: string[] = [];
  const notDestroyed: Record<string, SetError> = {};
  for (const id of (args.destroy as string[]) ?? []) {
    const error = store.destroy(id);
    if (error) notDestroyed[id] = error;
    else destroyed.push(id);
  }
  if (args.create) Object.assign(result, { created, notCreated });
  if (args.update) Object.assign(result, { updated, notUpdated });
  if (args.destroy) Object.assign(result, { destroyed, notDestroyed });
  return result;
}

function actionSet(registry: Registry, args: Record<string, unknown>, grant: Grant) {
  const created: Record<string, unknown> = {};
  const notCreated: Record<string, SetError> = {};
  for (const [key, props] of Object.entries(
    (args.create as Record<string, Record<string, unknown>>) ?? {},
  )) {
    const kind = String(props["@type"]);
    const permission = ACTIONS[kind];
    if (!permission) {
      notCreated[key] = {
        type: "invalidPatch",
        properties: ["@type"],
        description: "Invalid variant",
      };
      continue;
    }
    if (grant !== "all" && !grant.has(permission)) {
      notCreated[key] = {
        type: "forbidden",
        description: `Insufficient permissions to perform action of type ${kind}`,
      };
      continue;
    }
    const errors =
      kind === "ReloadSettings"
        ? registry.server.reloadSettings()
        : registry.server.loadCertificates();
    if (errors.length) notCreated[key] = errors[0];
    else created[key] = { id: encodeId(Math.floor(Date.now() / 1000)) };
  }
  const refuse = (ids: unknown) =>
    Object.fromEntries(
      (Array.isArray(ids) ? ids : Object.keys((ids as object) ?? {})).map((id) => [
        id,
        { type: "forbidden", description: "Actions cannot be updated" },
      ]),
    );
  return {
    accountId: ACCOUNT_ID,
    oldState: "0",
    newState: "0",
    created,
    notCreated,
    ...(args.update ? { updated: {}, notUpdated: refuse(args.update) } : {}),
    ...(args.destroy ? { destroyed: [], notDestroyed: refuse(args.destroy) } : {}),
  };
}
