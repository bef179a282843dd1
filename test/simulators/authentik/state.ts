/**
 * State of the Authentik simulator: the objects a tenant touches, serialized the way authentik
 * 2026.8 answers (snake_case, read-only fields present), plus the policy engine's rule for who
 * may see and use an application, which the isolation tests evaluate after every request.
 */
import { randomUUID } from "node:crypto";

type Json = Record<string, unknown>;

export interface SimGroup {
  pk: string;
  num_pk: number;
  name: string;
  is_superuser: boolean;
  parents: string[];
  attributes: Json;
  roles: string[];
}
export interface SimProvider extends Json {
  pk: number;
  name: string;
  client_id: string;
  client_secret: string;
}
export interface SimApplication extends Json {
  pk: string;
  name: string;
  slug: string;
  provider: number | null;
  meta_launch_url: string;
  meta_hide: boolean;
  policy_engine_mode: "any" | "all";
}
export interface SimBinding {
  pk: string;
  target: string;
  group: string | null;
  user: number | null;
  policy: string | null;
  negate: boolean;
  enabled: boolean;
  order: number;
  timeout: number;
  failure_result: boolean;
}
export interface SimUser {
  pk: number;
  username: string;
  groups: Set<string>;
}

export const SEEDED_FLOWS = {
  "default-provider-authorization-implicit-consent": "authorization",
  "default-provider-invalidation-flow": "invalidation",
} as const;
export const SEEDED_SCOPES = ["openid", "email", "profile", "offline_access", "entitlements"];

export class AuthentikState {
  groups = new Map<string, SimGroup>();
  providers = new Map<number, SimProvider>();
  applications = new Map<string, SimApplication>(); // by slug
  bindings = new Map<string, SimBinding>();
  users = new Map<number, SimUser>();
  flows = new Map<string, Json>(); // by slug
  keypairs: Json[] = [];
  scopeMappings: Json[] = [];
  private seq = 100;

  constructor() {
    for (const [slug, designation] of Object.entries(SEEDED_FLOWS)) {
      this.flows.set(slug, {
        pk: randomUUID(),
        policybindingmodel_ptr_id: randomUUID(),
        name: slug,
        slug,
        title: slug,
        designation,
        background_url: "",
        background_themed_urls: null,
        policy_engine_mode: "any",
        cache_count: 0,
        export_url: `/api/v3/flows/instances/${slug}/export/`,
        layout: "stacked",
        denied_action: "message_continue",
        policies: [],
        stages: [],
      });
    }
    this.keypairs.push(this.keypair("authentik Self-signed Certificate", true));
    this.keypairs.push(this.keypair("imported-cert-without-key", false));
    for (const scope of SEEDED_SCOPES) {
      this.addScopeMapping(
        `authentik default OAuth Mapping: OpenID '${scope}'`,
        scope,
        `goauthentik.io/providers/oauth2/scope-${scope}`,
      );
    }
  }

  nextId(): number {
    return ++this.seq;
  }

  private keypair(name: string, hasKey: boolean): Json {
    return {
      pk: randomUUID(),
      name,
      fingerprint_sha256: "00",
      fingerprint_sha1: "00",
      cert_expiry: "2030-01-01T00:00:00Z",
      cert_subject: `CN=${name}`,
      private_key_available: hasKey,
      key_type: "rsa",
      certificate_download_url: "",
      private_key_download_url: "",
      managed: null,
    };
  }

  /** What the platform's setup adds, e.g. the `groups` scope the portal and OCIS read. */
  addScopeMapping(name: string, scopeName: string, managed: string | null = null): string {
    const pk = randomUUID();
    this.scopeMappings.push({
      pk,
      managed,
      name,
      expression: "return {}",
      component: "ak-property-mapping-provider-scope-form",
      verbose_name: "Scope Mapping",
      verbose_name_plural: "Scope Mappings",
      meta_model_name: "authentik_providers_oauth2.scopemapping",
      scope_name: scopeName,
      description: "",
    });
    return pk;
  }

  addUser(username: string, groupName: string): SimUser {
    const group = [...this.groups.values()].find((g) => g.name === groupName);
    if (!group) throw new Error(`no group ${groupName}`);
    const user = { pk: this.nextId(), username, groups: new Set([group.pk]) };
    this.users.set(user.pk, user);
    return user;
  }

  /** Groups a user belongs to, including every ancestor (child members count for parents). */
  memberships(user: SimUser): Set<string> {
    const out = new Set<string>();
    const visit = (pk: string) => {
      if (out.has(pk)) return;
      out.add(pk);
      for (const parent of this.groups.get(pk)?.parents ?? []) visit(parent);
    };
    user.groups.forEach(visit);
    return out;
  }

