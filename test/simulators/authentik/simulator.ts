/**
 * Authentik 2026.8 API simulator on the shared FaultServer: every request is validated against
 * the official schema.yml shipped in @goauthentik/api (basePath /api/v3); answers follow
 * shared/reference/authentik-api.md and the sources in docs/conformance/authentik.md: paginated
 * lists, 400 `{field: [msgs]}`, 403 `{detail}` for a missing or bad token (authentik sends no
 * 401) and for a missing permission (permissions.ts: RBAC as ObjectPermissions/ObjectFilter
 * check it), 404 `{detail: "No X matches the given query."}`, 204 on delete, uniqueness of
 * group names / provider names / client ids / application slugs, and no uniqueness for group
 * bindings (NULL policy in unique_together).
 */
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { FaultServer, type SimRequest, type SimResponse } from "../fault-server";
import { OpenApiValidator } from "../openapi-validator";
import { authorize, type Identity } from "./permissions";
import {
  AuthentikState,
  type SimApplication,
  type SimBinding,
  type SimGroup,
  type SimProvider,
} from "./state";

type Json = Record<string, unknown>;

export const SCHEMA_FILE = path.resolve(
  __dirname,
  "..",
  "..",
  "..",
  "node_modules",
  "@goauthentik",
  "api",
  "schema.yml",
);

let sharedValidator: OpenApiValidator | undefined;
/** Parsing the 1.8 MB spec takes a moment: one validator per process. */
export function authentikValidator(): OpenApiValidator {
  return (sharedValidator ??= new OpenApiValidator(SCHEMA_FILE, "/api/v3"));
}

const notFound = (model: string): SimResponse => ({
  status: 404,
  body: { detail: `No ${model} matches the given query.` },
});
const invalid = (fields: Record<string, string[]>): SimResponse => ({ status: 400, body: fields });

function page<T>(req: SimRequest, items: T[], serialize: (t: T) => Json): SimResponse {
  const size = Math.min(100, Math.max(1, Number(req.query.get("page_size") ?? 20)));
  const count = items.length;
  const totalPages = Math.max(1, Math.ceil(count / size));
  const current = Math.max(1, Number(req.query.get("page") ?? 1));
  if (current > totalPages) return { status: 404, body: { detail: "Invalid page." } };
  const slice = items.slice((current - 1) * size, current * size);
  return {
    status: 200,
    body: {
      pagination: {
        next: current < totalPages ? current + 1 : 0,
        previous: current > 1 ? current - 1 : 0,
        count,
        current,
        total_pages: totalPages,
        start_index: count ? (current - 1) * size + 1 : 0,
        end_index: (current - 1) * size + slice.length,
      },
      results: slice.map(serialize),
      autocomplete: {},
    },
  };
}

export interface SimulatorOptions {
  /** The bootstrap (superuser) token. */
  token: string;
  /** Further API tokens and who they act as (e.g. from the platform blueprint). */
  identities?: Map<string, Identity>;
  /** Called after every handled (non-faulted) request, e.g. to check isolation at each step. */
  afterRequest?: (req: SimRequest, res: SimResponse) => void;
}

export class AuthentikSimulator {
  readonly state = new AuthentikState();
  readonly server: FaultServer;
  private readonly validator = authentikValidator();

