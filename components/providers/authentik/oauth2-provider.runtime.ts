/**
 * A tenant's OAuth2/OIDC provider in Authentik: a confidential client with a stable client id
 * (`dezky-<tenant>`) and a secret client secret. Flows, the signing key and scope mappings are
 * referenced by UUID; they are looked up by slug/name once per run (the run's cache) however
 * many tenants are deployed. The client secret doubles as the proof of ownership after a lost
 * response: the object found by client id carries the secret this create sent, which nobody
 * else knows. The id is the provider's integer pk (as a string).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Op, TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { slugField } from "../core/schema";
import { call, isFieldConflict, isNotFound, openSession, type Session } from "./client";
import type { AuthentikConnection } from "./connection";
import { flowPk, scopeMappingPks, signingKeyPk } from "./lookups";
import {
  clientId,
  DEFAULT_AUTHORIZATION_FLOW,
  DEFAULT_GRANT_TYPES,
  DEFAULT_INVALIDATION_FLOW,
  DEFAULT_SCOPES,
  DEFAULT_SIGNING_KEY,
  oauth2ProviderName,
  redirectUris,
  sameSet,
} from "./names";

const schema = z.object({
  tenant: slugField("tenant"),
  /** Login callback URLs (strict match). */
  redirectUris: z.array(z.string().min(1)).min(1, "at least one login callback URL is required"),
  /** Post-logout redirect URLs. */
  logoutRedirectUris: z.array(z.string().min(1)).default([]),
  grantTypes: z
    .array(z.enum(["authorization_code", "refresh_token"]))
    .min(1, "must not be empty (an empty list breaks logins on Authentik 2026.5+)")
    .optional(),
  scopes: z
    .array(z.string().min(1))
    .refine((s) => s.includes("groups"), {
      message: 'must include "groups" (the portal and OCIS read the groups claim)',
    })
    .optional(),
  authorizationFlowSlug: z.string().min(1).optional(),
  invalidationFlowSlug: z.string().min(1).optional(),
  signingKeyName: z.string().min(1).optional(),
  /** Client secret to set (e.g. from random.RandomPassword); generated when omitted. */
  clientSecret: z.string().min(1).optional(),
  adopt: z.boolean().optional(),
});

export type OAuth2ProviderInputs = z.infer<typeof schema>;
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

async function resolve(op: Op<AuthentikConnection>, s: Session, inputs: OAuth2ProviderInputs) {
  const cache = op.cache;
  const url = op.connection.url.replace(/\/+$/, "");
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
  return changes;
}

export const oauth2ProviderType: TypeSpec<
  OAuth2ProviderInputs,
  OAuth2ProviderOutputs,
  AuthentikConnection
> = {
  type: "authentik:OAuth2Provider",
  service: "authentik",
  schema,
  updates: [],
  pending: (olds, news) => diffOAuth2(olds, news),
  deleteBeforeReplace: true,

  async create(op, inputs) {
    const s = openSession(op.connection, inputs.tenant);
    const resolved = await resolve(op, s, inputs);
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
        throw objectError(
          {
            service: "Authentik",
            tenant: inputs.tenant,
            object: `${label(inputs)} (client id ${body.clientId})`,
          },
          "already exists and was not created by this run",
          "delete it, or set adopt: true to take it over (its client secret is kept unless clientSecret is set)",
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

  async read(op, id, props) {
    const s = openSession(op.connection, props.tenant);
    try {
      const p = await call(s, label(props), `GET /api/v3/providers/oauth2/${id}/`, () =>
        s.providers.providersOauth2Retrieve({ id: Number(id) }),
      );
      return outputs(props, p, props.resolved);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async update(op, id, olds, news) {
    const s = openSession(op.connection, news.tenant);
    const resolved = await resolve(op, s, news);
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
    return outputs(news, p, resolved);
  },

  async delete(op, id, props) {
    const s = openSession(op.connection, props.tenant);
    try {
      await call(s, label(props), `DELETE /api/v3/providers/oauth2/${id}/`, () =>
        s.providers.providersOauth2Destroy({ id: Number(id) }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};
