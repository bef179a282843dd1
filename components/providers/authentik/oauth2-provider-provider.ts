/**
 * Dynamic provider for a tenant's OAuth2/OIDC provider in Authentik: a confidential client with
 * a stable client id (`dezky-<tenant>`) and a secret client secret. Flows, the signing key and
 * scope mappings are referenced by UUID; they are looked up by slug/name once per run (cache on
 * this provider object) however many tenants are deployed. The client secret doubles as the
 * ownership marker: if a create's response was lost, the object found by client id carries the
 * secret this create sent, which nobody else knows.
 */
import * as pulumi from "@pulumi/pulumi";
import { flowPk, scopeMappingPks, signingKeyPk, type LookupCache } from "./lookups";
import { checkSlug, clientId, oauth2ProviderName, redirectUris, sameSet } from "./names";
import {
  AuthentikConnection,
  HttpTuning,
  baseUrl,
  call,
  isFieldConflict,
  isNotFound,
  openSession,
  type Session,
} from "./session";

export const DEFAULT_GRANT_TYPES = ["authorization_code", "refresh_token"];
/** `groups` is required: the portal and OCIS read the groups claim. */
export const DEFAULT_SCOPES = ["openid", "email", "profile", "offline_access", "groups"];
export const DEFAULT_AUTHORIZATION_FLOW = "default-provider-authorization-implicit-consent";
export const DEFAULT_INVALIDATION_FLOW = "default-provider-invalidation-flow";
export const DEFAULT_SIGNING_KEY = "authentik Self-signed Certificate";

export interface OAuth2ProviderInputs {
  connection: AuthentikConnection;
  tenant: string;
  redirectUris: string[];
  logoutRedirectUris: string[];
  grantTypes?: string[];
  scopes?: string[];
  authorizationFlowSlug?: string;
  invalidationFlowSlug?: string;
  signingKeyName?: string;
  clientSecret?: string;
  adopt?: boolean;
  http?: HttpTuning;
}

/** What the server holds, as read back; diff compares it with what the inputs ask for. */
export interface OAuth2Observed {
  name: string;
  clientId: string;
  clientType: string;
  grantTypes: string[];
  redirectUris: { matching_mode: string; url: string; redirect_uri_type?: string }[];
  authorizationFlow: string;
  invalidationFlow: string;
  signingKey: string | null;
  propertyMappings: string[];
}

export interface OAuth2ProviderOutputs extends OAuth2ProviderInputs {
  providerId: number;
  clientId: string;
  clientSecret: string;
  observed: OAuth2Observed;
  /** UUIDs the slugs/names resolved to when last written. */
  resolved: {
    authorizationFlow: string;
    invalidationFlow: string;
    signingKey: string;
    propertyMappings: string[];
  };
}

interface CachingProvider extends pulumi.dynamic.ResourceProvider {
  lookups?: LookupCache;
}

type ApiProvider = {
  pk: number;
  name: string;
  clientId?: string;
  clientSecret?: string;
  clientType?: string;
  grantTypes?: string[];
  redirectUris: { matchingMode: string; url: string; redirectUriType?: string }[];
  authorizationFlow: string;
  invalidationFlow: string;
  signingKey?: string | null;
  propertyMappings?: string[];
};

function observe(p: ApiProvider): OAuth2Observed {
  return {
    name: p.name,
    clientId: p.clientId ?? "",
    clientType: p.clientType ?? "",
    grantTypes: p.grantTypes ?? [],
    redirectUris: p.redirectUris.map((r) => ({
      matching_mode: r.matchingMode,
      url: r.url,
      redirect_uri_type: r.redirectUriType,
    })),
    authorizationFlow: p.authorizationFlow,
    invalidationFlow: p.invalidationFlow,
    signingKey: p.signingKey ?? null,
    propertyMappings: p.propertyMappings ?? [],
  };
}

function label(inputs: { tenant: string }): string {
  return `OAuth2 provider "${oauth2ProviderName(inputs.tenant)}"`;
}

