/**
 * Pure rules for OCIS objects: what a space may be called, the marker that says this program
 * owns a space (the space description, which OCIS stores and returns), the unified role ids,
 * and when a purge is allowed.
 */
import { textTag } from "../core/markers";

/** Characters OCIS rejects in space names (drives.go `validateSpaceName`, on the trimmed name). */
const FORBIDDEN_SPACE_NAME_CHARS = /[/\\.:?*"><|]/g;
const MAX_SPACE_NAME_BYTES = 255;

/**
 * Turns a tenant's display name into a name OCIS accepts: forbidden characters become "-",
 * whitespace is collapsed, the result is trimmed and cut to 255 UTF-8 bytes on a character
 * boundary. Throws when nothing usable remains.
 */
export function sanitizeSpaceName(name: string): string {
  let out = name.replace(FORBIDDEN_SPACE_NAME_CHARS, "-").replace(/\s+/g, " ").trim();
  while (Buffer.byteLength(out, "utf8") > MAX_SPACE_NAME_BYTES) {
    out = Array.from(out).slice(0, -1).join("");
  }
  out = out.trim();
  if (out.replace(/-/g, "").trim() === "") {
    throw new Error(`space name ${JSON.stringify(name)} has no characters OCIS accepts`);
  }
  return out;
}

/** The tag written into a space description: tenant slug and space key (names are not unique). */
export function spaceMarker(tenant: string, key: string): string {
  return textTag({ tenant, space: key });
}

/** The full description we write: the operator's text followed by the marker. */
export function spaceDescription(tenant: string, key: string, text?: string): string {
  const marker = spaceMarker(tenant, key);
  return text ? `${text} ${marker}` : marker;
}

/** Whether a description carries the marker of this tenant's space. */
export function hasSpaceMarker(
  description: string | undefined,
  tenant: string,
  key: string,
): boolean {
  return (description ?? "").includes(spaceMarker(tenant, key));
}

/** Unified role ids of the space-root roles (services/graph/pkg/unifiedrole/roles.go). */
export const SPACE_ROLE_IDS = {
  viewer: "a8d5fe5e-96e3-418d-825b-534dbdf22b99",
  editor: "58c63c02-1d89-4572-916a-870abc5a1b7d",
  manager: "312c0871-5ef7-4b3a-85b6-0e4074c64049",
} as const;

export type SpaceRole = keyof typeof SPACE_ROLE_IDS;

/** The role name for a unified role id, or undefined for roles we do not manage. */
export function spaceRoleName(roleId: string | undefined): SpaceRole | undefined {
  return (Object.keys(SPACE_ROLE_IDS) as SpaceRole[]).find((k) => SPACE_ROLE_IDS[k] === roleId);
}

/** Permission id of a group grant on a space root. */
export function groupPermissionId(groupId: string): string {
  return `g:${groupId}`;
}

/**
 * Why a purge is refused, or undefined when it is allowed: only a disabled space whose
 * retention date has passed may be purged.
 */
export function purgeRefusal(
  input: { purgeOnDelete?: boolean; enabled?: boolean; retainUntil?: string },
  now: Date,
): string | undefined {
  if (!input.purgeOnDelete) return undefined;
  if (input.enabled !== false)
    return "purgeOnDelete requires enabled: false (an offboarded tenant)";
  if (!input.retainUntil) return "purgeOnDelete requires retainUntil (the retention date)";
  const until = Date.parse(input.retainUntil);
  if (Number.isNaN(until)) return `retainUntil ${JSON.stringify(input.retainUntil)} is not a date`;
  if (until > now.getTime()) return `retainUntil ${input.retainUntil} has not passed yet`;
  return undefined;
}
