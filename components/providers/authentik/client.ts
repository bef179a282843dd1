/**
 * One Authentik API session per provider operation: the official client on the shared
 * retrying fetch, a note of whether any request was retried (a retried POST may have been
 * applied twice), and error translation into messages naming tenant, object, call and the
 * operator's next step.
 */
import * as ak from "@goauthentik/api";
import { ProviderError, providerError } from "../core/errors";
import { RetryExhaustedError, retryingFetch } from "../core/retry";
import type { AuthentikConnection } from "./connection";
import { CREDENTIAL_HINT, PERMISSION_HINT } from "./names";

export interface Session {
  core: ak.CoreApi;
  providers: ak.ProvidersApi;
  policies: ak.PoliciesApi;
  flows: ak.FlowsApi;
  crypto: ak.CryptoApi;
  mappings: ak.PropertymappingsApi;
  tenant: string;
  /** Set when any request of this session was retried; reset it before a non-idempotent POST. */
  retried: boolean;
}

export function baseUrl(connection: AuthentikConnection): string {
  return connection.url.replace(/\/+$/, "");
}

export function openSession(connection: AuthentikConnection, tenant: string): Session {
  const session = { tenant, retried: false } as Session;
  const config = new ak.Configuration({
    basePath: `${baseUrl(connection)}/api/v3`,
    accessToken: connection.token,
    fetchApi: retryingFetch({
      onRetry: () => {
        session.retried = true;
      },
    }),
  });
  session.core = new ak.CoreApi(config);
  session.providers = new ak.ProvidersApi(config);
  session.policies = new ak.PoliciesApi(config);
  session.flows = new ak.FlowsApi(config);
  session.crypto = new ak.CryptoApi(config);
  session.mappings = new ak.PropertymappingsApi(config);
  return session;
}

/** DRF's PermissionDenied default detail (rest_framework/exceptions.py). */
export const PERMISSION_DENIED = "You do not have permission to perform this action.";

/** A failed call, with the HTTP status and the server's field errors when there were any. */
export class AuthentikCallError extends ProviderError {
  readonly fields: Record<string, unknown>;
  constructor(message: string, status: number | undefined, fields: Record<string, unknown> = {}) {
    super(message, status);
    this.name = "AuthentikCallError";
    this.fields = fields;
  }
}

async function bodyOf(response: Response): Promise<Record<string, unknown>> {
  try {
    const parsed = (await response.clone().json()) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `field: msg; other: msg` from a DRF validation body. */
export function describeFields(body: Record<string, unknown>): string {
  return Object.entries(body)
    .filter(([k]) => k !== "code")
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(" ") : String(v)}`)
    .join("; ");
}

/** Runs one API call; any failure becomes an AuthentikCallError that says what to do. */
export async function call<T>(
  session: Session,
  object: string,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw await translate(session, object, what, error);
  }
}

async function translate(
  session: Session,
  object: string,
  what: string,
  error: unknown,
): Promise<Error> {
  const ctx = {
    service: "Authentik",
    tenant: session.tenant,
    object,
    call: what,
    credential: CREDENTIAL_HINT,
  };
  if (error instanceof ak.ResponseError) {
    const status = error.response.status;
    const body = await bodyOf(error.response);
    const detail =
      typeof body.detail === "string" ? body.detail : describeFields(body) || undefined;
    const base = providerError(ctx, status, detail);
    // authentik answers 403 both for a bad token (authentik/api/authentication.py) and for a
    // missing permission (DRF PermissionDenied from ObjectPermissions/ObjectFilter).
    const said = detail ? ` (server said: ${detail})` : "";
    const denied = status === 403 && detail === PERMISSION_DENIED;
    const hint = denied
      ? `; ${PERMISSION_HINT}${said}`
      : status === 401 || status === 403
        ? `; the token is ${CREDENTIAL_HINT}${said}`
        : "";
    return new AuthentikCallError(base.message + hint, status, body);
  }
  const cause = error instanceof ak.FetchError ? error.cause : error;
  if (cause instanceof RetryExhaustedError) {
    const base = providerError(ctx, cause.lastStatus, cause.message);
    return new AuthentikCallError(base.message, cause.lastStatus);
  }
  if (cause instanceof ProviderError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new AuthentikCallError(providerError(ctx, undefined, message).message, undefined);
}

/** True for a 400 whose body names one of `fields` (e.g. a uniqueness clash on `name`). */
export function isFieldConflict(error: unknown, fields: string[]): boolean {
  return (
    error instanceof AuthentikCallError &&
    error.status === 400 &&
    fields.some((f) => f in error.fields)
  );
}

/** True for a 404 (the object is gone). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ProviderError && error.status === 404;
}

interface Page<T> {
  pagination: { next: number };
  results: T[];
}

/** Follows `pagination.next` until the last page (Authentik's next is 0 at the end). */
export async function listAll<T>(fetchPage: (page: number) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1, guard = 0; page && guard < 1000; guard++) {
    const result = await fetchPage(page);
    all.push(...result.results);
    page = result.pagination.next;
  }
  return all;
}
