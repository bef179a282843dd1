/**
 * Space-root membership routes (v1beta1 invite and permissions) of the OCIS simulator, from
 * owncloud/ocis services/graph/pkg/service/v0/api_driveitem_permissions.go and base.go, the
 * validation tags of services/graph/pkg/validate, and owncloud/reva (stable-7.1)
 * decomposedfs/grants.go for the grant rules. Line references: docs/conformance/ocis.md.
 */
import type { SimRequest, SimResponse } from "../fault-server";
import { err, hasUnknownField, KNOWN, type SimContext } from "./ocis-http";
import {
  allowedRoles,
  AVAILABLE_ROLES,
  betaPermission,
  invitedPermission,
  ROLE,
  type SimDrive,
  type SimPermission,
} from "./ocis-model";

const roleOf = (drive: SimDrive, ctx: SimContext) =>
  drive.permissions.find((p) => p.kind === "u" && p.principalId === ctx.caller.id)?.roleId;

/**
 * utils.GetSpace, then a Stat of the space root: a space the caller is not a member of, or a
 * disabled one, is not found (rendered 404 by errorcode.FromUtilsStatusCodeError / FromStat).
 */
function statRoot(drive: SimDrive | undefined, ctx: SimContext): drive is SimDrive {
  return drive !== undefined && !drive.disabled && roleOf(drive, ctx) !== undefined;
}
const notFound = (drive?: SimDrive) =>
  err(404, "itemNotFound", `stat: error: not found: ${drive?.id ?? "space"}`);

/** SpaceRootInvite. The validation messages are go-playground/validator's. */
export function invite(req: SimRequest, drive: SimDrive | undefined, ctx: SimContext): SimResponse {
  const body = (req.body ?? {}) as { recipients?: Record<string, unknown>[]; roles?: string[] };
  if (
    hasUnknownField(body, KNOWN.invite) ||
    (body.recipients ?? []).some((r) => hasUnknownField(r, KNOWN.recipient))
  ) {
    return err(400, "invalidRequest", "invalid request body");
  }
  if (body.recipients?.length !== 1) {
    return err(
      400,
      "invalidRequest",
      "Key: 'DriveItemInvite.Recipients' Error:Field validation for 'Recipients' failed on the 'len' tag",
    );
  }
  const recipient = body.recipients[0];
  const objectId = String(recipient.objectId ?? "");
  if (objectId === "") {
    return err(
      400,
      "invalidRequest",
      "Key: 'DriveItemInvite.Recipients[0].ObjectId' Error:Field validation for 'ObjectId' failed on the 'ne' tag",
    );
  }
  const roleId = body.roles?.[0] ?? "";
  if (body.roles?.length !== 1 || !AVAILABLE_ROLES[roleId]) {
    return err(
      400,
      "invalidRequest",
      "Key: 'DriveItemInvite.Roles' Error:Field validation for 'Roles' failed on the 'available_role' tag",
    );
  }
  if (!statRoot(drive, ctx)) return notFound(drive);
  if (!AVAILABLE_ROLES[roleId].spaceRoot) {
    return err(400, "invalidRequest", "role not applicable to this resource");
  }
  // Recipient type defaults to "user"; an unknown id is a 400 with the lookup error.
  const kind = recipient["@libre.graph.recipient.type"] === "group" ? "g" : "u";
  const principal =
    kind === "g" ? ctx.groups.get(objectId) : ctx.users.find((u) => u.id === objectId);
  if (!principal) return err(400, "invalidRequest", "itemNotFound: not found");
  // decomposedfs AddGrant: an existing grant is ALREADY_EXISTS (409 nameAlreadyExists); a
  // member without the AddGrant permission (not a Manager) gets PERMISSION_DENIED (403).
  if (drive.permissions.some((p) => p.kind === kind && p.principalId === objectId)) {
    return err(409, "nameAlreadyExists", "error: already exists: grant already exists");
  }
  if (roleOf(drive, ctx) !== ROLE.manager) return err(403, "accessDenied", "permission denied");
  const permission: SimPermission = {
    kind,
    principalId: objectId,
    displayName: principal.displayName,
    roleId,
    creatorId: ctx.caller.id,
  };
  drive.permissions.push(permission);
  return { status: 200, body: { value: [invitedPermission(permission, ctx.caller)] } };
}

/**
 * ListSpaceRootPermissions / UpdateSpaceRootPermission / DeleteSpaceRootPermission. Listing
 * returns the space's grants (every member sees them), never with `invitation`.
 */
export function permissions(
  req: SimRequest,
  drive: SimDrive | undefined,
  ctx: SimContext,
  permId?: string,
): SimResponse {
  if (!statRoot(drive, ctx)) return notFound(drive);
  const manager = roleOf(drive, ctx) === ROLE.manager;
  if (permId === undefined) {
    return {
      status: 200,
      body: {
        "@libre.graph.permissions.actions.allowedValues": [
          "libre.graph/driveItem/permissions/read",
          ...(manager ? ["libre.graph/driveItem/permissions/create"] : []),
        ],
        "@libre.graph.permissions.roles.allowedValues": allowedRoles(),
        value: drive.permissions.map(betaPermission),
      },
    };
  }
  const index = drive.permissions.findIndex((p) => `${p.kind}:${p.principalId}` === permId);
  if (index < 0) return err(404, "itemNotFound", "grant not found");
  const permission = drive.permissions[index];
  // RemoveGrant / UpdateGrant: allowed for a grant's creator or a Manager; otherwise
  // PERMISSION_DENIED (the caller can stat the root, so 403 rather than 404).
  if (!manager && permission.creatorId !== ctx.caller.id) {
    return err(403, "accessDenied", "permission denied");
  }
  const managers = drive.permissions.filter((p) => p.roleId === ROLE.manager).length;
  const lastManager = permission.roleId === ROLE.manager && managers === 1;
  if (req.method === "DELETE") {
    if (lastManager) return err(403, "accessDenied", "cannot remove the last manager");
    drive.permissions.splice(index, 1);
    return { status: 204 };
  }
  if (req.method === "PATCH") {
    const body = (req.body ?? {}) as { roles?: string[] };
    if (hasUnknownField(body, KNOWN.permission)) {
      return err(400, "invalidRequest", "invalid request body");
    }
    const roleId = body.roles?.[0];
    if (roleId !== undefined) {
      if (!AVAILABLE_ROLES[roleId]?.spaceRoot) {
        return err(400, "invalidRequest", "role not applicable to this resource");
      }
      if (lastManager && roleId !== ROLE.manager) {
        return err(403, "accessDenied", "cannot demote the last manager");
      }
      permission.roleId = roleId;
    }
    return { status: 200, body: betaPermission(permission) };
  }
  return { status: 200, body: betaPermission(permission) };
}
