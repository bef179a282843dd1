/**
 * An OCIS (7.1) stand-in on the shared FaultServer, mounted under /graph. A bearer token stands
 * for OIDC claims; the proxy part (ocis-identity.ts) turns them into an autoprovisioned user with
 * one system role, and every route checks that role's permissions as the server does
 * (ocis-drives.ts, ocis-members.ts, ocis-groups.ts). Requests are validated against the vendored
 * LibreGraph spec first; what the spec does not say comes from the upstream source, cited at
 * each rule and listed in docs/conformance/ocis.md.
 */
import { randomUUID } from "node:crypto";
import { FaultServer, type SimRequest, type SimResponse } from "../fault-server";
import { OpenApiValidator } from "../openapi-validator";
import {
  claimsFor,
  DEFAULT_PROXY,
  resolveUser,
  type Claims,
  type OcisRoleName,
  type ProxyConfig,
  type SimUser,
} from "./ocis-identity";
import { createDrive, deleteDrive, getDrive, listDrives, patchDrive } from "./ocis-drives";
import { groupsRoute, me, user } from "./ocis-groups";
import { err, SPEC_FILE, type OcisSimulatorOptions, type SimContext } from "./ocis-http";
import { invite, permissions } from "./ocis-members";
import { newDrive, type SimDrive, type SimGroup } from "./ocis-model";

export { SPEC_FILE, type OcisSimulatorOptions };

/** The identities every simulator knows: token -> user and the role its claims map to. */
export const DEFAULT_IDENTITIES: {
  token: string;
  role: OcisRoleName;
  username: string;
  name: string;
}[] = [
  {
    token: "provisioner-token",
    role: "admin",
    username: "dezky-ocis-provisioner",
    name: "Dezky Provisioner",
  },
  { token: "spaceadmin-token", role: "spaceadmin", username: "space-admin", name: "Space Admin" },
  { token: "user-token", role: "user", username: "plain-user", name: "Plain User" },
];

export class OcisSimulator {
  readonly server: FaultServer;
  readonly validator = new OpenApiValidator(SPEC_FILE, "/graph");
  readonly drives = new Map<string, SimDrive>();
  readonly groups = new Map<string, SimGroup>();
  /** Autoprovisioned users (the proxy creates them at their first request). */
  readonly users: SimUser[] = [];
  readonly proxy: ProxyConfig;
  private readonly tokens = new Map<string, Claims>();

  constructor(private readonly options: OcisSimulatorOptions = {}) {
    this.proxy = options.proxy ?? DEFAULT_PROXY;
    for (const d of DEFAULT_IDENTITIES) {
      const mail = `${d.username}@dezky.test`;
      this.tokens.set(
        d.token,
        claimsFor(this.proxy, { username: d.username, displayName: d.name, mail }, d.role),
      );
    }
    for (const [token, claims] of Object.entries(options.tokens ?? {}))
      this.tokens.set(token, claims);
    this.server = new FaultServer((req) => this.handle(req));
  }

  get url(): string {
    return this.server.url;
  }
  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A bearer token that stands for these claims (what Authentik would have signed). */
  issueToken(claims: Claims): string {
    const token = `token-${randomUUID()}`;
    this.tokens.set(token, claims);
    return token;
  }

  /** The claims a token stands for (to mint another token for the same identity). */
  claimsOf(token: string): Claims {
    const claims = this.tokens.get(token);
    if (!claims) throw new Error(`unknown token ${token}`);
    return claims;
  }

  /** The token expires: the proxy answers 401 to it from now on. */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** The user behind a token, provisioning it as a first request would. */
  userFor(token: string): SimUser {
    const claims = this.tokens.get(token);
    const resolved = claims ? resolveUser(claims, this.users, this.proxy) : undefined;
    if (!resolved || !("user" in resolved))
      throw new Error(`token ${token} does not resolve to a user`);
    return resolved.user;
  }
  get provisioner(): SimUser {
    return this.userFor("provisioner-token");
  }

