/**
 * An OCIS LibreGraph simulator on the shared FaultServer, mounted under /graph. Every request
 * is validated against the vendored LibreGraph spec; on top of that it reproduces what the spec
 * does not say (shared/reference/ocis-api.md §11): strict bodies (unknown fields -> 400), 201 on
 * create, 404 for not-found-or-forbidden, 400 on purging an enabled space, 409 on a duplicate
 * invite, 403 for removing the last Manager, Purge/Restore headers, 401 without a body.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { parse } from "yaml";
import { FaultServer, type SimRequest, type SimResponse } from "../fault-server";
import { OpenApiValidator } from "../openapi-validator";
import {
  allowedRoles,
  AVAILABLE_ROLES,
  betaPermission,
  newDrive,
  odataError,
  parseBool,
  renderDrive,
  ROLE,
  spaceNameProblem,
  type SimDrive,
  type SimGroup,
  type SimUser,
} from "./ocis-model";

export const SPEC_FILE = path.resolve(
  __dirname,
  "../../../components/providers/ocis/spec/v1.0.yaml",
);

const specDoc = parse(fs.readFileSync(SPEC_FILE, "utf8"), { maxAliasCount: -1 }) as {
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
/** Properties a schema knows: OCIS decodes with DisallowUnknownFields. */
function known(schema: string): Set<string> {
  return new Set(Object.keys(specDoc.components.schemas[schema]?.properties ?? {}));
}
const KNOWN = {
  drive: known("driveUpdate"),
  invite: known("driveItemInvite"),
  recipient: known("driveRecipient"),
  group: known("group"),
  permission: known("permission"),
};

export interface OcisSimulatorOptions {
  /** 7 = OCIS 7.x (v1beta1 single-drive routes absent), 8 = 8.x. @default 7 */
  version?: 7 | 8;
  /** GRAPH_IDENTITY_SEARCH_MIN_LENGTH for non-admins. @default 3 */
  searchMinLength?: number;
}

const err = (status: number, code: string, message: string): SimResponse => ({
  status,
  body: odataError(code, message),
});
const notFound = (what = "drive not found") => err(404, "itemNotFound", what);

/** OCIS decodes bodies with DisallowUnknownFields: the first unknown field is a 400. */
function unknownFieldError(
  body: Record<string, unknown>,
  known: Set<string>,
): SimResponse | undefined {
  const unknown = Object.keys(body).find((k) => !known.has(k));
  return unknown === undefined
    ? undefined
    : err(400, "invalidRequest", `invalid body schema definition: unknown field ${unknown}`);
}

export class OcisSimulator {
  readonly server: FaultServer;
  readonly validator = new OpenApiValidator(SPEC_FILE, "/graph");
  readonly drives = new Map<string, SimDrive>();
  readonly groups = new Map<string, SimGroup>();
  readonly users: SimUser[] = [
    {
      id: randomUUID(),
      displayName: "Dezky Provisioner",
      token: "provisioner-token",
      role: "admin",
    },
    { id: randomUUID(), displayName: "Space Admin", token: "spaceadmin-token", role: "spaceadmin" },
    { id: randomUUID(), displayName: "Plain User", token: "user-token", role: "user" },
  ];

  constructor(private readonly options: OcisSimulatorOptions = {}) {
    this.server = new FaultServer((req) => this.handle(req));
  }

  get url(): string {
    return this.server.url;
  }
  get provisioner(): SimUser {
    return this.users[0];
  }
  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Project drives with this name (names are not unique). */
  drivesNamed(name: string): SimDrive[] {
    return [...this.drives.values()].filter((d) => d.name === name);
  }

  addGroup(displayName: string, description?: string): SimGroup {
    const group = { id: randomUUID(), displayName, description };
    this.groups.set(group.id, group);
    return group;
  }

  /** Creates a drive directly (as if made in OCIS Web by the given user). */
  addDrive(name: string, description?: string, creator: SimUser = this.users[1]): SimDrive {
    const drive = newDrive(name, description, undefined, creator);
    this.drives.set(drive.id, drive);
    return drive;
  }

