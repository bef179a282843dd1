/**
 * Groups and users routes of the OCIS simulator, from owncloud/ocis
 * services/graph/pkg/service/v0/{service.go,groups.go,users.go},
 * services/graph/pkg/middleware/requireadmin.go and services/graph/pkg/identity/ldap_group.go.
 * Line references: docs/conformance/ocis.md.
 */
import { randomUUID } from "node:crypto";
import type { SimRequest, SimResponse } from "../fault-server";
import { can, ROLE_IDS } from "./ocis-identity";
import { err, hasUnknownField, KNOWN, type SimContext } from "./ocis-http";
import type { SimGroup } from "./ocis-model";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * requireAdmin (requireadmin.go) guards POST /groups, PATCH/DELETE /groups/{id} and the
 * members routes: the caller's roles must carry Accounts.ReadWrite; else 403 "Forbidden".
 */
const forbidden = () => err(403, "accessDenied", "Forbidden");

/**
 * GetGroups: users without Accounts.ReadWrite must search with at least
 * GRAPH_IDENTITY_SEARCH_MIN_LENGTH characters (+2 when quoted) and may not $filter/$expand;
 * the LDAP backend matches `*term*` on the group name or id (ldap_group.go GetGroups).
 */
function listGroups(req: SimRequest, ctx: SimContext): SimResponse {
  const raw = req.query.get("$search") ?? "";
  const full = can(ctx.caller, "Accounts.ReadWrite");
  const min = ctx.options.searchMinLength + (raw.startsWith('"') ? 2 : 0);
  if (!full && raw.length < min) return err(403, "accessDenied", "search term too short");
  if (!full && (req.query.has("$filter") || req.query.has("$expand"))) {
    return err(403, "accessDenied", "query has forbidden elements for regular users");
  }
  const term = raw.replace(/^"|"$/g, "").toLowerCase();
  const value = [...ctx.groups.values()].filter(
    (g) => g.displayName.toLowerCase().includes(term) || g.id.includes(term),
  );
  return { status: 200, body: { value } };
}

/** PostGroup: displayName required, id read-only; LDAP refuses a second group of that name. */
function createGroup(req: SimRequest, ctx: SimContext): SimResponse {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (hasUnknownField(body, KNOWN.group)) return err(400, "invalidRequest", "invalid request body");
  if (typeof body.displayName !== "string" || body.displayName === "") {
    return err(400, "invalidRequest", "Missing Required Attribute");
  }
  if (body.id !== undefined) return err(400, "invalidRequest", "group id is a read-only attribute");
  const name = body.displayName;
  if ([...ctx.groups.values()].some((g) => g.displayName.toLowerCase() === name.toLowerCase())) {
    return err(409, "nameAlreadyExists", "group already exists");
  }
  // groupToLDAPAttrValues stores name and id only: `description` is dropped.
  const group: SimGroup = { id: randomUUID(), displayName: name };
  ctx.groups.set(group.id, group);
  return { status: 201, body: group };
}

/**
 * GET /groups/{id}. getLDAPGroupByNameOrID matches a UUID against name or id, but a non-UUID
 * against the *user* name attribute (ldap_group.go), so a lookup by group name finds nothing in
 * the versions read: the simulator resolves ids only (stricter where unsure).
 */
export function groupsRoute(req: SimRequest, ctx: SimContext, id?: string): SimResponse {
  if (id === undefined) {
    if (req.method === "GET") return listGroups(req, ctx);
    return can(ctx.caller, "Accounts.ReadWrite") ? createGroup(req, ctx) : forbidden();
  }
  if (req.method !== "GET" && !can(ctx.caller, "Accounts.ReadWrite")) return forbidden();
  const group = UUID.test(id) ? ctx.groups.get(id) : undefined;
  if (!group) return err(404, "itemNotFound", "not found");
  if (req.method === "GET") return { status: 200, body: group };
  if (req.method === "DELETE") {
    ctx.groups.delete(group.id);
    return { status: 204 };
  }
  // PatchGroup: a new displayName renames the entry (UpdateGroupName, 409 when taken).
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (hasUnknownField(body, KNOWN.group)) return err(400, "invalidRequest", "invalid request body");
  if (typeof body.displayName === "string" && body.displayName !== group.displayName) {
    const taken = [...ctx.groups.values()].some(
      (g) =>
        g.id !== group.id && g.displayName.toLowerCase() === String(body.displayName).toLowerCase(),
    );
    if (taken) return err(409, "nameAlreadyExists", "Group name already in use");
    group.displayName = body.displayName;
  }
  return { status: 204 };
}

/** GET /me: the user from the request context (users.go GetMe). */
export function me(ctx: SimContext): SimResponse {
  const u = ctx.caller;
  return {
    status: 200,
    body: {
      id: u.id,
      displayName: u.displayName,
      mail: u.mail,
      onPremisesSamAccountName: u.username,
    },
  };
}

/**
 * GET /users/{id}[?$expand=appRoleAssignments] (users.go GetUser; no requireAdmin on GET).
 * The assignment's appRoleId is the settings role bundle id.
 */
export function user(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  const u = ctx.users.find((x) => x.id === id || x.username === id);
  if (!u) return err(404, "itemNotFound", "not found");
  const expand = (req.query.get("$expand") ?? "").split(",");
  const body: Record<string, unknown> = {
    id: u.id,
    displayName: u.displayName,
    onPremisesSamAccountName: u.username,
  };
  if (expand.includes("appRoleAssignments")) {
    body.appRoleAssignments = [
      {
        id: randomUUID(),
        appRoleId: ROLE_IDS[u.role],
        principalId: u.id,
        principalType: "User",
        resourceId: "e7bc1ab2-6d9f-4b36-b2d6-43a4c2e0a4a6",
      },
    ];
  }
  return { status: 200, body };
}
