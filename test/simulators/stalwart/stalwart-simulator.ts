/**
 * Stalwart 0.16.18 management API simulator on the shared FaultServer: `GET /jmap/session`,
 * `POST /jmap/` with the JMAP envelope, result references, the `x:Domain` and
 * `x:DkimSignature` get/set/query methods, Basic and Bearer auth with the 401 problem body.
 * Upstream behaviour it reproduces (stalwartlabs/stalwart@v0.16.18):
 * - bootstrap mode: every registry method except x:Bootstrap fails with method-level
 *   `forbidden` (jmap/src/registry/get.rs:55-60, set.rs:102-107, query.rs:56-61);
 * - permissions: a caller without `sys<Object><Verb>` gets method-level `forbidden`, not an
 *   HTTP 403 (jmap/src/api/auth.rs:57-93, :294-315, validate_set :319-356);
 * - set errors and validation: see registry.ts and object-schema.ts.
 * Stricter than the server where unsure: `using` must name urn:stalwart:jmap (the server
 * skips that check for x: methods: jmap/src/api/request.rs:108-121).
 */
import { FaultServer, type SimRequest, type SimResponse } from "../fault-server";
import { Registry, type Obj, type RegistryOptions } from "./registry";
import type { SetError } from "./object-schema";

export interface StalwartSimOptions extends RegistryOptions {
  /** The recovery admin (all permissions: common/src/auth/access_token.rs:804-810). */
  username?: string;
  password?: string;
  /** A Bearer token with all permissions. */
  token?: string;
  /** A Bearer token that authenticates but holds no sys* permission. */
  forbiddenToken?: string;
  /** Accounts (Basic `name@domain:password`) with exactly these permissions. */
  users?: Record<string, { password: string; permissions: string[] }>;
  /** No data-store file: the server is in bootstrap mode (store/src/build/registry.rs:38-68). */
  bootstrapMode?: boolean;
}

/** What an authenticated caller may do: "all" or the permission names it holds. */
type Grant = "all" | Set<string>;

const CORE = "urn:ietf:params:jmap:core";
const STALWART = "urn:stalwart:jmap";
const ACCOUNT_ID = "a";

type Invocation = [string, Record<string, unknown>, string];

function problem(status: number, title: string, detail: string, type = "about:blank"): SimResponse {
  return {
    status,
    headers: { "content-type": "application/problem+json" },
    body: { type, status, title, detail },
  };
}

class MethodError extends Error {
  constructor(
    readonly type: string,
    description: string,
  ) {
    super(description);
  }
}

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
const FILTERS: Record<string, string[]> = {
  Domain: ["name", "text", "memberTenantId"],
  DkimSignature: ["domainId", "text", "memberTenantId"],
};

export class StalwartSimulator {
  readonly registry: Registry;
  readonly server: FaultServer;

  constructor(private readonly options: StalwartSimOptions = {}) {
    this.registry = new Registry(options);
    this.server = new FaultServer((req) => this.handle(req));
  }

  async start(): Promise<string> {
    return this.server.start();
  }

  async stop(): Promise<void> {
    this.registry.stop();
    await this.server.stop();
  }

  /** How many times a JMAP method was called (across all requests seen). */
  methodCount(method: string): number {
    return this.server.log.reduce((n, r) => {
      const calls = (r.body as { methodCalls?: Invocation[] } | undefined)?.methodCalls ?? [];
      return n + calls.filter((c) => Array.isArray(c) && c[0] === method).length;
    }, 0);
  }

  /** The caller's grant, or the 401 response. Usernames are lower-cased (auth/authentication.rs:566-597). */
  private authenticate(req: SimRequest): Grant | SimResponse {
    const header = req.headers.authorization ?? "";
    const [scheme, value = ""] = header.split(" ", 2);
    const s = scheme.toLowerCase();
    if (s === "bearer" && this.options.forbiddenToken && value === this.options.forbiddenToken) {
      return new Set(["authenticate"]);
    }
    if (s === "bearer" && this.options.token && value === this.options.token) return "all";
    if (s === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const at = decoded.indexOf(":");
      const user = decoded.slice(0, at).trim().toLowerCase();
      const secret = decoded.slice(at + 1);
      if (at > 0 && user === (this.options.username ?? "admin")) {
        if (secret === this.options.password) return "all";
      } else if (at > 0) {
        const account = this.options.users?.[user];
        // An account without `authenticate` cannot sign in (auth/authentication.rs:40-45).
        if (account && account.password === secret && account.permissions.includes("authenticate"))
          return new Set(account.permissions);
      }
    }
    const response = problem(401, "Unauthorized", "You have to authenticate first.");
    response.headers!["www-authenticate"] = [
      'Bearer realm="Stalwart Server", resource_metadata="/.well-known/oauth-protected-resource"',
      'Basic realm="Stalwart Server"',
    ];
    return response;
  }

