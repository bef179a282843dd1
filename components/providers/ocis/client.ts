/**
 * The LibreGraph client the OCIS providers share: openapi-fetch typed by the vendored spec,
 * every request through the shared retrying fetch with the provisioning identity's bearer
 * (auth.ts), failures turned into operator-readable errors.
 *
 * Types: `libregraph.gen.ts` is generated from `spec/v1.0.yaml` (Apache-2.0, see spec/LICENSE
 * and spec/SOURCE.md). Regenerate after replacing the spec with:
 *   npx openapi-typescript components/providers/ocis/spec/v1.0.yaml -o components/providers/ocis/libregraph.gen.ts
 */
import createClient, { type Client } from "openapi-fetch";
import { providerError, type ErrorContext } from "../core/errors";
import { createOnce, fetchOnce } from "../core/retry";
import { bearerFetch } from "./auth";
import type { LegacyOcisConnection, OcisConnection } from "./connection";
import type { paths } from "./libregraph.gen";

export type GraphClient = Client<paths>;
export type AnyOcisConnection = OcisConnection | LegacyOcisConnection;

function base(connection: AnyOcisConnection): string {
  return `${connection.url.replace(/\/+$/, "")}/graph`;
}

/** A LibreGraph client that retries idempotent calls (GET, PATCH, DELETE, and invites). */
export function graphClient(connection: AnyOcisConnection): GraphClient {
  return createClient<paths>({ baseUrl: base(connection), fetch: bearerFetch(connection) });
}

/**
 * A client that tries each request once (a 5xx or a lost answer throws): for creates, where a
 * blind retry after a lost response would create a second object. `createObject` retries,
 * looking for the object before each new attempt.
 */
export function singleShotClient(connection: AnyOcisConnection): GraphClient {
  return createClient<paths>({
    baseUrl: base(connection),
    fetch: bearerFetch(connection, fetchOnce()),
  });
}

/** The error for a failed OCIS call; OCIS's own detail is kept (it says which right is missing). */
export function ocisError(ctx: ErrorContext, status: number | undefined, detail?: string): Error {
  const error = providerError(ctx, status, detail);
  const kept = status === undefined || status === 400 || status === 422 || !detail;
  if (kept) return error;
  return Object.assign(new Error(`${error.message} (${detail})`), {
    name: "ProviderError",
    status,
  });
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
    const status = (error as { lastStatus?: number; status?: number }).lastStatus;
    const detail = (error as { message?: string } | undefined)?.message ?? String(error);
    throw ocisError(ctx, status, detail);
  }
}

/** createOnce (core/retry.ts) over an openapi-fetch POST. */
export async function createObject<T>(
  ctx: ErrorContext,
  find: () => Promise<T | undefined>,
  post: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ value: T; adopted: boolean }> {
  return createOnce<T>(
    find,
    async () => {
      const { data, error, response } = await post();
      return {
        ok: response.ok,
        status: response.status,
        value: data,
        retryAfter: response.headers.get("retry-after"),
        detail: odataMessage(error),
      };
    },
    (status, detail) => ocisError(ctx, status, detail),
  );
}
