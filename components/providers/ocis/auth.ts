/**
 * The OCIS bearer: minted at Authentik's token endpoint with the client_credentials grant
 * (service account + app password, as OCIS's own clients do), once per process and
 * credential, and again when OCIS answers 401 (the token lived its hour). Every OCIS request
 * goes through `bearerFetch`, on the shared retrying fetch.
 */
import { createHash } from "node:crypto";
import { retryingFetch } from "../core/retry";
import { OCIS_CREDENTIAL, type LegacyOcisConnection, type OcisConnection } from "./connection";

/** Client credentials as the token endpoint takes them. */
export type ClientCredentials = Omit<OcisConnection, "url">;

/** Mints a bearer; throws with the endpoint's answer (never the password) on failure. */
export async function mintToken(c: ClientCredentials, doFetch: typeof fetch): Promise<string> {
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: c.clientId,
    username: c.username,
    password: c.password,
    scope: c.scope,
  });
  const response = await doFetch(c.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    const error = /"error"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    throw Object.assign(
      new Error(
        `token endpoint ${c.tokenUrl} answered HTTP ${response.status}${error ? ` (${error})` : ""}` +
          ` to the client credentials of ${OCIS_CREDENTIAL}`,
      ),
      { status: response.status },
    );
  }
  const json = (await response.json()) as { access_token?: string };
  if (!json.access_token)
    throw new Error(`token endpoint ${c.tokenUrl} answered without access_token`);
  return json.access_token;
}

// One bearer per credential per process, shared by every OCIS resource type.
const bearers = new Map<string, Promise<string>>();

function keyOf(c: ClientCredentials): string {
  return createHash("sha256")
    .update(JSON.stringify([c.tokenUrl, c.clientId, c.username, c.password]))
    .digest("hex");
}

function isLegacy(c: OcisConnection | LegacyOcisConnection): c is LegacyOcisConnection {
  return "token" in c && typeof c.token === "string" && !("password" in c && c.password);
}

/** The bearer for a connection: minted (or reused); `fresh` drops a rejected one first. */
export function bearer(c: OcisConnection | LegacyOcisConnection, fresh = false): Promise<string> {
  if (isLegacy(c)) return Promise.resolve(c.token);
  const key = keyOf(c);
  if (fresh) bearers.delete(key);
  let token = bearers.get(key);
  if (!token) {
    token = mintToken(c, retryingFetch());
    bearers.set(key, token);
    token.catch(() => bearers.delete(key));
  }
  return token;
}

/** Forgets minted bearers (a new run). */
export function forgetBearers(): void {
  bearers.clear();
}

/** A fetch that sends the bearer and, on 401, mints a new one and tries once more. */
export function bearerFetch(
  c: OcisConnection | LegacyOcisConnection,
  base: typeof fetch = retryingFetch(),
): typeof fetch {
  const send = async (request: Request, token: string) => {
    const headers = new Headers(request.headers);
    headers.set("authorization", `Bearer ${token}`);
    return base(new Request(request, { headers }));
  };
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const request = new Request(input, init);
    const retry = request.clone();
    const response = await send(request, await bearer(c));
    if (response.status !== 401 || isLegacy(c)) return response;
    await response.arrayBuffer().catch(() => undefined);
    return send(retry, await bearer(c, true));
  };
  return wrapped as typeof fetch;
}
