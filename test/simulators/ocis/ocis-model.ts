/**
 * State and representations of the OCIS simulator: drives (project spaces), their root
 * permissions and groups, rendered the way OCIS renders them in v1.0 (legacy role names,
 * grantedToIdentities) and v1beta1 (grantedToV2, unified role ids).
 * Upstream: owncloud/ocis services/graph/pkg/service/v0/drives.go (cs3StorageSpaceToDrive),
 * base.go (cs3SpacePermissionsToLibreGraph), services/graph/pkg/identity/ldap_group.go.
 */
import { randomUUID } from "node:crypto";
import type { SimUser } from "./ocis-identity";

/**
 * An LDAP group as the graph service stores it: name and id only. `groupToLDAPAttrValues`
 * (ldap_group.go) writes cn, objectClass, member and owncloudUUID: a description sent with
 * POST /groups is accepted by the decoder and dropped.
 */
export interface SimGroup {
  id: string;
  displayName: string;
}

/** A grant on a space root. The grant's creator is stored (decomposedfs ACE) but never rendered. */
export interface SimPermission {
  kind: "u" | "g";
  principalId: string;
  displayName: string;
  roleId: string;
  creatorId?: string;
}

export interface SimDrive {
  id: string;
  spaceId: string;
  name: string;
  description?: string;
  driveAlias: string;
  quotaTotal: number;
  disabled: boolean;
  lastModified: string;
  permissions: SimPermission[];
}

export const ROLE = {
  spaceViewer: "a8d5fe5e-96e3-418d-825b-534dbdf22b99",
  spaceEditor: "58c63c02-1d89-4572-916a-870abc5a1b7d",
  manager: "312c0871-5ef7-4b3a-85b6-0e4074c64049",
};

/** Roles enabled by default (GRAPH_AVAILABLE_ROLES) and whether they apply to a space root. */
export const AVAILABLE_ROLES: Record<
  string,
  { spaceRoot: boolean; legacy?: string; name: string }
> = {
  [ROLE.spaceViewer]: { spaceRoot: true, legacy: "viewer", name: "Can view" },
  [ROLE.spaceEditor]: { spaceRoot: true, legacy: "editor", name: "Can edit" },
  [ROLE.manager]: { spaceRoot: true, legacy: "manager", name: "Can manage" },
  "b1e2218d-eef8-4d4c-b82d-0f1a1b48f3b5": { spaceRoot: false, legacy: "viewer", name: "Viewer" },
  "fb6c3e19-e378-47e5-b277-9732f9de6e21": { spaceRoot: false, legacy: "editor", name: "Editor" },
  "2d00ce52-1fc2-4dbc-8b95-a73b73395f5a": { spaceRoot: false, name: "File Editor" },
  "1c996275-f1c9-4e71-abdf-a42f6495e960": { spaceRoot: false, name: "Uploader" },
};

export const DEFAULT_QUOTA = 1_000_000_000;
const STORAGE_ID = "1284d238-aa92-42ce-bdc4-0b0000009157";

/** The OData error envelope OCIS uses everywhere. */
export function odataError(code: string, message: string) {
  return {
    error: {
      code,
      innererror: { date: new Date().toISOString(), "request-id": randomUUID() },
      message,
    },
  };
}

/**
 * drives.go validateSpaceName on the trimmed name: non-empty, at most 255 bytes (Go len), none
 * of / \ . : ? * " > < |. Returns the Go error text; CreateDrive prefixes "invalid spacename: ".
 */
export function spaceNameProblem(raw: string): string | undefined {
  const name = raw.trim();
  if (name === "") return "spacename must not be empty";
  if (Buffer.byteLength(name, "utf8") > 255) return "spacename must be smaller than 255";
  if (/[/\\.:?*"><|]/.test(name)) return `spacenames must not contain [/ \\ . : ? * " > < |]`;
  return undefined;
}

/** Go strconv.ParseBool's true values (Purge / Restore headers). */
export function parseBool(value: string | string[] | undefined): boolean {
  return ["1", "t", "T", "TRUE", "true", "True"].includes(String(value ?? ""));
}

export function newDrive(
  name: string,
  description: string | undefined,
  quota: number | undefined,
  creator: SimUser,
): SimDrive {
  const spaceId = randomUUID();
  return {
    id: `${STORAGE_ID}$${spaceId}`,
    spaceId,
    name,
    description,
    driveAlias: `project/${name.replace(/ /g, "-").toLowerCase()}`,
    quotaTotal: quota === undefined || quota < 0 ? DEFAULT_QUOTA : quota,
    disabled: false,
    lastModified: new Date().toISOString(),
    permissions: [
      {
        kind: "u",
        principalId: creator.id,
        displayName: creator.displayName,
        roleId: ROLE.manager,
      },
    ],
  };
}

function identity(p: SimPermission) {
  return { [p.kind === "u" ? "user" : "group"]: { id: p.principalId, displayName: p.displayName } };
}

/**
 * A space-root permission in the v1beta1 shape, as listed: id, grantedToV2 and roles only.
 * base.go cs3SpacePermissionsToLibreGraph builds it from the space's grants map, which carries
 * no creator: listed space permissions have no `invitation`.
 */
export function betaPermission(p: SimPermission) {
  return { id: `${p.kind}:${p.principalId}`, grantedToV2: identity(p), roles: [p.roleId] };
}

/**
 * The invite response's permission: the listed shape plus `invitation.invitedBy`, which
 * DriveItemPermissionsService.Invite (api_driveitem_permissions.go) sets from the caller.
 */
export function invitedPermission(p: SimPermission, by: SimUser) {
  return {
    ...betaPermission(p),
    invitation: { invitedBy: { user: { id: by.id, displayName: by.displayName } } },
  };
}

/** A drive as OCIS renders it; `beta` switches the permission shape. */
export function renderDrive(d: SimDrive, baseUrl: string, beta: boolean) {
  const used = 0;
  return {
    id: d.id,
    name: d.name,
    ...(d.description !== undefined ? { description: d.description } : {}),
    driveType: "project",
    driveAlias: d.driveAlias,
    lastModifiedDateTime: d.lastModified,
    // cs3StorageSpaceToDrive: the project space owner is the space itself; no display name.
    owner: { user: { id: d.spaceId } },
    quota: d.disabled
      ? { total: d.quotaTotal }
      : { total: d.quotaTotal, used, remaining: Math.max(0, d.quotaTotal - used), state: "normal" },
    root: {
      id: d.id,
      eTag: `"${d.lastModified}"`,
      webDavUrl: `${baseUrl}/dav/spaces/${d.id}`,
      permissions: d.permissions.map((p) =>
        beta
          ? betaPermission(p)
          : {
              grantedToIdentities: [identity(p)],
              roles: [AVAILABLE_ROLES[p.roleId]?.legacy ?? p.roleId],
            },
      ),
      ...(d.disabled ? { deleted: { state: "trashed" } } : {}),
    },
    webUrl: `${baseUrl}/f/${d.id}`,
  };
}

/** The `allowedValues` block of a space root permission listing. */
export function allowedRoles() {
  return [ROLE.spaceViewer, ROLE.spaceEditor, ROLE.manager].map((id, i) => ({
    id,
    displayName: AVAILABLE_ROLES[id].name,
    "@libre.graph.weight": i + 1,
  }));
}
