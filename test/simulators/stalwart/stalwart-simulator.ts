/**
 * Stalwart 0.16.18 management API simulator on the shared FaultServer: `GET /jmap/session`,
 * `POST /jmap/` with the JMAP envelope, result references, the registry methods in
 * dispatch.ts, Basic and Bearer auth with the 401 problem body.
 * Upstream behaviour it reproduces (stalwartlabs/stalwart@v0.16.18):
 * - bootstrap mode: every registry method except x:Bootstrap fails with method-level
 *   `forbidden` (jmap/src/registry/get.rs:55-60, set.rs:102-107, query.rs:56-61);
 * - the recovery admin (STALWART_RECOVERY_ADMIN) holds every permission
 *   (common/src/auth/authentication.rs:85-128, access_token.rs:804-810); accounts log in with
 *   `name@domain` and their password and hold their roles' permissions (principals.ts);
 * - permissions: a caller without `sys<Object><Verb>` gets method-level `forbidden`, not an
 *   HTTP 403 (jmap/src/api/auth.rs:57-93, :294-315, validate_set :319-356);
 * - result references are resolved before the permission check (jmap/src/api/request.rs:97-106);
 * - set errors and validation: see registry.ts, principals.ts, server-objects.ts.
 * Stricter than the server where unsure: `using` must name urn:stalwart:jmap (the server
 * skips that check for x: methods: jmap/src/api/request.rs:108-121).
 */
import { FaultServer, type SimRequest, type SimResponse } from "../fault-server";
import { dispatch, MethodError } from "./dispatch";
import type { Grant, Obj } from "./principals";
import { Registry, type RegistryOptions } from "./registry";

export interface StalwartSimOptions extends RegistryOptions {
  /** The recovery admin (all permissions: common/src/auth/access_token.rs:804-810). */
  username?: string;
  password?: string;
  /** A Bearer token with all permissions. */
  token?: string;
  /** A Bearer token that authenticates but holds no sys* permission. */
  forbiddenToken?: string;
  /**
   * Accounts to create at start (`name@domain` -> password and exact permissions): each gets
   * a role with those permissions and a user account on that domain (created if missing).
   */
  users?: Record<string, { password: string; permissions: string[] }>;
  /** No data-store file: the server is in bootstrap mode (store/src/build/registry.rs:38-68). */
  bootstrapMode?: boolean;
}

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

export class StalwartSimulator {
  readonly registry: Registry;
  readonly server: FaultServer;
  /** Who made each authenticated JMAP request (Basic user name, or "bearer") and its methods. */
  readonly callers: Array<{ user: string; methods: string[] }> = [];

  /** An operator changes the recovery admin's password: the old one stops working at once. */
  set password(value: string) {
    this.options.password = value;
  }

  constructor(private readonly options: StalwartSimOptions = {}) {
    this.registry = new Registry(options);
    this.server = new FaultServer((req) => this.handle(req));
    if (!options.bootstrapMode) this.registry.firstStart();
    for (const [address, user] of Object.entries(options.users ?? {})) this.seedUser(address, user);
  }

  /** A role with exactly `permissions` and an account holding it (test set-up). */
  seedUser(address: string, user: { password: string; permissions: string[] }): Obj {
    const [name, domain] = address.toLowerCase().split("@");
    const r = this.registry;
    const existing = [...r.domains.values()].find((d) => d.name === domain);
    const domainObj =
      existing ?? (r.createDomain({ name: domain, dkimManagement: { "@type": "Manual" } }) as Obj);
    const role = r.principals.createRole(
      {
        description: `permissions of ${address}`,
        enabledPermissions: Object.fromEntries(user.permissions.map((p) => [p, true])),
      },
      "all",
    ) as Obj;
    const account = r.principals.createAccount(
      {
        "@type": "User",
        name,
        domainId: domainObj.id,
        roles: { "@type": "Custom", roleIds: { [role.id]: true } },
      },
      "all",
    ) as Obj;
    // Test accounts may use short passwords; the strength rule applies to API writes only.
    account.credentials = { "0": { "@type": "Password", secret: user.password } };
    return account;
  }

  async start(): Promise<string> {
    return this.server.start();
  }

  async stop(): Promise<void> {
    this.registry.stop();
    await this.server.stop();
  }

  /** `systemctl restart stalwart`: settings, certificates and listeners are read again. */
  restart(): void {
    this.registry.server.restart();
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
        const defaultDomain = this.registry.server.loaded.defaultDomainId;
        const grant = this.registry.principals.login(
          user,
          secret,
          defaultDomain ? (this.registry.domains.get(defaultDomain)?.name as string) : undefined,
        );
        if (grant) return grant;
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
    const [scheme, value = ""] = (req.headers.authorization ?? "").split(" ", 2);
    this.callers.push({
      user:
        scheme.toLowerCase() === "basic"
          ? Buffer.from(value, "base64").toString("utf8").split(":")[0].toLowerCase()
          : "bearer",
      methods: ((req.body as { methodCalls?: Invocation[] })?.methodCalls ?? []).map((c) => c[0]),
    });
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
        const result = dispatch(this.registry, name, resolved, grant, !!this.options.bootstrapMode);
        responses.push([name, result, callId]);
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
}