async function resolve(cache: LookupCache, s: Session, inputs: OAuth2ProviderInputs) {
  const url = baseUrl(inputs.connection);
  const [authorizationFlow, invalidationFlow, signingKey, propertyMappings] = await Promise.all([
    flowPk(cache, s, url, inputs.authorizationFlowSlug ?? DEFAULT_AUTHORIZATION_FLOW),
    flowPk(cache, s, url, inputs.invalidationFlowSlug ?? DEFAULT_INVALIDATION_FLOW),
    signingKeyPk(cache, s, url, inputs.signingKeyName ?? DEFAULT_SIGNING_KEY),
    scopeMappingPks(cache, s, url, inputs.scopes ?? DEFAULT_SCOPES),
  ]);
  return { authorizationFlow, invalidationFlow, signingKey, propertyMappings };
}

/** The request body (camelCase for the client), from inputs and resolved UUIDs. */
export function providerBody(
  inputs: OAuth2ProviderInputs,
  resolved: OAuth2ProviderOutputs["resolved"],
) {
  return {
    name: oauth2ProviderName(inputs.tenant),
    clientType: "confidential" as const,
    clientId: clientId(inputs.tenant),
    grantTypes: (inputs.grantTypes ?? DEFAULT_GRANT_TYPES) as (
      "authorization_code" | "refresh_token"
    )[],
    redirectUris: redirectUris(inputs.redirectUris, inputs.logoutRedirectUris).map((r) => ({
      matchingMode: r.matching_mode,
      url: r.url,
      redirectUriType: r.redirect_uri_type,
    })),
    authorizationFlow: resolved.authorizationFlow,
    invalidationFlow: resolved.invalidationFlow,
    signingKey: resolved.signingKey,
    propertyMappings: resolved.propertyMappings,
    subMode: "hashed_user_id" as const,
    issuerMode: "per_provider" as const,
    includeClaimsInIdToken: true,
  };
}

function outputs(
  inputs: OAuth2ProviderInputs,
  p: ApiProvider,
  resolved: OAuth2ProviderOutputs["resolved"],
): OAuth2ProviderOutputs {
  return {
    ...inputs,
    providerId: p.pk,
    clientId: p.clientId ?? "",
    clientSecret: p.clientSecret ?? "",
    observed: observe(p),
    resolved,
  };
}

/** Local diff: which inputs the server state no longer matches. */
export function diffOAuth2(olds: OAuth2ProviderOutputs, news: OAuth2ProviderInputs): string[] {
  const o = olds.observed;
  const changes: string[] = [];
  const want = redirectUris(news.redirectUris, news.logoutRedirectUris);
  const key = (r: { matching_mode: string; url: string; redirect_uri_type?: string }) =>
    `${r.matching_mode} ${r.redirect_uri_type ?? "authorization"} ${r.url}`;
  if (!sameSet(o.redirectUris.map(key), want.map(key)))
    changes.push("redirectUris", "logoutRedirectUris");
  if (!sameSet(o.grantTypes, news.grantTypes ?? DEFAULT_GRANT_TYPES)) changes.push("grantTypes");
  if (o.name !== oauth2ProviderName(news.tenant) || o.clientId !== clientId(news.tenant))
    changes.push("tenant");
  if (o.clientType !== "confidential") changes.push("clientType");
  const slugs = (i: OAuth2ProviderInputs) =>
    [
      i.authorizationFlowSlug ?? DEFAULT_AUTHORIZATION_FLOW,
      i.invalidationFlowSlug ?? DEFAULT_INVALIDATION_FLOW,
      i.signingKeyName ?? DEFAULT_SIGNING_KEY,
    ].join("|");
  const r = olds.resolved;
  if (
    slugs(olds) !== slugs(news) ||
    o.authorizationFlow !== r.authorizationFlow ||
    o.invalidationFlow !== r.invalidationFlow ||
    o.signingKey !== r.signingKey
  )
    changes.push("flows");
  if (
    !sameSet(olds.scopes ?? DEFAULT_SCOPES, news.scopes ?? DEFAULT_SCOPES) ||
    !sameSet(o.propertyMappings, r.propertyMappings)
  )
    changes.push("scopes");
  if (news.clientSecret !== undefined && news.clientSecret !== olds.clientSecret)
    changes.push("clientSecret");
  if (JSON.stringify(olds.connection) !== JSON.stringify(news.connection))
    changes.push("connection");
  return changes;
}

