/**
 * Shared set-up for the Stalwart provider tests (test-only; not exported from index.ts). The
 * tests were written when each object carried its connection and timeouts as inputs; `routed`
 * keeps them readable that way: it takes `connection` and `timeouts` off every call, runs the
 * provider instance configured with that connection (as the host configures one from the
 * ApiConnection), with that timing (DEZKY_PROVIDER_TIMING), and puts the connection back on
 * what it returns. The provider itself never sees either.
 */
import { routed as route, useFastTiming } from "../test-kit";
import type { Timing } from "../core/timing";
import type { MailDomainInputs, MailDomainOutputs } from "./mail-domain.runtime";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = Record<string, any>;

/** Timeouts small enough that fault tests finish quickly (older names, see `timingOf`). */
export const FAST = { requestMs: 400, deadlineMs: 8000, pollIntervalMs: 50 };

useFastTiming({ timeoutMs: FAST.requestMs, deadlineMs: FAST.deadlineMs, pollIntervalMs: 50 });

function timingOf(t: Loose | undefined): Partial<Timing> | undefined {
  if (!t) return undefined;
  return {
    ...(t.requestMs !== undefined ? { timeoutMs: t.requestMs } : {}),
    ...(t.deadlineMs !== undefined ? { deadlineMs: t.deadlineMs } : {}),
    ...(t.pollIntervalMs !== undefined ? { pollIntervalMs: t.pollIntervalMs } : {}),
    ...(t.certificateReadyMs !== undefined ? { certificateReadyMs: t.certificateReadyMs } : {}),
  };
}

/** The provider of `type`, called with props that carry their connection and timeouts. */
export function routed(type: string) {
  return route(type, { timing: timingOf });
}

/** The mail domain provider, routed. */
export const provider = routed("stalwart:MailDomain");

export async function checked(raw: Record<string, unknown>): Promise<MailDomainInputs & Loose> {
  const { inputs, failures } = await provider.check({}, raw);
  if (failures?.length) throw new Error(JSON.stringify(failures));
  return inputs as MailDomainInputs;
}

export async function createDomain(
  raw: Record<string, unknown>,
): Promise<{ id: string; outs: MailDomainOutputs & Loose }> {
  const result = await provider.create(await checked(raw));
  return { id: result.id, outs: result.outs as MailDomainOutputs };
}