  private handle(req: SimRequest): SimResponse {
    if (req.path === "/api" || req.path === "/api/") {
      return problem(404, "Not Found", "The requested resource does not exist on this server.");
    }
    const grant = this.authenticate(req);
    if (!(grant instanceof Set) && grant !== "all") return grant;
    if (req.method === "GET" && req.path === "/jmap/session") {
      return {
        status: 200,
        body: {
          capabilities: { [CORE]: {}, [STALWART]: {} },
          accounts: { [ACCOUNT_ID]: { name: "admin", isPersonal: true } },
          primaryAccounts: { [STALWART]: ACCOUNT_ID },
          apiUrl: "/jmap/",
          state: "s0",
        },
      };
    }
    if (req.method !== "POST" || (req.path !== "/jmap/" && req.path !== "/jmap")) {
      return problem(404, "Not Found", "The requested resource does not exist on this server.");
    }
    const contentType = req.headers["content-type"];
    if (contentType !== undefined && !contentType.startsWith("application/json")) {
      return problem(
        400,
        "Not JSON",
        "Content-Type must be application/json",
        "urn:ietf:params:jmap:error:notJSON",
      );
    }
    const body = req.body as { using?: unknown; methodCalls?: unknown } | undefined;
    if (!body || !Array.isArray(body.using) || !Array.isArray(body.methodCalls)) {
      return problem(
        400,
        "Not Request",
        "Invalid JMAP request",
        "urn:ietf:params:jmap:error:notRequest",
      );
    }
    if (!body.using.includes(CORE) || !body.using.includes(STALWART)) {
      return problem(
        400,
        "Unknown Capability",
        "Missing urn:stalwart:jmap",
        "urn:ietf:params:jmap:error:unknownCapability",
      );
    }
    const responses: Invocation[] = [];
    for (const call of body.methodCalls as Invocation[]) {
      const [name, args, callId] = call;
      try {
        const resolved = this.resolveReferences(args ?? {}, responses);
        responses.push([name, this.dispatch(name, resolved, grant), callId]);
      } catch (error) {
        const type = error instanceof MethodError ? error.type : "serverFail";
        responses.push(["error", { type, description: (error as Error).message }, callId]);
      }
    }
    return { status: 200, body: { methodResponses: responses, sessionState: "s0" } };
  }

