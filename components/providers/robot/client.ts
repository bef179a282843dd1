/**
 * A small client for the Hetzner Robot webservice (https://robot-ws.your-server.de): HTTP basic
 * auth with a webservice user, form-encoded request bodies, JSON answers, errors as
 * `{"error":{"status","code","message"}}` (robot.hetzner.com/doc/webservice/en.html#errors).
 * Retries 5xx/429/resets through the shared retryingFetch, and waits out Robot's own rate limit,
 * which is a 403 with code RATE_LIMIT_EXCEEDED, not a credential problem (same page, "Request
 * limit"). A 401 is never retried: Robot blocks the caller's IP for 10 minutes after 3 failed
 * logins (same page, "Authentication error").
 */
import { type ErrorContext, ProviderError, providerError } from "../core/errors";
import { poll, PollTimeout, retryingFetch } from "../core/retry";
import { timing } from "../core/timing";

/** Robot webservice endpoint and webservice user (the `robot` ApiConnection's configuration). */
export interface RobotConnection {
  /** Base URL, https://robot-ws.your-server.de in production. */
  url: string;
  user: string;
  password: string;
}

export const ROBOT_URL = "https://robot-ws.your-server.de";
export const ROBOT_CREDENTIAL_KEYS = "dezky:robotUser / dezky:robotPassword";
export const RATE_LIMIT_CODE = "RATE_LIMIT_EXCEEDED";

/** Robot's error object; `max_request`/`interval` come with RATE_LIMIT_EXCEEDED only. */
export interface RobotError {
  status: number;
  code?: string;
  message?: string;
  missing?: string[] | null;
  invalid?: string[] | null;
  max_request?: number;
  interval?: number;
}

export interface RobotAnswer<T> {
  status: number;
  body?: T;
  error?: RobotError;
}

/** Flattens nested values into Robot's bracketed form keys, e.g. rules[input][0][name]. */
export function formEncode(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  const add = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) value.forEach((v, i) => add(`${key}[${i}]`, v));
    else if (typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(`${key}[${k}]`, v);
    } else params.append(key, String(value));
  };
  for (const [k, v] of Object.entries(fields)) add(k, v);
  return params.toString();
}

/** Wait before the next try after a rate-limit answer: doubling from the base, capped. */
export function rateLimitDelayMs(attempt: number, baseMs: number): number {
  return Math.min(60_000, baseMs * 2 ** attempt);
}

function fullContext(ctx: Omit<ErrorContext, "service" | "credential">): ErrorContext {
  return { ...ctx, service: "Hetzner Robot", credential: ROBOT_CREDENTIAL_KEYS };
}

/** The message for a rate limit that did not clear in time: it says what it is, and what to do. */
export function rateLimitFailure(
  ctx: Omit<ErrorContext, "service" | "credential">,
  error: RobotError,
  waitedMs: number,
): ProviderError {
  const who = ctx.tenant ? `tenant "${ctx.tenant}": ` : "";
  const limit =
    error.max_request !== undefined && error.interval !== undefined
      ? ` (at most ${error.max_request} requests per ${error.interval} s for this call)`
      : "";
  return new ProviderError(
    `Hetzner Robot: ${who}${ctx.object}: ${ctx.call} HTTP 403 ${RATE_LIMIT_CODE}: the webservice ` +
      `user hit Robot's request limit${limit}; still limited after waiting ${Math.round(waitedMs / 1000)} s. ` +
      "The credentials are fine: wait for the interval to pass, then run the deployment again.",
    403,
  );
}

/** One call. Non-2xx answers come back as `error` (the caller decides what 404/409 mean). */
export async function robotCall<T>(
  connection: RobotConnection,
  ctx: Omit<ErrorContext, "service" | "call" | "credential">,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  form?: Record<string, unknown>,
): Promise<RobotAnswer<T>> {
  const call = `${method} ${path}`;
  const auth = Buffer.from(`${connection.user}:${connection.password}`).toString("base64");
  const doFetch = retryingFetch();
  const t = timing();
  let limited: RobotError | undefined;
  const send = async (): Promise<RobotAnswer<T> | undefined> => {
    let response: Response;
    try {
      response = await doFetch(`${connection.url.replace(/\/$/, "")}${path}`, {
        method,
        headers: {
          authorization: `Basic ${auth}`,
          accept: "application/json",
          ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        body: form ? formEncode(form) : undefined,
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw providerError(fullContext({ ...ctx, call }), undefined, detail);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) return { status: response.status, body: json as T };
    const error = (json as { error?: RobotError } | undefined)?.error ?? {
      status: response.status,
    };
    // Refused, not executed: waiting and sending again is safe for any method.
    if (response.status === 403 && error.code === RATE_LIMIT_CODE) {
      limited = error;
      return undefined;
    }
    if (response.status === 401 || response.status === 403) {
      const lockout =
        response.status === 401
          ? "; not retried: Robot blocks the caller's IP for 10 minutes after 3 failed logins"
          : "";
      const base = providerError(fullContext({ ...ctx, call }), response.status, error.message);
      throw new ProviderError(`${base.message}${lockout}`, response.status);
    }
    return { status: response.status, error };
  };
  try {
    const { value } = await poll(
      { deadlineMs: t.rateLimitDeadlineMs, intervalMs: t.rateLimitDelayMs, maxIntervalMs: 60_000 },
      async () => {
        const answer = await send();
        return answer ? { done: true, value: answer } : { done: false, reason: RATE_LIMIT_CODE };
      },
    );
    return value;
  } catch (error) {
    if (error instanceof PollTimeout && limited) {
      throw rateLimitFailure({ ...ctx, call }, limited, error.elapsedMs);
    }
    throw error;
  }
}

/** Turns an unexpected error answer into the standard provider error. */
export function robotFailure(
  ctx: Omit<ErrorContext, "service" | "credential">,
  answer: RobotAnswer<unknown>,
): Error {
  const base = providerError(fullContext(ctx), answer.status);
  // Robot's error code (IP_NOT_FOUND, INVALID_INPUT ...) says more than the status alone.
  const e = answer.error;
  const code = e?.code ? ` [${e.code}: ${e.message ?? ""}]` : "";
  const fields = [
    e?.missing?.length ? `missing: ${e.missing.join(", ")}` : "",
    e?.invalid?.length ? `invalid: ${e.invalid.join(", ")}` : "",
  ].filter(Boolean);
  return new ProviderError(
    `${base.message}${code}${fields.length ? ` (${fields.join("; ")})` : ""}`,
    base.status,
  );
}
