/**
 * Polls an API's health endpoint until it answers as expected or a deadline passes. Optionally
 * first mints an OAuth2 client-credentials token (Authentik) and probes with it, so a ready
 * answer also proves the service identity works. Pure HTTP, no Pulumi: tested on loopback.
 */
import { retryingFetch } from "../http";

export interface ClientCredentials {
  /** Token endpoint, e.g. https://auth.dezky.eu/application/o/token/. */
  tokenUrl: string;
  clientId: string;
  username: string;
  /** Authentik app password of the service account. */
  password: string;
  scope: string;
}

export interface ProbeSpec {
  /** Service name for messages, e.g. "Authentik". */
  service: string;
  /** The health URL polled. */
  url: string;
  /** Status codes meaning "ready". */
  acceptStatus: number[];
  /** Give up after this many seconds. */
  deadlineSeconds: number;
  /** Wait between polls. */
  intervalSeconds: number;
  /** When set, probe with a bearer minted from these credentials and return it. */
  credentials?: ClientCredentials;
  /**
   * OCIS only: once `url` (…/graph/v1.0/me) answers, the minted identity must hold this system
   * role. Checked with GET …/graph/v1.0/users/{id}?$expand=appRoleAssignments; a wrong role
   * fails at once (it will not fix itself) with `hint` as the next step.
   */
  requireRole?: { roleId: string; roleName: string; hint: string };
}

export interface ProbeResult {
  status: number;
  attempts: number;
  elapsedMs: number;
  token?: string;
}

export interface ProbeDeps {
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

async function mintToken(c: ClientCredentials, doFetch: typeof fetch): Promise<string> {
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
  if (!response.ok) throw new Error(`token endpoint answered HTTP ${response.status}`);
  const json = (await response.json()) as { access_token?: string };
  if (!json.access_token) throw new Error("token endpoint answered without access_token");
  return json.access_token;
}

/** A failure in words; survives closure serialization, which can drop Error subclass messages. */
function describeFailure(error: unknown): string {
  const e = error as {
    message?: string;
    lastStatus?: number;
    causeError?: unknown;
    cause?: unknown;
  };
  const inner = (e?.causeError ?? e?.cause) as
    { message?: string; code?: string; cause?: { code?: string } } | undefined;
  const parts = [
    e?.message,
    e?.lastStatus ? `HTTP ${e.lastStatus}` : undefined,
    inner?.message,
    inner?.code ?? inner?.cause?.code,
  ].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join("; ") : String(error);
}

/** The role check of `requireRole`: a wrong role is a permanent error (no more polling). */
async function checkRole(
  spec: ProbeSpec,
  role: NonNullable<ProbeSpec["requireRole"]>,
  meBody: string,
  token: string | undefined,
  doFetch: typeof fetch,
): Promise<void> {
  const me = JSON.parse(meBody || "{}") as { id?: string; onPremisesSamAccountName?: string };
  const url = spec.url.replace(/\/me\/?$/, `/users/${encodeURIComponent(me.id ?? "")}`);
  const response = await doFetch(`${url}?$expand=appRoleAssignments`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new Error(`role lookup ${url} answered HTTP ${response.status}`);
  const user = (await response.json()) as { appRoleAssignments?: { appRoleId?: string }[] };
  const held = (user.appRoleAssignments ?? []).map((a) => a.appRoleId ?? "?");
  if (held.includes(role.roleId)) return;
  throw Object.assign(
    new Error(
      `${spec.service}: the identity "${me.onPremisesSamAccountName ?? me.id}" has role ` +
        `${held.join(", ") || "none"}, but needs ${role.roleName} (${role.roleId}). ${role.hint}`,
    ),
    { permanent: true },
  );
}

/** Polls until ready; throws a message naming the service, URL, last answer and next step. */
export async function waitUntilReady(spec: ProbeSpec, deps: ProbeDeps = {}): Promise<ProbeResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const deadline = started + spec.deadlineSeconds * 1000;
  // One attempt per poll: this loop is the retry, the shared client bounds each attempt.
  const doFetch = retryingFetch({
    attempts: 1,
    timeoutMs: Math.min(10_000, spec.deadlineSeconds * 1000),
    fetchImpl: deps.fetchImpl,
  });
  let attempts = 0;
  let last = "no answer yet";
  for (;;) {
    attempts++;
    try {
      const token = spec.credentials ? await mintToken(spec.credentials, doFetch) : undefined;
      const response = await doFetch(spec.url, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const text = await response.text().catch(() => "");
      if (spec.acceptStatus.includes(response.status)) {
        if (spec.requireRole) await checkRole(spec, spec.requireRole, text, token, doFetch);
        return { status: response.status, attempts, elapsedMs: now() - started, token };
      }
      last = `HTTP ${response.status}`;
    } catch (error) {
      if ((error as { permanent?: boolean }).permanent) throw error;
      last = describeFailure(error);
    }
    if (now() + spec.intervalSeconds * 1000 > deadline) break;
    await sleep(spec.intervalSeconds * 1000);
  }
  throw new Error(
    `${spec.service} is not ready: ${spec.url} did not answer ${spec.acceptStatus.join("/")} within ` +
      `${spec.deadlineSeconds} s (${attempts} attempts; last: ${last}). Check the ${spec.service} ` +
      `pods (kubectl get pods -A) or service logs, DNS and the TLS certificate, then run pulumi up again.`,
  );
}
