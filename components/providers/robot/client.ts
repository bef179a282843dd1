/**
 * A small client for the Hetzner Robot webservice (https://robot-ws.your-server.de): HTTP basic
 * auth with a webservice user, form-encoded request bodies, JSON answers, errors as
 * `{"error":{"status","code","message"}}`. Retries through the shared retryingFetch.
 */
import { type ErrorContext, providerError, retryingFetch } from "../http";

/** Robot webservice endpoint and webservice user (secret input of every Robot resource). */
export interface RobotConnection {
  /** Base URL, https://robot-ws.your-server.de in production. */
  url: string;
  user: string;
  password: string;
}

export const ROBOT_URL = "https://robot-ws.your-server.de";
export const ROBOT_CREDENTIAL_KEYS = "dezky:robotUser / dezky:robotPassword";

export interface RobotError {
  status: number;
  code?: string;
  message?: string;
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

/** Options for tests: fewer, faster retries. */
export interface RobotCallOptions {
  retry?: Parameters<typeof retryingFetch>[0];
}

/** One call. Non-2xx answers come back as `error` (the caller decides what 404/409 mean). */
export async function robotCall<T>(
  connection: RobotConnection,
  ctx: Omit<ErrorContext, "service" | "call" | "credentialKey">,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  form?: Record<string, unknown>,
  options: RobotCallOptions = {},
): Promise<RobotAnswer<T>> {
  const call = `${method} ${path}`;
  const fullCtx: ErrorContext = {
    ...ctx,
    service: "Hetzner Robot",
    call,
    credentialKey: ROBOT_CREDENTIAL_KEYS,
  };
  const auth = Buffer.from(`${connection.user}:${connection.password}`).toString("base64");
  const doFetch = retryingFetch({ ...options.retry });
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
    throw providerError(fullCtx, undefined, error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return { status: response.status, body: json as T };
  const error = (json as { error?: RobotError } | undefined)?.error ?? { status: response.status };
  if (response.status === 401 || response.status === 403) {
    throw providerError(fullCtx, response.status, error.message);
  }
  return { status: response.status, error };
}

/** Turns an unexpected error answer into the standard provider error. */
export function robotFailure(
  ctx: Omit<ErrorContext, "service" | "credentialKey">,
  answer: RobotAnswer<unknown>,
): Error {
  const base = providerError(
    { ...ctx, service: "Hetzner Robot", credentialKey: ROBOT_CREDENTIAL_KEYS },
    answer.status,
  );
  // Robot's error code (IP_NOT_FOUND, INVALID_INPUT ...) says more than the status alone.
  const code = answer.error?.code ? ` [${answer.error.code}: ${answer.error.message ?? ""}]` : "";
  base.message = `${base.message}${code}`;
  return base;
}