  private handle(req: SimRequest): SimResponse {
    const auth = String(req.headers.authorization ?? "");
    const caller = this.users.find((u) => auth === `Bearer ${u.token}`);
    if (!caller) return { status: 401 }; // the proxy answers, without a Graph body
    const problem = this.validator.validate(req.method, req.path, req.query, req.body, req.rawBody);
    if (problem) {
      if (problem.status === 400) {
        return err(400, "invalidRequest", `${problem.message}: ${JSON.stringify(problem.fields)}`);
      }
      return { status: problem.status, body: "404 page not found" };
    }
    const seg = req.path.split("/").slice(2).map(decodeURIComponent); // drop "", "graph"
    const [version, collection, id, sub, sub2, permId] = seg;
    const beta = version === "v1beta1";
    if (seg.length === 2 && version === "v1.0" && collection === "me") {
      return { status: 200, body: { id: caller.id, displayName: caller.displayName } };
    }
    if (collection === "drives" || (collection === "me" && id === "drives")) {
      if (seg.length === 2 || (collection === "me" && seg.length === 3)) {
        if (req.method === "POST") {
          return beta && this.options.version !== 8
            ? err(405, "notAllowed", "method not allowed")
            : this.createDrive(req, caller, beta);
        }
        return this.listDrives(req, caller, beta, collection === "me");
      }
      const drive = this.drives.get(id);
      if (seg.length === 3) {
        if (beta && this.options.version !== 8) return { status: 404, body: "404 page not found" };
        return this.singleDrive(req, caller, drive, beta);
      }
      if (sub === "root" && !beta)
        return notFound("not implemented: GET /v1.0/drives/{id}/root (owncloud/ocis#9799)");
      if (sub === "root" && sub2 === "invite") return this.invite(req, caller, drive);
      if (sub === "root" && sub2 === "permissions")
        return this.permissions(req, caller, drive, permId);
      return err(501, "notSupported", `simulator does not implement ${req.method} ${req.path}`);
    }
    if (collection === "groups" && version === "v1.0") return this.groupsRoute(req, caller, id);
    return err(501, "notSupported", `simulator does not implement ${req.method} ${req.path}`);
  }

  private canList(user: SimUser): boolean {
    return user.role === "admin" || user.role === "spaceadmin";
  }
  private roleOf(drive: SimDrive, user: SimUser): string | undefined {
    return drive.permissions.find((p) => p.kind === "u" && p.principalId === user.id)?.roleId;
  }
  private visible(drive: SimDrive | undefined, user: SimUser): drive is SimDrive {
    return drive !== undefined && (this.canList(user) || this.roleOf(drive, user) !== undefined);
  }

