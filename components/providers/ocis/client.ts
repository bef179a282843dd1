/**
 * The LibreGraph client the OCIS providers share: openapi-fetch typed by the vendored spec,
 * sending every request through the shared retrying fetch, and turning failures into
 * operator-readable errors.
 *
 * Types: `libregraph.gen.ts` is generated from `spec/v1.0.yaml` (Apache-2.0, see spec/LICENSE
 * and spec/SOURCE.md). Regenerate after replacing the spec with:
 *   npx openapi-typescript components/providers/ocis/spec/v1.0.yaml -o components/providers/ocis/libregraph.gen.ts
 *
 * Authentication: a bearer token of the platform's OCIS service identity. The platform obtains
 * it from Authentik with the client_credentials grant (service account + app password), the
 * account carrying the OCIS Space Admin role through the role claim (and Admin, which
 * `POST /graph/v1.0/groups` needs). It reaches the providers as the secret input
 * `connection.token`, or fresher through the stack config key `dezky:ocisServiceToken` that
 * `configure` reads (tokens are short-lived; the copy in the state may have expired by the time
 * a later run reads or deletes the object).
 */
import type { Client } from "openapi-fetch";
import {
  backoffMs,
  providerError,
  retryAfterMs,
  retryingFetch,
  type ErrorContext,
  type RetryOptions,
} from "../http";
import type { paths } from "./libregraph.gen";

/** Where and as whom the providers talk to OCIS. `url` is the OCIS base URL (without /graph). */
export interface OcisConnection {
  url: string;
  token: string;
}

export type GraphClient = Client<paths>;

/** The stack config key that holds the OCIS service token, named in 401/403 errors. */
export const OCIS_TOKEN_CONFIG_KEY = "dezky:ocisServiceToken";

/** A LibreGraph client that retries idempotent calls (GET, PATCH, DELETE, and invites). */
export function graphClient(connection: OcisConnection, retry: RetryOptions = {}): GraphClient {
  const createClient = require("openapi-fetch").default as typeof import("openapi-fetch").default;
  return createClient<paths>({
    baseUrl: `${connection.url.replace(/\/+$/, "")}/graph`,
    headers: { authorization: `Bearer ${connection.token}` },
    fetch: retryingFetch(retry),
  });
}

/**
 * A client that tries each request once and hands every status back: for creates, where a
 * blind retry after a lost response would create a second object. `createOnce` does the
 * retrying, looking for the object before each new attempt.
 */
export function singleShotClient(
  connection: OcisConnection,
  retry: RetryOptions = {},
): GraphClient {
  const createClient = require("openapi-fetch").default as typeof import("openapi-fetch").default;
  const timeoutMs = retry.timeoutMs ?? 30_000;
  const doFetch = retry.fetchImpl ?? fetch;
  const once = async (
    input: Parameters<typeof fetch>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await doFetch(input, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  };
  return createClient<paths>({
    baseUrl: `${connection.url.replace(/\/+$/, "")}/graph`,
    headers: { authorization: `Bearer ${connection.token}` },
    fetch: once as typeof fetch,
  });
}

/**
 * providerError as a plain Error: serialized error classes do not inherit from the host's
 * Error (no stack, `instanceof Error` false), and hosts print such objects as "[object Object]".
 */
export function ocisError(ctx: ErrorContext, status: number | undefined, detail?: string): Error {
  const error = providerError(ctx, status, detail);
  // explainStatus keeps the server's detail only for 400/422; for OCIS the detail says which
  // right is missing (403 "Forbidden" from requireAdmin) or what a 404 really means.
  const kept = status === undefined || status === 400 || status === 422 || !detail;
  const message = kept ? error.message : `${error.message} (${detail})`;
  return Object.assign(new Error(message), { name: "ProviderError", status });
}

/** The OData error message of a LibreGraph error body, when there is one. */
export function odataMessage(body: unknown): string | undefined {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (!error?.message) return undefined;
  return error.code ? `${error.code}: ${error.message}` : error.message;
}

/** Awaits an openapi-fetch call; returns data on 2xx, throws a providerError otherwise. */
export async function expectOk<T>(
  ctx: ErrorContext,
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await guard(ctx, call);
  if (!response.ok) throw ocisError(ctx, response.status, odataMessage(error));
  return data as T;
}

/** Like expectOk, but 404 yields undefined (gone, or not visible to the credential). */
export async function okOrNotFound<T>(
  ctx: ErrorContext,
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | undefined> {
  const { data, error, response } = await guard(ctx, call);
  if (response.status === 404) return undefined;
  if (!response.ok) throw ocisError(ctx, response.status, odataMessage(error));
  return data as T;
}

/** Awaits a DELETE: "deleted" on 2xx, "gone" on 404 (already done), throws otherwise. */
export async function deleteOrGone(
  ctx: ErrorContext,
  call: Promise<{ error?: unknown; response: Response }>,
): Promise<"deleted" | "gone"> {
  const { error, response } = await guard(ctx, call);
  if (response.status === 404) return "gone";
  if (!response.ok) throw ocisError(ctx, response.status, odataMessage(error));
  return "deleted";
}

/** Turns network failures and exhausted retries into a providerError for the context. */
export async function guard<R>(ctx: ErrorContext, call: Promise<R>): Promise<R> {
  try {
    return await call;
  } catch (error) {
    const status = (error as { lastStatus?: number }).lastStatus;
    // Not `instanceof Error`: serialized error classes do not inherit from the host's Error.
    const detail = (error as { message?: string } | undefined)?.message ?? String(error);
    throw ocisError(ctx, status, detail);
  }
}

// An array, not a Set: closure serialization does not carry a Set's contents.
const RETRYABLE = [408, 429, 500, 502, 503, 504];

/**
 * Creates an object without ever creating two: before each attempt `find` looks for the
 * object a previous attempt may have created (by natural key or marker); each attempt posts
 * once; 429/5xx/network failures wait (honouring Retry-After) and go round again.
 */
export async function createOnce<T>(
  ctx: ErrorContext,
  retry: RetryOptions,
  find: () => Promise<T | undefined>,
  post: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ value: T; adopted: boolean }> {
  const attempts = retry.attempts ?? 6;
  const deadline = Date.now() + (retry.deadlineMs ?? 120_000);
  const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = retry.random ?? Math.random;
  let last = "no attempt was made";
  let lastStatus: number | undefined;
  for (let attempt = 0; attempt < attempts && Date.now() < deadline; attempt++) {
    if (attempt > 0) {
      const found = await find();
      if (found !== undefined) return { value: found, adopted: true };
    }
    let wait: number | undefined;
    try {
      const { data, error, response } = await post();
      if (response.ok) return { value: data as T, adopted: false };
      if (!RETRYABLE.includes(response.status)) {
        throw ocisError(ctx, response.status, odataMessage(error));
      }
      lastStatus = response.status;
      last = `HTTP ${response.status}`;
      wait = retryAfterMs(response.headers.get("retry-after"));
    } catch (error) {
      if ((error as Error).name === "ProviderError") throw error;
      last = (error as { message?: string } | undefined)?.message ?? String(error);
    }
    const delay = Math.min(
      retry.maxDelayMs ?? 10_000,
      wait ?? backoffMs(attempt, retry.baseDelayMs ?? 200, retry.maxDelayMs ?? 10_000, random),
    );
    await sleep(delay);
  }
  throw ocisError(ctx, lastStatus, `gave up creating after retries (last: ${last})`);
}
