/**
 * Who the providers talk to OCIS as, and what a 404 from a drive means. OCIS renders
 * PERMISSION_DENIED on updating or deleting a drive as 404 "drive not found"
 * (services/graph/pkg/service/v0/drives.go, UpdateDrive and DeleteDrive), and a single-drive
 * GET answers 404 for a space the caller may not list. A 404 proves "gone" only when the caller
 * holds Drives.List, i.e. has the Admin or Space Admin role
 * (services/settings/pkg/store/defaults/defaults.go; decomposedfs MustCheckNodePermissions).
 */
import type { ErrorContext } from "../core/errors";
import { expectOk, ocisError, okOrNotFound, type GraphClient } from "./client";
import type { components } from "./libregraph.gen";

type Drive = components["schemas"]["drive"];

/** Built-in role ids (settings defaults, BundleUUIDRole*). One role per user. */
export const OCIS_ROLE_IDS = {
  admin: "71881883-1768-46bd-a24d-a356a2afdf7f",
  spaceAdmin: "2aadd357-682c-406b-8874-293091995fdd",
  user: "d7beeea8-8ff4-406b-8fb6-ab2dd81e6b11",
  userLight: "38071a68-456a-4553-846a-fa67bf5596cc",
} as const;

export interface Caller {
  id: string;
  name: string;
  roleIds: string[];
}

export function roleNames(roleIds: string[]): string {
  const names = Object.entries(OCIS_ROLE_IDS)
    .filter(([, id]) => roleIds.includes(id))
    .map(([name]) => name);
  return names.length > 0 ? names.join(", ") : "none";
}

/** Whether a 404 on a drive means it is gone: only a caller that may list every space knows. */
export function seesAllSpaces(caller: Caller): boolean {
  return (
    caller.roleIds.includes(OCIS_ROLE_IDS.admin) ||
    caller.roleIds.includes(OCIS_ROLE_IDS.spaceAdmin)
  );
}

/** GET /me, then the caller's role assignment (GET /users/{id}?$expand=appRoleAssignments). */
export async function fetchCaller(
  client: GraphClient,
  ctx: (call: string) => ErrorContext,
): Promise<Caller> {
  const me = await expectOk(ctx("GET /graph/v1.0/me"), client.GET("/v1.0/me"));
  const id = me.id ?? "";
  const user = await expectOk(
    ctx(`GET /graph/v1.0/users/${id}?$expand=appRoleAssignments`),
    client.GET("/v1.0/users/{user-id}", {
      params: { path: { "user-id": id }, query: { $expand: ["appRoleAssignments"] } },
    }),
  );
  return {
    id,
    name: me.onPremisesSamAccountName ?? me.displayName ?? id,
    roleIds: (user.appRoleAssignments ?? []).map((a) => a.appRoleId),
  };
}

/** The caller per OCIS URL, fetched once per run (the run's cache). */
export async function cachedCaller(
  cache: Map<string, unknown>,
  url: string,
  client: GraphClient,
  ctx: (call: string) => ErrorContext,
): Promise<Caller> {
  const key = `ocis caller ${url}`;
  const known = cache.get(key) as Caller | undefined;
  if (known) return known;
  const caller = await fetchCaller(client, ctx);
  cache.set(key, caller);
  return caller;
}

/**
 * After a drive answered 404 to a GET: returns normally when that proves the drive is gone,
 * throws when the caller's role cannot tell "gone" from "hidden".
 */
export async function assertGone(
  id: string,
  caller: () => Promise<Caller>,
  ctx: (call: string) => ErrorContext,
): Promise<void> {
  const who = await caller();
  if (seesAllSpaces(who)) return;
  throw ocisError(
    ctx(`GET /graph/v1.0/drives/${id}`),
    undefined,
    `HTTP 404, and cannot tell whether the space is gone or hidden: OCIS answers 404 for both, and the identity ` +
      `"${who.name}" (role: ${roleNames(who.roleIds)}) may not list all spaces. Give it the OCIS ` +
      `Admin role (Authentik group dezky-ocis-admins) and run again`,
  );
}

/** The drive after a change answered 404: the drive if it still exists, undefined if gone. */
export async function driveAfter404(
  client: GraphClient,
  id: string,
  caller: () => Promise<Caller>,
  ctx: (call: string) => ErrorContext,
): Promise<Drive | undefined> {
  const drive = await okOrNotFound(
    ctx(`GET /graph/v1.0/drives/${id}`),
    client.GET("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": id } } }),
  );
  if (!drive) await assertGone(id, caller, ctx);
  return drive;
}

/** The error for a drive that answered 404 to a change but still exists. */
export function deniedAsNotFound(
  ctx: ErrorContext,
  caller: Caller | undefined,
  what: string,
): Error {
  const role = caller ? ` (role: ${roleNames(caller.roleIds)})` : "";
  return ocisError(
    ctx,
    undefined,
    `HTTP 404: OCIS answered 404 but the space still exists: it reports "not allowed" as "not found". ` +
      `The identity${role} may not ${what}; it needs the OCIS Admin role or the space's Manager grant`,
  );
}