  private listDrives(req: SimRequest, caller: SimUser, beta: boolean, mine: boolean): SimResponse {
    let drives = [...this.drives.values()].filter((d) =>
      mine || !this.canList(caller) ? this.roleOf(d, caller) !== undefined : true,
    );
    const filter = req.query.get("$filter");
    if (filter) {
      const m = /^(driveType|id) eq '?([^']*)'?$/.exec(filter.trim());
      if (!m) return err(501, "notSupported", "unsupported filter operand");
      drives = drives.filter((d) => (m[1] === "id" ? d.id === m[2] : m[2] === "project"));
    }
    const orderby = req.query.get("$orderby");
    if (orderby) {
      const m = /^(name|lastModifiedDateTime)(?: (asc|desc))?$/.exec(orderby);
      if (!m)
        return err(400, "invalidRequest", `we do not support <${orderby}> as a order parameter`);
      const key = m[1] === "name" ? "name" : "lastModified";
      drives.sort((a, b) => a[key].localeCompare(b[key]) * (m[2] === "desc" ? -1 : 1));
    }
    return { status: 200, body: { value: drives.map((d) => renderDrive(d, this.url, beta)) } };
  }

  private createDrive(req: SimRequest, caller: SimUser, beta: boolean): SimResponse {
    if (!this.canList(caller))
      return err(403, "notAllowed", "insufficient permissions to create a space.");
    const body = req.body as Record<string, unknown>;
    const unknownField = unknownFieldError(body, KNOWN.drive);
    if (unknownField) return unknownField;
    const nameProblem = spaceNameProblem(String(body.name ?? ""));
    if (nameProblem) return err(400, "invalidRequest", nameProblem);
    if (body.driveType !== undefined && body.driveType !== "project") {
      return err(400, "invalidRequest", "drives of this type cannot be created via this api");
    }
    const quota = (body.quota as { total?: number } | undefined)?.total;
    const drive = newDrive(
      String(body.name).trim(),
      body.description as string | undefined,
      quota,
      caller,
    );
    if (typeof body.driveAlias === "string") drive.driveAlias = body.driveAlias;
    this.drives.set(drive.id, drive);
    return { status: 201, body: renderDrive(drive, this.url, beta) };
  }

  private singleDrive(
    req: SimRequest,
    caller: SimUser,
    drive: SimDrive | undefined,
    beta: boolean,
  ): SimResponse {
    if (!this.visible(drive, caller)) return notFound();
    const isManager = this.roleOf(drive, caller) === ROLE.manager;
    if (req.method === "GET") return { status: 200, body: renderDrive(drive, this.url, beta) };
    if (req.method === "DELETE") {
      if (!this.canList(caller) && !isManager) return notFound();
      if (parseBool(req.headers.purge)) {
        if (!drive.disabled)
          return err(400, "invalidRequest", "error: bad request: can't purge enabled space");
        this.drives.delete(drive.id);
        return { status: 204 };
      }
      drive.disabled = true; // idempotent: a second call re-stamps the deletion time
      drive.lastModified = new Date().toISOString();
      return { status: 204 };
    }
    // PATCH
    if (!this.canList(caller) && !isManager) return notFound();
    if (parseBool(req.headers.restore)) {
      drive.disabled = false;
      drive.lastModified = new Date().toISOString();
      return { status: 200, body: renderDrive(drive, this.url, beta) };
    }
    const body = req.body as Record<string, unknown>;
    const unknownField = unknownFieldError(body, KNOWN.drive);
    if (unknownField) return unknownField;
    if (body.quota !== undefined && !this.canList(caller)) {
      return err(403, "notAllowed", "user is not allowed to set the space quota");
    }
    if (body.name !== undefined) {
      const nameProblem = spaceNameProblem(String(body.name));
      if (nameProblem) return err(400, "invalidRequest", nameProblem);
      drive.name = String(body.name).trim();
    }
    if (body.description !== undefined) drive.description = String(body.description);
    const total = (body.quota as { total?: number } | undefined)?.total;
    if (total !== undefined) drive.quotaTotal = total < 0 ? drive.quotaTotal : total;
    drive.lastModified = new Date().toISOString();
    return { status: 200, body: renderDrive(drive, this.url, beta) };
  }

  private invite(req: SimRequest, caller: SimUser, drive: SimDrive | undefined): SimResponse {
    if (!drive || drive.disabled || !this.visible(drive, caller)) {
      return notFound(`stat: error: not found: ${drive?.id ?? "drive"}`);
    }
    const body = req.body as { recipients?: Record<string, unknown>[]; roles?: string[] };
    const unknown = [
      ...Object.keys(body).filter((k) => !KNOWN.invite.has(k)),
      ...(body.recipients ?? []).flatMap((r) =>
        Object.keys(r).filter((k) => !KNOWN.recipient.has(k)),
      ),
    ];
    if (unknown.length)
      return err(
        400,
        "invalidRequest",
        `invalid body schema definition: unknown field ${unknown[0]}`,
      );
    if (body.recipients?.length !== 1) {
      return err(
        400,
        "invalidRequest",
        "Key: 'DriveItemInvite.Recipients' Error:Field validation for 'Recipients' failed on the 'len' tag",
      );
    }
    const recipient = body.recipients[0];
    const objectId = String(recipient.objectId ?? "");
    if (objectId === "")
      return err(
        400,
        "invalidRequest",
        "Key: 'DriveRecipient.ObjectId' Error:Field validation for 'ObjectId' failed on the 'ne' tag",
      );
    const kind = (recipient["@libre.graph.recipient.type"] ?? "user") === "group" ? "g" : "u";
    const principal =
      kind === "g" ? this.groups.get(objectId) : this.users.find((u) => u.id === objectId);
    if (!principal) return err(400, "invalidRequest", "itemNotFound: not found");
    const roleId = body.roles?.[0] ?? "";
    if (body.roles?.length !== 1 || !AVAILABLE_ROLES[roleId]) {
      return err(
        400,
        "invalidRequest",
        "Key: 'DriveItemInvite.Roles' Error:Field validation for 'Roles' failed on the 'available_role' tag",
      );
    }
    if (!AVAILABLE_ROLES[roleId].spaceRoot)
      return err(400, "invalidRequest", "role not applicable to this resource");
    if (this.roleOf(drive, caller) !== ROLE.manager)
      return err(403, "accessDenied", "permission denied");
    if (drive.permissions.some((p) => p.kind === kind && p.principalId === objectId)) {
      return err(409, "nameAlreadyExists", "error: already exists: grant already exists");
    }
    const permission = {
      kind,
      principalId: objectId,
      displayName: principal.displayName,
      roleId,
      invitedBy: { id: caller.id, displayName: caller.displayName },
    } as const;
    drive.permissions.push(permission);
    return { status: 200, body: { value: [betaPermission(permission)] } };
  }

  private permissions(
    req: SimRequest,
    caller: SimUser,
    drive: SimDrive | undefined,
    permId?: string,
  ): SimResponse {
    if (!drive || drive.disabled || !this.visible(drive, caller))
      return notFound(`stat: error: not found: ${drive?.id ?? "drive"}`);
    const isManager = this.roleOf(drive, caller) === ROLE.manager;
    if (permId === undefined) {
      const value = drive.permissions.filter(
        (p) => isManager || (p.kind === "u" && p.principalId === caller.id),
      );
      return {
        status: 200,
        body: {
          "@libre.graph.permissions.actions.allowedValues": [
            "libre.graph/driveItem/permissions/create",
          ],
          "@libre.graph.permissions.roles.allowedValues": allowedRoles(),
          value: value.map(betaPermission),
        },
      };
    }
    const index = drive.permissions.findIndex((p) => `${p.kind}:${p.principalId}` === permId);
    if (!isManager) return err(403, "accessDenied", "permission denied");
    if (index < 0) return notFound("permission not found");
    const permission = drive.permissions[index];
    const managers = drive.permissions.filter((p) => p.roleId === ROLE.manager).length;
    const lastManager = permission.roleId === ROLE.manager && managers === 1;
    if (req.method === "DELETE") {
      if (lastManager) return err(403, "accessDenied", "cannot remove the last manager");
      drive.permissions.splice(index, 1);
      return { status: 204 };
    }
    if (req.method === "PATCH") {
      const body = req.body as { roles?: string[] };
      const unknownField = unknownFieldError(body, KNOWN.permission);
      if (unknownField) return unknownField;
      const roleId = body.roles?.[0];
      if (roleId !== undefined) {
        if (!AVAILABLE_ROLES[roleId]?.spaceRoot)
          return err(400, "invalidRequest", "role not applicable to this resource");
        if (lastManager && roleId !== ROLE.manager)
          return err(403, "accessDenied", "cannot demote the last manager");
        permission.roleId = roleId;
      }
      return { status: 200, body: betaPermission(permission) };
    }
    return { status: 200, body: betaPermission(permission) };
  }

  private groupsRoute(req: SimRequest, caller: SimUser, idOrName?: string): SimResponse {
    const isAdmin = caller.role === "admin";
    if (idOrName === undefined && req.method === "GET") {
      const term = (req.query.get("$search") ?? "").replace(/^"|"$/g, "");
      if (!isAdmin && term.length < (this.options.searchMinLength ?? 3)) {
        return err(400, "invalidRequest", "search term too short");
      }
      const value = [...this.groups.values()].filter(
        (g) => g.displayName.includes(term) || g.id.includes(term),
      );
      return { status: 200, body: { value } };
    }
    if (idOrName === undefined) {
      if (!isAdmin) return err(403, "accessDenied", "insufficient permissions");
      const body = req.body as Record<string, unknown>;
      const unknownField = unknownFieldError(body, KNOWN.group);
      if (unknownField) return unknownField;
      if (body.id !== undefined)
        return err(400, "invalidRequest", "group id is a read-only attribute");
      if (typeof body.displayName !== "string" || body.displayName === "") {
        return err(400, "invalidRequest", "missing required attribute: 'displayName'");
      }
      if ([...this.groups.values()].some((g) => g.displayName === body.displayName)) {
        return err(409, "nameAlreadyExists", "a group with that name already exists");
      }
      const group = this.addGroup(body.displayName, body.description as string | undefined);
      return { status: 201, body: group };
    }
    const group =
      this.groups.get(idOrName) ??
      [...this.groups.values()].find((g) => g.displayName === idOrName);
    if (!group) return notFound("group not found");
    if (req.method === "GET") return { status: 200, body: group };
    if (!isAdmin) return err(403, "accessDenied", "insufficient permissions");
    if (req.method === "DELETE") {
      this.groups.delete(group.id);
      return { status: 204 };
    }
    const body = req.body as Record<string, unknown>;
    const unknownField = unknownFieldError(body, KNOWN.group);
    if (unknownField) return unknownField;
    if (typeof body.displayName === "string") group.displayName = body.displayName;
    if (typeof body.description === "string") group.description = body.description;
    return { status: 204 };
  }
}
