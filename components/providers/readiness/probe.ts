/**
 * Polls an API's health endpoint until it answers as expected or the deadline passes
 * (core/retry.ts `poll`, timing from core/timing.ts). For OCIS it first mints the provisioning
 * identity's bearer (ocis/auth.ts) and probes with it, so a ready answer also proves the
 * identity works, and checks the identity's system role. Pure HTTP, no Pulumi: tested on
 * loopback.
 */
import { describeError } from "../core/errors";
import { poll, PollTimeout, retryingFetch } from "../core/retry";
import { timing } from "../core/timing";
import { mintToken, type ClientCredentials } from "../ocis/auth";

export type { ClientCredentials };

export interface ProbeSpec {
  /** Service name for messages, e.g. "Authentik". */
  service: string;
  /** The health URL polled. */
  url: string;
  /** Status codes meaning "ready". */
  acceptStatus: number[];
  /** When set, probe with a bearer minted from these credentials. */
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
}

/** Injected by unit tests of the loop (the deadline and interval come from the timing). */
export interface ProbeDeps {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** A failure in words, including the cause a fetch error carries. */
function describeFailure(error: unknown): string {
  const e = error as { lastStatus?: number; causeError?: unknown; cause?: unknown };
  const inner = (e?.causeError ?? e?.cause) as
    { message?: string; code?: string; cause?: { code?: string } } | undefined;
  const parts = [
    describeError(error),
    e?.lastStatus ? `HTTP ${e.lastStatus}` : undefined,
    inner?.message,
    inner?.code ?? inner?.cause?.code,
  ].filter((p): p is string => Boolean(p));
  return parts.join("; ");
}

class WrongRole extends Error {}

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
  throw new WrongRole(
    `${spec.service}: the identity "${me.onPremisesSamAccountName ?? me.id}" has role ` +
      `${held.join(", ") || "none"}, but needs ${role.roleName} (${role.roleId}). ${role.hint}`,
  );
}

/** Polls until ready; throws a message naming the service, URL, last answer and next step. */
export async function waitUntilReady(spec: ProbeSpec, deps: ProbeDeps = {}): Promise<ProbeResult> {
  const t = timing();
  // One attempt per poll: the poll is the retry; the shared client bounds each attempt.
  const doFetch = retryingFetch({ attempts: 1 });
  try {
    const { value, attempts, elapsedMs } = await poll(
      {
        deadlineMs: t.readinessDeadlineMs,
        intervalMs: t.readinessIntervalMs,
        sleep: deps.sleep,
        now: deps.now,
      },
      async () => {
        try {
          const token = spec.credentials ? await mintToken(spec.credentials, doFetch) : undefined;
          const response = await doFetch(spec.url, {
            headers: token ? { authorization: `Bearer ${token}` } : {},
          });
          const text = await response.text().catch(() => "");
          if (!spec.acceptStatus.includes(response.status)) {
            return { done: false, reason: `HTTP ${response.status}` };
          }
          if (spec.requireRole) await checkRole(spec, spec.requireRole, text, token, doFetch);
          return { done: true, value: response.status };
        } catch (error) {
          if (error instanceof WrongRole) throw error;
          return { done: false, reason: describeFailure(error) };
        }
      },
    );
    return { status: value, attempts, elapsedMs };
  } catch (error) {
    if (!(error instanceof PollTimeout)) throw error;
    throw new Error(
      `${spec.service} is not ready: ${spec.url} did not answer ${spec.acceptStatus.join("/")} within ` +
        `${Math.round(t.readinessDeadlineMs / 1000)} s (${error.attempts} attempts; last: ${error.last}). Check the ` +
        `${spec.service} pods (kubectl get pods -A) or service logs, DNS and the TLS certificate, then run pulumi up again.`,
    );
  }
}
