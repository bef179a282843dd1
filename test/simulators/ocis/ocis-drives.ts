/**
 * The drives routes of the OCIS simulator, each rule from owncloud/ocis
 * services/graph/pkg/service/v0/drives.go and owncloud/reva (stable-7.1, the branch OCIS 7.1.x
 * uses) pkg/storage/utils/decomposedfs/spaces.go. Line references are in
 * docs/conformance/ocis.md.
 */
import type { SimRequest, SimResponse } from "../fault-server";
import { can } from "./ocis-identity";
import { driveNotFound, err, hasUnknownField, KNOWN, type SimContext } from "./ocis-http";
import {
  newDrive,
  parseBool,
  renderDrive,
  ROLE,
  spaceNameProblem,
  type SimDrive,
} from "./ocis-model";

function roleOf(drive: SimDrive, ctx: SimContext): string | undefined {
  return drive.permissions.find((p) => p.kind === "u" && p.principalId === ctx.caller.id)?.roleId;
}
const isManager = (drive: SimDrive, ctx: SimContext) => roleOf(drive, ctx) === ROLE.manager;

/**
 * Whether the caller sees the space. GetSingleDrive and GetAllDrives list unrestricted: with
 * Drives.List no node check is made (MustCheckNodePermissions); otherwise a member may stat it,
 * and a disabled space only its managers (StorageSpaceFromNode).
 */
export function visible(drive: SimDrive | undefined, ctx: SimContext): drive is SimDrive {
  if (!drive) return false;
  if (can(ctx.caller, "Drives.List")) return true;
  const role = roleOf(drive, ctx);
  return role !== undefined && (!drive.disabled || role === ROLE.manager);
}

export function listDrives(req: SimRequest, ctx: SimContext, beta: boolean, mine: boolean) {
  let drives = [...ctx.drives.values()].filter((d) =>
    mine ? roleOf(d, ctx) !== undefined : visible(d, ctx),
  );
  // generateCs3Filters: only `eq` is supported (else 501); eq on a field other than driveType or
  // id adds no filter at all.
  const filter = req.query.get("$filter");
  if (filter) {
    const m = /^(\w+) (\w+) '?([^']*)'?$/.exec(filter.trim());
    if (!m || m[2] !== "eq") {
      return err(501, "notSupported", `unsupported filter operand: ${m?.[2] ?? filter}`);
    }
    if (m[1] === "id") drives = drives.filter((d) => d.id === m[3]);
    if (m[1] === "driveType") drives = drives.filter(() => m[3] === "project");
  }
  // sortSpaces: name (case-insensitive) or lastModifiedDateTime, else 400.
  const orderby = req.query.get("$orderby");
  if (orderby) {
    const m = /^(\w+)(?: (asc|desc))?$/.exec(orderby);
    if (!m || !["name", "lastModifiedDateTime"].includes(m[1])) {
      return err(
        400,
        "invalidRequest",
        `we do not support <${m?.[1] ?? orderby}> as a order parameter`,
      );
    }
    const key = (d: SimDrive) => (m[1] === "name" ? d.name.toLowerCase() : d.lastModified);
    drives.sort((a, b) => key(a).localeCompare(key(b)) * (m[2] === "desc" ? -1 : 1));
  }
  return { status: 200, body: { value: drives.map((d) => renderDrive(d, ctx.url, beta)) } };
}