  /** authentik's PolicyEngine: no enabled bindings -> pass; else mode any/all over results. */
  policyPasses(app: SimApplication, user: SimUser): boolean {
    const bindings = [...this.bindings.values()].filter((b) => b.target === app.pk && b.enabled);
    if (bindings.length === 0) return true;
    const groups = this.memberships(user);
    const results = bindings.map((b) => {
      const raw = b.group
        ? groups.has(b.group)
        : b.user !== null
          ? b.user === user.pk
          : b.failure_result;
      return b.negate ? !raw : raw;
    });
    return app.policy_engine_mode === "all" ? results.every(Boolean) : results.some(Boolean);
  }

  /** The app shows in the user's launcher ("My applications", only_with_launch_url). */
  canSee(user: SimUser, slug: string): boolean {
    const app = this.applications.get(slug);
    if (!app || app.meta_hide || !this.launchUrl(app)) return false;
    return this.policyPasses(app, user);
  }

  /** The user can log in through the app's OAuth2 provider (authorize needs an application). */
  canLogin(user: SimUser, clientId: string): boolean {
    const provider = [...this.providers.values()].find((p) => p.client_id === clientId);
    if (!provider) return false;
    const app = [...this.applications.values()].find((a) => a.provider === provider.pk);
    return app ? this.policyPasses(app, user) : false;
  }

  launchUrl(app: SimApplication): string | null {
    return app.meta_launch_url || null;
  }

  serializeGroup(g: SimGroup): Json {
    const children = [...this.groups.values()].filter((c) => c.parents.includes(g.pk));
    return {
      ...g,
      parents_obj: g.parents.map((p) => this.partialGroup(this.groups.get(p)!)),
      users: [...this.users.values()].filter((u) => u.groups.has(g.pk)).map((u) => u.pk),
      users_obj: null,
      roles_obj: [],
      inherited_roles_obj: null,
      children: children.map((c) => c.pk),
      children_obj: null,
    };
  }

  partialGroup(g: SimGroup): Json {
    return {
      pk: g.pk,
      num_pk: g.num_pk,
      name: g.name,
      is_superuser: g.is_superuser,
      attributes: g.attributes,
    };
  }

  serializeProvider(p: SimProvider): Json {
    const app = [...this.applications.values()].find((a) => a.provider === p.pk);
    return {
      ...p,
      component: "ak-provider-oauth2-form",
      verbose_name: "OAuth2/OpenID Provider",
      verbose_name_plural: "OAuth2/OpenID Providers",
      meta_model_name: "authentik_providers_oauth2.oauth2provider",
      assigned_application_slug: app?.slug ?? null,
      assigned_application_name: app?.name ?? null,
      assigned_backchannel_application_slug: null,
      assigned_backchannel_application_name: null,
    };
  }

  serializeApplication(a: SimApplication): Json {
    const provider = a.provider === null ? undefined : this.providers.get(a.provider);
    return {
      ...a,
      pbm_uuid: a.pk,
      provider_obj: provider ? this.serializeProvider(provider) : null,
      backchannel_providers_obj: [],
      launch_url: this.launchUrl(a),
      meta_icon_url: a.meta_icon || null,
      meta_icon_themed_urls: null,
    };
  }

  serializeBinding(b: SimBinding): Json {
    const group = b.group ? this.groups.get(b.group) : undefined;
    return {
      ...b,
      policy_obj: null,
      group_obj: group ? this.partialGroup(group) : null,
      user_obj: null,
      expires: null,
      expiring: false,
    };
  }

  /** Deleting an application, group or provider cascades like authentik's FKs. */
  deleteApplication(slug: string): void {
    const app = this.applications.get(slug);
    if (!app) return;
    this.applications.delete(slug);
    for (const [pk, b] of this.bindings) if (b.target === app.pk) this.bindings.delete(pk);
  }

  deleteGroup(pk: string): void {
    this.groups.delete(pk);
    for (const [bpk, b] of this.bindings) if (b.group === pk) this.bindings.delete(bpk);
    for (const g of this.groups.values()) g.parents = g.parents.filter((p) => p !== pk);
    for (const u of this.users.values()) u.groups.delete(pk);
  }

  deleteProvider(pk: number): void {
    this.providers.delete(pk);
    for (const a of this.applications.values()) if (a.provider === pk) a.provider = null;
  }
}
