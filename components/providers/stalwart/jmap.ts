/**
 * Minimal client for Stalwart 0.16's management API: one `POST /jmap/` with the
 * `urn:stalwart:jmap` capability and `x:` methods, over the shared retrying fetch. Turns HTTP
 * problems and method-level errors into provider errors naming tenant, object and call.
 */
import { providerError, type ErrorContext } from "../core/errors";
import { retryingFetch, RetryExhaustedError } from "../core/retry";

/**
 * Connection to a Stalwart server (the configuration of the `stalwart` or `stalwart-admin`
 * ApiConnection): Basic auth (the recovery admin `admin`, or an account `name@domain`), or a
 * Bearer API key.
 */
export interface StalwartConnection {
  /** Base URL, e.g. https://mail.dezky.eu (the client appends /jmap/). */
  url: string;
  username?: string;
  password?: string;
  token?: string;
}

/** The credential an operator must check on 401/403 for the recovery admin or an API key. */
export const STALWART_CREDENTIAL_KEY =
  "the generated Stalwart recovery admin (stalwart-admin-password)";

/** What to check on 401/403: the recovery admin, or the account that made the call. */
export function credentialName(connection: StalwartConnection): string {
  if (connection.token || !connection.username?.includes("@")) return STALWART_CREDENTIAL_KEY;
  return (
    `the Stalwart account ${connection.username} (generated password ` +
    "stalwart-provisioner-password; its role must hold the permissions in " +
    "components/providers/stalwart/permissions.ts)"
  );
}

export const JMAP_USING = ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"];

export type Invocation = [string, Record<string, unknown>, string];

/** A set error as Stalwart returns it in notCreated / notUpdated / notDestroyed. */
export interface SetError {
  type: string;
  description?: string;
  properties?: string[];
  objectId?: { object: string; id: string };
  linkedObjects?: Array<{ object: string; id: string }>;
  validationErrors?: Array<{ type: string; property: string }>;
}

export interface CallContext {
  tenant?: string;
  /** e.g. `mail domain "acme.eu"`. */
  object: string;
  /** Named on 401/403 in set errors (jmapCall names the connection's own credential). */
  credential?: string;
}

function authorization(connection: StalwartConnection): string {
  if (connection.token) return `Bearer ${connection.token}`;
  if (connection.username && connection.password !== undefined) {
    const raw = `${connection.username}:${connection.password}`;
    return `Basic ${Buffer.from(raw, "utf8").toString("base64")}`;
  }
  throw new Error(
    `Stalwart connection needs {url, username, password} or {url, token}; check ${STALWART_CREDENTIAL_KEY}`,
  );
}

/** Describes a set error for a message: type, description, properties, linked objects. */
export function describeSetError(error: SetError): string {
  const parts = [error.type];
  if (error.description) parts.push(error.description);
  if (error.properties?.length) parts.push(`field(s): ${error.properties.join(", ")}`);
  if (error.validationErrors?.length) {
    parts.push(error.validationErrors.map((v) => `${v.property}: ${v.type}`).join(", "));
  }
  if (error.linkedObjects?.length) {
    parts.push(`linked: ${error.linkedObjects.map((o) => `${o.object} ${o.id}`).join(", ")}`);
  }
  return parts.join("; ");
}

/**
 * Sends one JMAP request and returns the method responses by call id. Method-level errors
 * (`["error", {...}, id]`) throw, except `notFound` style results which live inside /set.
 */
export async function jmapCall(
  connection: StalwartConnection,
  calls: Invocation[],
  ctx: CallContext,
): Promise<Map<string, Record<string, unknown>>> {
  const methods = calls.map((c) => c[0]).join(", ");
  const errorCtx: ErrorContext = {
    service: "Stalwart",
    tenant: ctx.tenant,
    object: ctx.object,
    call: `POST /jmap/ ${methods}`,
    credential: credentialName(connection),
  };
  const fetchWithRetry = retryingFetch();
  const url = `${connection.url.replace(/\/+$/, "")}/jmap/`;
  let response: Response;
  try {
    response = await fetchWithRetry(url, {
      method: "POST",
      headers: {
        authorization: authorization(connection),
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ using: JMAP_USING, methodCalls: calls }),
    });
  } catch (error) {
    const detail = error instanceof RetryExhaustedError ? error.message : String(error);
    throw providerError(
      errorCtx,
      undefined,
      `failed: ${detail}; is Stalwart reachable at ${connection.url}?`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 300);
    try {
      const problem = JSON.parse(text) as { title?: string; detail?: string; type?: string };
      detail = [problem.type, problem.title, problem.detail].filter(Boolean).join(": ");
    } catch {
      // not problem+json; keep the raw text
    }
    throw providerError(errorCtx, response.status, detail);
  }
  const body = JSON.parse(text) as { methodResponses?: Invocation[] };
  const results = new Map<string, Record<string, unknown>>();
  for (const [name, args, id] of body.methodResponses ?? []) {
    if (name === "error") {
      const type = String(args.type);
      const status = type === "forbidden" ? 403 : type === "serverUnavailable" ? 503 : undefined;
      throw providerError(
        { ...errorCtx, call: `POST /jmap/ ${calls.find((c) => c[2] === id)?.[0] ?? methods}` },
        status,
        `method error ${type}${args.description ? `: ${String(args.description)}` : ""}`,
      );
    }
    results.set(id, args);
  }
  return results;
}

/** Throws a provider error for a set error, naming the rejected field on validation errors. */
export function setErrorToProviderError(
  ctx: CallContext,
  method: string,
  error: SetError,
  advice?: string,
): Error {
  const status = ["invalidPatch", "invalidProperties", "validationFailed"].includes(error.type)
    ? 400
    : error.type === "forbidden"
      ? 403
      : error.type === "notFound"
        ? 404
        : undefined;
  const detail = describeSetError(error) + (advice ? `; ${advice}` : "");
  return providerError(
    {
      service: "Stalwart",
      tenant: ctx.tenant,
      object: ctx.object,
      call: `POST /jmap/ ${method}`,
      credential: ctx.credential ?? STALWART_CREDENTIAL_KEY,
    },
    status,
    detail,
  );
}