/** CreateDrive: Drives.Create with constraint all, strict body, name rules, project type only. */
export function createDrive(req: SimRequest, ctx: SimContext, beta: boolean): SimResponse {
  if (!can(ctx.caller, "Drives.Create")) {
    return err(403, "notAllowed", "insufficient permissions to create a space.");
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (hasUnknownField(body, KNOWN.drive)) {
    return err(400, "invalidRequest", "invalid body schema definition");
  }
  const problem = spaceNameProblem(String(body.name ?? ""));
  if (problem) return err(400, "invalidRequest", `invalid spacename: ${problem}`);
  if (body.driveType !== undefined && body.driveType !== "" && body.driveType !== "project") {
    return err(400, "invalidRequest", "drives of this type cannot be created via this api");
  }
  const quota = (body.quota as { total?: number } | undefined)?.total;
  const drive = newDrive(
    String(body.name).trim(),
    body.description as string | undefined,
    quota,
    ctx.caller,
  );
  if (typeof body.driveAlias === "string") drive.driveAlias = body.driveAlias;
  ctx.drives.set(drive.id, drive);
  return { status: 201, body: renderDrive(drive, ctx.url, beta) };
}

export function getDrive(drive: SimDrive | undefined, ctx: SimContext, beta: boolean) {
  return visible(drive, ctx)
    ? { status: 200, body: renderDrive(drive, ctx.url, beta) }
    : driveNotFound();
}

/**
 * DeleteDrive -> decomposedfs DeleteStorageSpace/canDeleteSpace: managers may disable and
 * purge; Drives.DeleteProject may purge; Drives.ReadWriteEnabled may disable. Anything else is
 * PERMISSION_DENIED, which DeleteDrive renders as 404 "drive not found".
 */
export function deleteDrive(req: SimRequest, drive: SimDrive | undefined, ctx: SimContext) {
  if (!drive) return driveNotFound();
  const purge = parseBool(req.headers.purge);
  const allowed =
    isManager(drive, ctx) ||
    (purge && can(ctx.caller, "Drives.DeleteProject")) ||
    (!purge && can(ctx.caller, "Drives.ReadWriteEnabled"));
  if (!allowed) return driveNotFound();
  if (purge) {
    if (!drive.disabled) {
      return err(400, "invalidRequest", "error: bad request: can't purge enabled space");
    }
    ctx.drives.delete(drive.id);
    return { status: 204 };
  }
  drive.disabled = true; // idempotent: a second call stamps the deletion time again
  drive.lastModified = new Date().toISOString();
  return { status: 204 };
}

/**
 * UpdateDrive -> UpdateStorageSpace. Quota needs Drives.ReadWriteProjectQuota (403 from
 * graph); name/description need Manager or Drives.ReadWrite, restore needs Manager or
 * Drives.ReadWriteEnabled (else PERMISSION_DENIED / NOT_FOUND, both rendered 404). A name that
 * fails validateSpaceName is a 400 generalException (not invalidRequest as on create).
 */
export function patchDrive(
  req: SimRequest,
  drive: SimDrive | undefined,
  ctx: SimContext,
  beta: boolean,
) {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (hasUnknownField(body, KNOWN.drive)) {
    return err(400, "invalidRequest", "invalid request body: error: unknown field");
  }
  const name = typeof body.name === "string" && body.name !== "" ? body.name.trim() : undefined;
  if (name !== undefined) {
    const problem = spaceNameProblem(name);
    if (problem) return err(400, "generalException", problem);
  }
  const total = (body.quota as { total?: number } | undefined)?.total;
  if (total !== undefined && !can(ctx.caller, "Drives.ReadWriteProjectQuota")) {
    return err(403, "notAllowed", "user is not allowed to set the space quota");
  }
  if (!drive) return driveNotFound();
  const restore = parseBool(req.headers.restore);
  const manager = isManager(drive, ctx);
  const changesProps = name !== undefined || body.description !== undefined;
  const member = roleOf(drive, ctx) !== undefined;
  if (!restore && !changesProps && total === undefined && !member) return driveNotFound();
  if (!manager && changesProps && !can(ctx.caller, "Drives.ReadWrite")) return driveNotFound();
  if (!manager && restore && !can(ctx.caller, "Drives.ReadWriteEnabled")) return driveNotFound();
  if (name !== undefined) drive.name = name;
  if (body.description !== undefined) drive.description = String(body.description);
  if (total !== undefined && total >= 0) drive.quotaTotal = total;
  if (restore) drive.disabled = false;
  drive.lastModified = new Date().toISOString();
  return { status: 200, body: renderDrive(drive, ctx.url, beta) };
}