export const oauth2ProviderProvider: CachingProvider = {
  lookups: undefined,

  async check(_olds: OAuth2ProviderInputs, news: OAuth2ProviderInputs) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const slug = checkSlug("tenant", news.tenant);
    if (slug) failures.push({ property: "tenant", reason: slug });
    if (!news.redirectUris?.length)
      failures.push({
        property: "redirectUris",
        reason: "at least one login callback URL is required",
      });
    if (!(news.scopes ?? DEFAULT_SCOPES).includes("groups"))
      failures.push({
        property: "scopes",
        reason: 'must include "groups" (the portal and OCIS read the groups claim)',
      });
    if (news.grantTypes && !news.grantTypes.length)
      failures.push({
        property: "grantTypes",
        reason: "must not be empty (an empty list breaks logins on Authentik 2026.5+)",
      });
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: OAuth2ProviderOutputs, news: OAuth2ProviderInputs) {
    const changes = diffOAuth2(olds, news);
    return { changes: changes.length > 0, replaces: [], deleteBeforeReplace: true };
  },

  async create(inputs: OAuth2ProviderInputs) {
    const s = openSession(inputs.connection, inputs.tenant, inputs.http);
    const resolved = await resolve((this.lookups ??= new Map()), s, inputs);
    // Required at call time: a Node built-in must be captured by reference, never by value.
    const { randomBytes } = require("node:crypto") as typeof import("node:crypto");
    const secret = inputs.clientSecret ?? randomBytes(48).toString("base64url");
    const body = providerBody(inputs, resolved);
    let created: ApiProvider;
    try {
      created = await call(s, label(inputs), "POST /api/v3/providers/oauth2/", () =>
        s.providers.providersOauth2Create({
          oAuth2ProviderRequest: { ...body, clientSecret: secret },
        }),
      );
    } catch (error) {
      if (!isFieldConflict(error, ["name", "client_id"])) throw error;
      const found = (
        await call(s, label(inputs), "GET /api/v3/providers/oauth2/?client_id=", () =>
          s.providers.providersOauth2List({ clientId: body.clientId }),
        )
      ).results.find((p) => p.clientId === body.clientId || p.name === body.name);
      if (!found) throw error;
      const ours = found.clientSecret === secret;
      if (!ours && !inputs.adopt) {
        throw new Error(
          `Authentik: tenant "${inputs.tenant}": ${label(inputs)} (client id ${body.clientId}) already exists and was not created ` +
            `by this run. Delete it, or set adopt: true to take it over (its client secret is kept unless clientSecret is set).`,
        );
      }
      const keepSecret = ours ? undefined : inputs.clientSecret;
      created = await call(s, label(inputs), `PATCH /api/v3/providers/oauth2/${found.pk}/`, () =>
        s.providers.providersOauth2PartialUpdate({
          id: found.pk,
          patchedOAuth2ProviderRequest: {
            ...body,
            ...(keepSecret ? { clientSecret: keepSecret } : {}),
          },
        }),
      );
    }
    return { id: String(created.pk), outs: outputs(inputs, created, resolved) };
  },

  async read(id: string, props: OAuth2ProviderOutputs) {
    const s = openSession(props.connection, props.tenant, props.http);
    try {
      const p = await call(s, label(props), `GET /api/v3/providers/oauth2/${id}/`, () =>
        s.providers.providersOauth2Retrieve({ id: Number(id) }),
      );
      return { id, props: outputs(props, p, props.resolved) };
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} };
      throw error;
    }
  },

  async update(id: string, olds: OAuth2ProviderOutputs, news: OAuth2ProviderInputs) {
    const s = openSession(news.connection, news.tenant, news.http);
    const resolved = await resolve((this.lookups ??= new Map()), s, news);
    const secret =
      news.clientSecret !== undefined && news.clientSecret !== olds.clientSecret
        ? news.clientSecret
        : undefined;
    const p = await call(s, label(news), `PATCH /api/v3/providers/oauth2/${id}/`, () =>
      s.providers.providersOauth2PartialUpdate({
        id: Number(id),
        patchedOAuth2ProviderRequest: {
          ...providerBody(news, resolved),
          ...(secret ? { clientSecret: secret } : {}),
        },
      }),
    );
    return { outs: outputs(news, p, resolved) };
  },

  async delete(id: string, props: OAuth2ProviderOutputs) {
    const s = openSession(props.connection, props.tenant, props.http);
    try {
      await call(s, label(props), `DELETE /api/v3/providers/oauth2/${id}/`, () =>
        s.providers.providersOauth2Destroy({ id: Number(id) }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};