  private resolveReferences(
    args: Record<string, unknown>,
    done: Invocation[],
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      if (!key.startsWith("#")) {
        out[key] = value;
        continue;
      }
      const ref = value as { resultOf: string; name: string; path: string };
      const source = done.find((r) => r[2] === ref.resultOf && r[0] === ref.name);
      if (!source) throw new MethodError("invalidResultReference", `No result for ${ref.resultOf}`);
      const result = source[1];
      if (ref.path === "/ids") out[key.slice(1)] = result.ids;
      else if (ref.path === "/list/*/id")
        out[key.slice(1)] = (result.list as Obj[]).map((o) => o.id);
      else throw new MethodError("invalidResultReference", `Unsupported path ${ref.path}`);
    }
    return out;
  }

  private dispatch(
    name: string,
    args: Record<string, unknown>,
    grant: Grant,
  ): Record<string, unknown> {
    const match = /^x:(Domain|DkimSignature)\/(get|set|query)$/.exec(name);
    if (!match) throw new MethodError("unknownMethod", `Unknown method ${name}`);
    const [, type, verb] = match;
    if (this.options.bootstrapMode) {
      throw new MethodError(
        "forbidden",
        "The server is in bootstrap mode. Only the 'Bootstrap' object type can be accessed until the bootstrap process is complete.",
      );
    }
    this.assertPermission(type, verb, args, grant);
    const unknown = Object.keys(args).filter((k) => !ALLOWED_ARGS[verb].includes(k));
    if (unknown.length)
      throw new MethodError("invalidArguments", `Unknown arguments: ${unknown.join(",")}`);
    const store = type === "Domain" ? this.registry.domains : this.registry.signatures;
    const view = (o: Obj) =>
      type === "Domain" ? this.registry.viewDomain(o) : this.registry.viewSignature(o);
    if (verb === "get") {
      const ids = (args.ids as string[] | null | undefined) ?? [...store.keys()];
      const props = args.properties as string[] | null | undefined;
      const list = ids
        .filter((id) => store.has(id))
        .map((id) => {
          const full = view(store.get(id)!);
          if (!props) return full;
          return Object.fromEntries(
            Object.entries(full).filter(([k]) => k === "id" || k === "@type" || props.includes(k)),
          );
        });
      return {
        accountId: ACCOUNT_ID,
        state: "0",
        list,
        notFound: ids.filter((id) => !store.has(id)),
      };
    }
    if (verb === "query") {
      const filter = (args.filter as Record<string, unknown> | undefined) ?? {};
      const bad = Object.keys(filter).filter((k) => !FILTERS[type].includes(k));
      if (bad.length)
        throw new MethodError("unsupportedFilter", `Unsupported filter ${bad.join(",")}`);
      const ids = [...store.values()]
        .filter((o) =>
          Object.entries(filter).every(([k, v]) =>
            k === "text" ? JSON.stringify(o).includes(String(v)) : o[k] === v,
          ),
        )
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
    return this.set(type, args);
  }

  /** `sys<Type><Verb>` per method; /set checks create, update and destroy separately. */
  private assertPermission(
    type: string,
    verb: string,
    args: Record<string, unknown>,
    grant: Grant,
  ): void {
    if (grant === "all") return;
    const has = (v: string) => grant.has(`sys${type}${v}`);
    if (verb !== "set") {
      if (!has(verb === "get" ? "Get" : "Query"))
        throw new MethodError("forbidden", "You are not authorized to perform this action");
      return;
    }
    const wants = (k: string) => {
      const v = args[k];
      return Array.isArray(v)
        ? v.length > 0
        : v !== null && typeof v === "object" && Object.keys(v).length > 0;
    };
    for (const [k, v] of [
      ["create", "Create"],
      ["update", "Update"],
      ["destroy", "Destroy"],
    ]) {
      if (wants(k) && !has(v)) {
        throw new MethodError("forbidden", `You are not authorized to ${k} objects of this type`);
      }
    }
  }

  private set(type: string, args: Record<string, unknown>): Record<string, unknown> {
    const r = this.registry;
    const result: Record<string, unknown> = { accountId: ACCOUNT_ID, oldState: "0", newState: "0" };
    const created: Record<string, unknown> = {};
    const notCreated: Record<string, SetError> = {};
    for (const [key, props] of Object.entries(
      (args.create as Record<string, Record<string, unknown>>) ?? {},
    )) {
      const out = type === "Domain" ? r.createDomain(props) : r.createSignature(props);
      if ("id" in out) created[key] = { id: out.id, createdAt: out.createdAt };
      else notCreated[key] = out;
    }
    const updated: Record<string, null> = {};
    const notUpdated: Record<string, SetError> = {};
    for (const [id, patch] of Object.entries(
      (args.update as Record<string, Record<string, unknown>>) ?? {},
    )) {
      const error = type === "Domain" ? r.updateDomain(id, patch) : r.updateSignature(id, patch);
      if (error) notUpdated[id] = error;
      else updated[id] = null;
    }
    const destroyed: string[] = [];
    const notDestroyed: Record<string, SetError> = {};
    for (const id of (args.destroy as string[]) ?? []) {
      const error = type === "Domain" ? r.destroyDomain(id) : r.destroySignature(id);
      if (error) notDestroyed[id] = error;
      else destroyed.push(id);
    }
    if (args.create) Object.assign(result, { created, notCreated });
    if (args.update) Object.assign(result, { updated, notUpdated });
    if (args.destroy) Object.assign(result, { destroyed, notDestroyed });
    return result;
  }
}