  constructor(private readonly options: SimulatorOptions) {
    this.server = new FaultServer((req) => {
      const res = this.handle(req);
      this.options.afterRequest?.(req, res);
      return res;
    });
  }

  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }
  /** An operator rotates the bootstrap token: the old one stops working at once. */
  set token(value: string) {
    this.options.token = value;
  }
  set afterRequest(fn: SimulatorOptions["afterRequest"]) {
    this.options.afterRequest = fn;
  }

  /** The identity behind an Authorization header, or the 403 authentik answers. */
  private identify(auth: string | undefined): Identity | SimResponse {
    if (!auth)
      return { status: 403, body: { detail: "Authentication credentials were not provided." } };
    const token = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length) : "";
    if (token === this.options.token)
      return { username: "akadmin", superuser: true, permissions: new Set() };
    return (
      this.options.identities?.get(token) ?? {
        status: 403,
        body: { detail: "Token invalid/expired" },
      }
    );
  }

  handle(req: SimRequest): SimResponse {
    const identity = this.identify(req.headers.authorization);
    if ("status" in identity) return identity;
    const [, area, kind, id, action] = req.path.slice("/api/v3".length).split("/");
    // Permissions are checked before the body is validated (DRF: check_permissions in
    // initial(), then get_object()/serializer in the handler).
    const denied = authorize(identity, req.method, `${area}/${kind}`, Boolean(id));
    if (denied) return denied;
    const problem = this.validator.validate(req.method, req.path, req.query, req.body, req.rawBody);
    if (problem) {
      if (problem.status === 400) return invalid(problem.fields);
      return { status: problem.status, body: { detail: problem.message } };
    }
    const route = `${req.method} ${area}/${kind}${id !== undefined && id !== "" ? "/:id" : ""}${action ? `/${action}` : ""}`;
    const key = decodeURIComponent(id ?? "");
    switch (route) {
      case "GET core/groups":
        return this.listGroups(req);
      case "POST core/groups":
        return this.saveGroup(req.body as Json, undefined, identity);
      case "GET core/groups/:id":
        return this.withGroup(key, (g) => ({ status: 200, body: this.state.serializeGroup(g) }));
      case "PATCH core/groups/:id":
      case "PUT core/groups/:id":
        return this.withGroup(key, (g) => this.saveGroup(req.body as Json, g, identity));
      case "DELETE core/groups/:id":
        return this.withGroup(key, (g) => (this.state.deleteGroup(g.pk), { status: 204 }));
      case "GET providers/oauth2":
        return this.listProviders(req);
      case "POST providers/oauth2":
        return this.saveProvider(req.body as Json);
      case "GET providers/oauth2/:id":
        return this.withProvider(key, (p) => ({
          status: 200,
          body: this.state.serializeProvider(p),
        }));
      case "PATCH providers/oauth2/:id":
      case "PUT providers/oauth2/:id":
        return this.withProvider(key, (p) => this.saveProvider(req.body as Json, p));
      case "DELETE providers/oauth2/:id":
        return this.withProvider(key, (p) => (this.state.deleteProvider(p.pk), { status: 204 }));
      case "GET core/applications":
        return this.listApplications(req);
      case "POST core/applications":
        return this.saveApplication(req.body as Json);
      case "GET core/applications/:id":
        return this.withApp(key, (a) => ({
          status: 200,
          body: this.state.serializeApplication(a),
        }));
      case "PATCH core/applications/:id":
      case "PUT core/applications/:id":
        return this.withApp(key, (a) => this.saveApplication(req.body as Json, a));
      case "DELETE core/applications/:id":
        return this.withApp(key, (a) => (this.state.deleteApplication(a.slug), { status: 204 }));
      case "GET policies/bindings": {
        const target = req.query.get("target");
        const list = [...this.state.bindings.values()].filter(
          (b) => !target || b.target === target,
        );
        return page(req, list, (b) => this.state.serializeBinding(b));
      }
      case "POST policies/bindings":
        return this.saveBinding(req.body as Json);
      case "GET policies/bindings/:id":
        return this.withBinding(key, (b) => ({
          status: 200,
          body: this.state.serializeBinding(b),
        }));
      case "PATCH policies/bindings/:id":
      case "PUT policies/bindings/:id":
        return this.withBinding(key, (b) => this.saveBinding(req.body as Json, b));
      case "DELETE policies/bindings/:id":
        return this.withBinding(key, (b) => (this.state.bindings.delete(b.pk), { status: 204 }));
      case "GET flows/instances/:id": {
        const flow = this.state.flows.get(key);
        return flow ? { status: 200, body: flow } : notFound("Flow");
      }
      case "GET crypto/certificatekeypairs": {
        const name = req.query.get("name");
        const hasKey = req.query.get("has_key");
        const list = this.state.keypairs.filter(
          (k) => (!name || k.name === name) && (hasKey !== "true" || k.private_key_available),
        );
        return page(req, list, (k) => k);
      }
      case "GET propertymappings/provider/:id": {
        if (key !== "scope") return notFound("PropertyMapping");
        const managed = req.query.getAll("managed");
        const scope = req.query.get("scope_name");
        const list = this.state.scopeMappings.filter(
          (m) =>
            (!managed.length || managed.includes(String(m.managed))) &&
            (!scope || m.scope_name === scope),
        );
        return page(req, list, (m) => m);
      }
      default:
        return { status: 501, body: { detail: `simulator does not implement ${route}` } };
    }
  }

  private withGroup(pk: string, fn: (g: SimGroup) => SimResponse): SimResponse {
    const g = this.state.groups.get(pk);
    return g ? fn(g) : notFound("Group");
  }
  private withProvider(pk: string, fn: (p: SimProvider) => SimResponse): SimResponse {
    const p = this.state.providers.get(Number(pk));
    return p ? fn(p) : notFound("OAuth2Provider");
  }
  private withApp(slug: string, fn: (a: SimApplication) => SimResponse): SimResponse {
    const a = this.state.applications.get(slug);
    return a ? fn(a) : notFound("Application");
  }
  private withBinding(pk: string, fn: (b: SimBinding) => SimResponse): SimResponse {
    const b = this.state.bindings.get(pk);
    return b ? fn(b) : notFound("PolicyBinding");
  }

  private listGroups(req: SimRequest): SimResponse {
    const name = req.query.get("name");
    const list = [...this.state.groups.values()].filter((g) => !name || g.name === name);
    return page(req, list, (g) => this.state.serializeGroup(g));
  }

  private saveGroup(body: Json, existing?: SimGroup, identity?: Identity): SimResponse {
    const name = (body.name as string | undefined) ?? existing?.name;
    if ([...this.state.groups.values()].some((g) => g.name === name && g !== existing)) {
      // DRF UniqueValidator; the exact wording depends on the model's verbose names, so the
      // provider branches on the field key only (unverifiable text, docs/conformance).
      return invalid({ name: ["Group with this name already exists."] });
    }
    // GroupSerializer.validate_is_superuser (authentik/core/api/groups.py): changing the flag,
    // or creating a superuser group, needs authentik_core.enable/disable_group_superuser.
    const superuser = body.is_superuser as boolean | undefined;
    if (superuser !== undefined && identity && !identity.superuser) {
      const changes = existing ? superuser !== existing.is_superuser : superuser;
      const perm = `authentik_core.${superuser ? "enable" : "disable"}_group_superuser`;
      if (changes && !identity.permissions.has(perm)) {
        const shown = superuser ? "True" : "False";
        return invalid({
          is_superuser: [`User does not have permission to set superuser status to ${shown}.`],
        });
      }
    }
    const parents = (body.parents as string[] | undefined) ?? existing?.parents ?? [];
    const missing = parents.find((p) => !this.state.groups.has(p));
    if (missing) return invalid({ parents: [`Invalid pk "${missing}" - object does not exist.`] });
    const group: SimGroup = existing ?? {
      pk: randomUUID(),
      num_pk: this.state.nextId(),
      name: name!,
      is_superuser: false,
      parents: [],
      attributes: {},
      roles: [],
    };
    Object.assign(group, {
      name,
      parents,
      is_superuser: body.is_superuser ?? group.is_superuser,
      attributes: body.attributes ?? group.attributes,
    });
    this.state.groups.set(group.pk, group);
    return { status: existing ? 200 : 201, body: this.state.serializeGroup(group) };
  }

  private listProviders(req: SimRequest): SimResponse {
    const name = req.query.get("name");
    const clientId = req.query.get("client_id");
    const list = [...this.state.providers.values()].filter(
      (p) => (!name || p.name === name) && (!clientId || p.client_id === clientId),
    );
    return page(req, list, (p) => this.state.serializeProvider(p));
  }

  private saveProvider(body: Json, existing?: SimProvider): SimResponse {
    const merged = { ...(existing ?? {}), ...body } as Json;
    const others = [...this.state.providers.values()].filter((p) => p !== existing);
    if (others.some((p) => p.name === merged.name))
      return invalid({ name: ["Provider with this name already exists."] });
    if (merged.client_id && others.some((p) => p.client_id === merged.client_id)) {
      return invalid({ client_id: ["OAuth2/OpenID Provider with this Client ID already exists."] });
    }
    for (const field of ["authorization_flow", "invalidation_flow"]) {
      if (![...this.state.flows.values()].some((f) => f.pk === merged[field])) {
        return invalid({
          [field]: [`Invalid pk "${String(merged[field])}" - object does not exist.`],
        });
      }
    }
    const provider: SimProvider = {
      authentication_flow: null,
      client_type: "confidential",
      grant_types: [],
      property_mappings: [],
      signing_key: null,
      encryption_key: null,
      sub_mode: "hashed_user_id",
      issuer_mode: "per_provider",
      include_claims_in_id_token: true,
      ...merged,
      pk: existing?.pk ?? this.state.nextId(),
      name: String(merged.name),
      client_id: String(merged.client_id ?? `generated-${randomUUID()}`),
      client_secret: String(merged.client_secret ?? randomUUID().replace(/-/g, "")),
    };
    this.state.providers.set(provider.pk, provider);
    return { status: existing ? 200 : 201, body: this.state.serializeProvider(provider) };
  }

  private listApplications(req: SimRequest): SimResponse {
    const slug = req.query.get("slug");
    const list = [...this.state.applications.values()].filter((a) => !slug || a.slug === slug);
    return page(req, list, (a) => this.state.serializeApplication(a));
  }

  private saveApplication(body: Json, existing?: SimApplication): SimResponse {
    const merged = { ...(existing ?? {}), ...body } as Json;
    const slug = String(merged.slug);
    if (slug !== existing?.slug && this.state.applications.has(slug))
      return invalid({ slug: ["Application with this slug already exists."] });
    const provider = (merged.provider as number | null | undefined) ?? null;
    if (provider !== null && !this.state.providers.has(provider))
      return invalid({ provider: [`Invalid pk "${provider}" - object does not exist.`] });
    if (
      provider !== null &&
      [...this.state.applications.values()].some((a) => a !== existing && a.provider === provider)
    ) {
      return invalid({ provider: ["Application with this provider already exists."] });
    }
    const app: SimApplication = {
      backchannel_providers: [],
      open_in_new_tab: false,
      meta_icon: "",
      meta_description: "",
      meta_publisher: "",
      group: "",
      ...merged,
      pk: existing?.pk ?? randomUUID(),
      name: String(merged.name),
      slug,
      provider,
      meta_launch_url: String(merged.meta_launch_url ?? ""),
      meta_hide: Boolean(merged.meta_hide ?? false),
      policy_engine_mode: (merged.policy_engine_mode as "any" | "all") ?? "any",
    };
    if (existing && existing.slug !== slug) this.state.applications.delete(existing.slug);
    this.state.applications.set(slug, app);
    return { status: existing ? 200 : 201, body: this.state.serializeApplication(app) };
  }

  private saveBinding(body: Json, existing?: SimBinding): SimResponse {
    const merged = { ...(existing ?? {}), ...body } as Json;
    const set = ["policy", "group", "user"].filter(
      (k) => merged[k] !== undefined && merged[k] !== null,
    );
    // PolicyBindingSerializer.validate (authentik/policies/api/bindings.py): the supported
    // targets joined with ", " (an application supports policy, group and user).
    if (set.length > 1)
      return invalid({ non_field_errors: ["Only one of 'policy', 'group', 'user' can be set."] });
    if (set.length === 0)
      return invalid({ non_field_errors: ["One of 'policy', 'group', 'user' must be set."] });
    const target = String(merged.target);
    const isTarget =
      [...this.state.applications.values()].some((a) => a.pk === target) ||
      [...this.state.flows.values()].some((f) => f.pk === target);
    if (!isTarget) return invalid({ target: [`Invalid pk "${target}" - object does not exist.`] });
    if (merged.group && !this.state.groups.has(String(merged.group)))
      return invalid({ group: [`Invalid pk "${String(merged.group)}" - object does not exist.`] });
    const binding: SimBinding = {
      pk: existing?.pk ?? randomUUID(),
      target,
      group: (merged.group as string | null) ?? null,
      user: (merged.user as number | null) ?? null,
      policy: (merged.policy as string | null) ?? null,
      negate: Boolean(merged.negate ?? false),
      enabled: Boolean(merged.enabled ?? true),
      order: Number(merged.order),
      timeout: Number(merged.timeout ?? 30),
      failure_result: Boolean(merged.failure_result ?? false),
    };
    this.state.bindings.set(binding.pk, binding);
    return { status: existing ? 200 : 201, body: this.state.serializeBinding(binding) };
  }
}
