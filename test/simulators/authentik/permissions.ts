/**
 * Who may call what, as authentik 2026.8 decides it (docs/conformance/authentik.md cites each
 * line): every API view has `ObjectPermissions` (authentik/rbac/permissions.py) and the
 * `ObjectFilter` filter backend (authentik/rbac/filters.py), from REST_FRAMEWORK in
 * authentik/root/settings.py.
 * - POST to a collection: DjangoModelPermissions.has_permission -> `add_<model>`, else 403;
 * - GET a list or an object: ObjectFilter keeps all objects with the global `view_<model>`,
 *   else only object-permitted ones, and raises PermissionDenied (403) when none are left;
 * - PATCH/PUT/DELETE an object: the same filter first (403 without any view permission), then
 *   has_object_permission -> `change_<model>` / `delete_<model>`, else 403;
 * - a superuser has every permission. The 403 body is DRF's PermissionDenied default.
 * The simulator grants global permissions only (roles), never object permissions: stricter.
 * Identities come from the platform blueprint itself (role -> user -> api token with !Env key),
 * so the tests prove that what the blueprint grants is what the providers need.
 */
import * as YAML from "yaml";
import type { SimResponse } from "../fault-server";

export const PERMISSION_DENIED = "You do not have permission to perform this action.";

export interface Identity {
  username: string;
  superuser: boolean;
  permissions: Set<string>;
}

/** Model (app_label.model_name) behind each API collection the providers use. */
const MODELS: Record<string, string> = {
  "core/groups": "authentik_core.group",
  "core/applications": "authentik_core.application",
  "providers/oauth2": "authentik_providers_oauth2.oauth2provider",
  "policies/bindings": "authentik_policies.policybinding",
  "flows/instances": "authentik_flows.flow",
  "crypto/certificatekeypairs": "authentik_crypto.certificatekeypair",
  "propertymappings/provider": "authentik_providers_oauth2.scopemapping",
};

function permission(model: string, action: string): string {
  const [app, name] = model.split(".");
  return `${app}.${action}_${name}`;
}

/** The permissions a request needs, in the order authentik checks them. */
export function requiredPermissions(method: string, collection: string, hasId: boolean): string[] {
  const model = MODELS[collection];
  if (!model) return [];
  if (method === "POST" && !hasId) return [permission(model, "add")];
  const view = permission(model, "view");
  if (method === "GET") return [view];
  if (method === "PATCH" || method === "PUT") return [view, permission(model, "change")];
  if (method === "DELETE") return [view, permission(model, "delete")];
  return [];
}

/** undefined when allowed, else authentik's 403. */
export function authorize(
  identity: Identity,
  method: string,
  collection: string,
  hasId: boolean,
): SimResponse | undefined {
  if (identity.superuser) return undefined;
  const missing = requiredPermissions(method, collection, hasId).filter(
    (p) => !identity.permissions.has(p),
  );
  return missing.length ? { status: 403, body: { detail: PERMISSION_DENIED } } : undefined;
}

type Entry = { model: string; id?: string; identifiers?: Json; attrs?: Json };
type Json = Record<string, unknown>;

function parse(text: string): Entry[] {
  const tag = (name: string) => ({ tag: name, resolve: (s: string) => ({ [name]: s }) });
  const seq = (name: string) => ({
    tag: name,
    collection: "seq" as const,
    resolve: (s: YAML.YAMLSeq) => ({ [name]: s.toJSON() }),
  });
  const customTags = ["!Env", "!KeyOf", "!Find"].flatMap((t) => [tag(t), seq(t)]);
  return (YAML.parse(text, { customTags }) as { entries: Entry[] }).entries;
}

/**
 * API tokens a blueprint creates, resolved to identities: `key: !Env X` -> env[X]; the token's
 * `user: !KeyOf u` -> the user entry; its `roles: [!KeyOf r]` -> the roles' `permissions`.
 */
export function identitiesFromBlueprint(
  text: string,
  env: Record<string, string>,
): Map<string, Identity> {
  const entries = parse(text);
  const byId = new Map(entries.filter((e) => e.id).map((e) => [e.id!, e]));
  const keyOf = (v: unknown) => byId.get(String((v as { "!KeyOf"?: string })?.["!KeyOf"]));
  const out = new Map<string, Identity>();
  for (const token of entries.filter((e) => e.model === "authentik_core.token")) {
    if (token.attrs?.intent !== "api") continue;
    const envName = (token.attrs.key as { "!Env"?: string } | undefined)?.["!Env"];
    const user = keyOf(token.attrs.user);
    if (!envName || !env[envName] || user?.model !== "authentik_core.user") continue;
    const roles = ((user.attrs?.roles as unknown[]) ?? []).map(keyOf);
    const permissions = new Set(
      roles
        .filter((r) => r?.model === "authentik_rbac.role")
        .flatMap((r) => (r!.attrs?.permissions as string[]) ?? []),
    );
    const username = String(user.identifiers?.username);
    out.set(env[envName], { username, superuser: false, permissions });
  }
  return out;
}