  /** Project drives with this name (names are not unique). */
  drivesNamed(name: string): SimDrive[] {
    return [...this.drives.values()].filter((d) => d.name === name);
  }

  /** A group as created by another client (or by the proxy's group sync at a login). */
  addGroup(displayName: string): SimGroup {
    const group = { id: randomUUID(), displayName };
    this.groups.set(group.id, group);
    return group;
  }

  /** Creates a drive directly (as if made in OCIS Web by the given user). */
  addDrive(
    name: string,
    description?: string,
    creator: SimUser = this.userFor("spaceadmin-token"),
  ): SimDrive {
    const drive = newDrive(name, description, undefined, creator);
    this.drives.set(drive.id, drive);
    return drive;
  }

  private handle(req: SimRequest): SimResponse {
    // The proxy: no or unknown bearer -> 401 without a Graph body; claims that cannot be turned
    // into a user with a role -> bare 500 (account_resolver.go).
    const auth = String(req.headers.authorization ?? "");
    const claims = auth.startsWith("Bearer ") ? this.tokens.get(auth.slice(7)) : undefined;
    if (!claims) return { status: 401 };
    const resolved = resolveUser(claims, this.users, this.proxy);
    if (!("user" in resolved))
      return { status: resolved.status, headers: { "x-sim-reason": resolved.reason } };
    const problem = this.validator.validate(req.method, req.path, req.query, req.body, req.rawBody);
    if (problem) {
      if (problem.status === 400) {
        return err(400, "invalidRequest", `${problem.message}: ${JSON.stringify(problem.fields)}`);
      }
      return { status: problem.status, body: "404 page not found" };
    }
    const ctx: SimContext = {
      url: this.url,
      caller: resolved.user,
      drives: this.drives,
      groups: this.groups,
      users: this.users,
      options: {
        version: this.options.version ?? 7,
        searchMinLength: this.options.searchMinLength ?? 3,
      },
    };
    return this.route(req, ctx);
  }

  private route(req: SimRequest, ctx: SimContext): SimResponse {
    const seg = req.path.split("/").slice(2).map(decodeURIComponent); // drop "", "graph"
    const [version, collection, id, sub, sub2, permId] = seg;
    const beta = version === "v1beta1";
    const v8 = ctx.options.version === 8;
    if (seg.length === 2 && version === "v1.0" && collection === "me") return me(ctx);
    if (version === "v1.0" && collection === "users" && id !== undefined && seg.length === 3) {
      return user(req, ctx, id);
    }
    if (collection === "drives" || (collection === "me" && id === "drives")) {
      const mine = collection === "me";
      if (seg.length === 2 || (mine && seg.length === 3)) {
        if (req.method !== "POST") return listDrives(req, ctx, beta, mine);
        return beta && !v8
          ? err(405, "notAllowed", "method not allowed")
          : createDrive(req, ctx, beta);
      }
      const drive = this.drives.get(id);
      if (seg.length === 3) {
        // service.go: v1beta1 has no single-drive routes before 8.0 (owncloud/ocis#11871).
        if (beta && !v8) return { status: 404, body: "404 page not found" };
        if (req.method === "GET") return getDrive(drive, ctx, beta);
        if (req.method === "DELETE") return deleteDrive(req, drive, ctx);
        return patchDrive(req, drive, ctx, beta);
      }
      if (sub === "root" && !beta) return { status: 404, body: "404 page not found" };
      if (sub === "root" && sub2 === "invite") return invite(req, drive, ctx);
      if (sub === "root" && sub2 === "permissions") return permissions(req, drive, ctx, permId);
    }
    if (collection === "groups" && version === "v1.0" && seg.length <= 3)
      return groupsRoute(req, ctx, id);
    return err(501, "notSupported", `simulator does not implement ${req.method} ${req.path}`);
  }
}
