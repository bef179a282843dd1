/**
 * Dynamic provider for a tenant's Authentik application AND its access binding to the tenant
 * group. They are one resource on purpose: an application without bindings is open to every
 * user, so the order is fixed here, not left to the caller:
 *   1. POST the application inert (no provider, no launch URL, hidden): nothing to log in to;
 *   2. POST the binding to the tenant group;
 *   3. PATCH the provider, launch URL and visibility in.
 * Suspension (`enabled: false`) detaches the provider and hides the tile; the binding stays
 * enabled, because a disabled binding would leave the application with no active binding,
 * i.e. open to everyone. Nothing is deleted, and the client id/secret survive unsuspension.
 */
import { z } from "zod";
import type { TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { slugField } from "../core/schema";
import { call, isFieldConflict, isNotFound, listAll, openSession, type Session } from "./client";
import type { AuthentikConnection } from "./connection";
import { applicationSlug } from "./names";

const schema = z.object({
  tenant: slugField("tenant"),
  name: z.string().min(1, "a display name is required"),
  /** The tenant's OAuth2 provider pk (`OAuth2Provider.id`, a number or its string form). */
  provider: z.coerce.number().int().positive(),
  /** UUID of the tenant group (`Group.id`): the only group that may see and use the app. */
  accessGroup: z
    .string()
    .min(1, "the tenant group's UUID is required (an unbound application is open to all users)"),
  launchUrl: z.string().min(1),
  icon: z.string().optional(),
  description: z.string().optional(),
  publisher: z.string().optional(),
  policyEngineMode: z.enum(["any", "all"]).optional(),
  openInNewTab: z.boolean().optional(),
  enabled: z.boolean().optional(),
  adopt: z.boolean().optional(),
});

export type ApplicationInputs = z.infer<typeof schema>;

/** Application fields we manage, as sent (camelCase) and as read back. */
export interface AppFields {
  name: string;
  slug: string;
  provider: number | null;
  metaLaunchUrl?: string;
  metaIcon: string;
  metaDescription: string;
  metaPublisher: string;
  policyEngineMode: "any" | "all";
  openInNewTab: boolean;
  metaHide: boolean;
}

export interface BindingObserved {
  bindingId: string;
  group: string | null;
  enabled: boolean;
  negate: boolean;
  /** Other bindings on the application (each would let more users in). */
  others: string[];
}

export interface ApplicationOutputs extends ApplicationInputs {
  slug: string;
  applicationId: string;
  bindingId: string;
  observed: AppFields;
  binding: BindingObserved;
}

/** The live state the inputs ask for (suspended: provider detached, tile hidden). */
export function desiredApp(i: ApplicationInputs): AppFields {
  const enabled = i.enabled ?? true;
  return {
    name: i.name,
    slug: applicationSlug(i.tenant),
    provider: enabled ? i.provider : null,
    metaLaunchUrl: i.launchUrl,
    metaIcon: i.icon ?? "",
    metaDescription: i.description ?? "",
    metaPublisher: i.publisher ?? "",
    policyEngineMode: i.policyEngineMode ?? "any",
    openInNewTab: i.openInNewTab ?? false,
    metaHide: !enabled,
  };
}

/** Step 1: the application before it is bound: no provider, no launch URL, hidden. */
export function inertApp(i: ApplicationInputs): AppFields {
  const { metaLaunchUrl: _omit, ...rest } = desiredApp(i);
  return { ...rest, provider: null, metaHide: true };
}

type ApiApp = { pk: string; pbmUuid: string } & Partial<Omit<AppFields, "policyEngineMode">> & {
    policyEngineMode?: string;
    name: string;
    slug: string;
  };
type ApiBinding = { pk: string; group?: string | null; enabled?: boolean; negate?: boolean };

function observeApp(a: ApiApp): AppFields {
  return {
    name: a.name,
    slug: a.slug,
    provider: a.provider ?? null,
    metaLaunchUrl: a.metaLaunchUrl ?? "",
    metaIcon: a.metaIcon ?? "",
    metaDescription: a.metaDescription ?? "",
    metaPublisher: a.metaPublisher ?? "",
    policyEngineMode: (a.policyEngineMode ?? "any") as "any" | "all",
    openInNewTab: a.openInNewTab ?? false,
    metaHide: a.metaHide ?? false,
  };
}

export function observeBindings(bindings: ApiBinding[], group: string): BindingObserved {
  const ours =
    bindings.find((b) => b.group === group && !b.negate) ?? bindings.find((b) => b.group === group);
  return {
    bindingId: ours?.pk ?? "",
    group: ours?.group ?? null,
    enabled: ours?.enabled ?? false,
    negate: ours?.negate ?? false,
    others: bindings.filter((b) => b !== ours).map((b) => b.pk),
  };
}

/** Names of inputs whose live state differs (diff is local: olds hold what read observed). */
export function diffApplication(olds: ApplicationOutputs, news: ApplicationInputs): string[] {
  const want = desiredApp(news);
  const have = olds.observed;
  const changes = (Object.keys(want) as (keyof AppFields)[])
    .filter((k) => want[k] !== have[k])
    .map(
      (k) =>
        (
          ({
            provider: "provider",
            metaHide: "enabled",
            metaLaunchUrl: "launchUrl",
            metaIcon: "icon",
            metaDescription: "description",
            metaPublisher: "publisher",
            slug: "tenant",
          }) as Record<string, string>
        )[k] ?? k,
    );
  const b = olds.binding;
  if (b.group !== news.accessGroup || !b.enabled || b.negate || b.others.length)
    changes.push("accessGroup");
  return [...new Set(changes)];
}

function label(i: { tenant: string }): string {
  return `application "${applicationSlug(i.tenant)}"`;
}

async function listBindings(
  s: Session,
  i: ApplicationInputs,
  target: string,
): Promise<ApiBinding[]> {
  return call(s, label(i), `GET /api/v3/policies/bindings/?target=${target}`, () =>
    listAll((page) => s.policies.policiesBindingsList({ target, page, pageSize: 100 })),
  );
}

/**
 * Makes the tenant group's binding the only binding of the application, enabled. Creates it
 * when missing; a POST that had to be retried may have landed twice (Authentik does not
 * enforce uniqueness for group bindings), so then the list is checked and extras removed.
 */
async function ensureOnlyBinding(
  s: Session,
  i: ApplicationInputs,
  target: string,
  known?: ApiBinding[],
): Promise<string> {
  let bindings = known ?? [];
  let ours = observeBindings(bindings, i.accessGroup);
  if (!ours.bindingId) {
    s.retried = false;
    const created = await call(s, label(i), "POST /api/v3/policies/bindings/", () =>
      s.policies.policiesBindingsCreate({
        policyBindingRequest: {
          target,
          group: i.accessGroup,
          order: 0,
          enabled: true,
          negate: false,
          timeout: 30,
          failureResult: false,
        },
      }),
    );
    if (s.retried) {
      bindings = await listBindings(s, i, target);
      ours = observeBindings(bindings, i.accessGroup);
    } else {
      ours = { ...ourBinding(created.pk, i.accessGroup), others: bindings.map((b) => b.pk) };
    }
  } else if (!ours.enabled || ours.negate) {
    await call(s, label(i), `PATCH /api/v3/policies/bindings/${ours.bindingId}/`, () =>
      s.policies.policiesBindingsPartialUpdate({
        policyBindingUuid: ours.bindingId,
        patchedPolicyBindingRequest: { enabled: true, negate: false },
      }),
    );
  }
  for (const other of ours.others) {
    try {
      await call(s, label(i), `DELETE /api/v3/policies/bindings/${other}/`, () =>
        s.policies.policiesBindingsDestroy({ policyBindingUuid: other }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return ours.bindingId;
}

async function patchApp(
  s: Session,
  i: ApplicationInputs,
  slug: string,
  fields: Partial<AppFields>,
): Promise<ApiApp> {
  return call(s, label(i), `PATCH /api/v3/core/applications/${slug}/`, () =>
    s.core.coreApplicationsPartialUpdate({ slug, patchedApplicationRequest: fields }),
  );
}

/** The slug is taken: ours (bound to our group, or still inert from a lost create) or adopt. */
async function takeOver(s: Session, i: ApplicationInputs, slug: string) {
  const app = await call(s, label(i), `GET /api/v3/core/applications/${slug}/`, () =>
    s.core.coreApplicationsRetrieve({ slug }),
  );
  const bindings = await listBindings(s, i, app.pbmUuid);
  const bound = bindings.some((b) => b.group === i.accessGroup);
  const inert = (app.provider ?? null) === null && bindings.length === 0 && app.metaHide === true;
  if (!bound && !inert && !i.adopt) {
    throw objectError(
      { service: "Authentik", tenant: i.tenant, object: label(i) },
      "already exists and was not created by this program",
      "delete it, or set adopt: true to take it over (its other policy bindings will be removed)",
    );
  }
  return { app, bindings };
}

function outputs(
  i: ApplicationInputs,
  app: ApiApp,
  bindings: ApiBinding[] | BindingObserved,
): ApplicationOutputs {
  const binding = Array.isArray(bindings) ? observeBindings(bindings, i.accessGroup) : bindings;
  return {
    ...i,
    slug: app.slug,
    applicationId: app.pk,
    bindingId: binding.bindingId,
    observed: observeApp(app),
    binding,
  };
}

function ourBinding(id: string, group: string): BindingObserved {
  return { bindingId: id, group, enabled: true, negate: false, others: [] };
}

export const applicationType: TypeSpec<ApplicationInputs, ApplicationOutputs, AuthentikConnection> =
  {
    type: "authentik:Application",
    service: "authentik",
    schema,
    // The slug (from the tenant) cannot change in place.
    replaces: ["tenant"],
    updates: [],
    pending: (olds, news) => diffApplication(olds, news),
    deleteBeforeReplace: true,

    async create(op, inputs) {
      const s = openSession(op.connection, inputs.tenant);
      const slug = applicationSlug(inputs.tenant);
      let app: ApiApp;
      let known: ApiBinding[] | undefined;
      try {
        app = await call(s, label(inputs), "POST /api/v3/core/applications/", () =>
          s.core.coreApplicationsCreate({ applicationRequest: inertApp(inputs) }),
        );
      } catch (error) {
        if (!isFieldConflict(error, ["slug"])) throw error;
        ({ app, bindings: known } = await takeOver(s, inputs, slug));
      }
      const bindingId = await ensureOnlyBinding(s, inputs, app.pbmUuid, known);
      app = await patchApp(s, inputs, slug, desiredApp(inputs));
      return { id: slug, outs: outputs(inputs, app, ourBinding(bindingId, inputs.accessGroup)) };
    },

    async read(op, id, props) {
      const s = openSession(op.connection, props.tenant);
      try {
        const app = await call(s, label(props), `GET /api/v3/core/applications/${id}/`, () =>
          s.core.coreApplicationsRetrieve({ slug: id }),
        );
        return outputs(props, app, await listBindings(s, props, app.pbmUuid));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async update(op, id, olds, news) {
      const s = openSession(op.connection, news.tenant);
      // The binding is fixed first, so no intermediate state is reachable by other tenants.
      const bindings = await listBindings(s, news, olds.applicationId);
      const current = observeBindings(bindings, news.accessGroup);
      let bindingId = current.bindingId;
      if (!bindingId && bindings.length) {
        // Access group changed: move the existing binding instead of leaving the app unbound.
        const first = bindings[0];
        await call(s, label(news), `PATCH /api/v3/policies/bindings/${first.pk}/`, () =>
          s.policies.policiesBindingsPartialUpdate({
            policyBindingUuid: first.pk,
            patchedPolicyBindingRequest: { group: news.accessGroup, enabled: true, negate: false },
          }),
        );
        bindingId = first.pk;
        bindings[0] = { ...first, group: news.accessGroup, enabled: true, negate: false };
      }
      bindingId = await ensureOnlyBinding(s, news, olds.applicationId, bindings);
      const app = await patchApp(s, news, id, desiredApp(news));
      return outputs(news, app, ourBinding(bindingId, news.accessGroup));
    },

    async delete(op, id, props) {
      const s = openSession(op.connection, props.tenant);
      try {
        // Bindings cascade with the application.
        await call(s, label(props), `DELETE /api/v3/core/applications/${id}/`, () =>
          s.core.coreApplicationsDestroy({ slug: id }),
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
