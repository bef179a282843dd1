/**
 * The Robot providers for the tests, routed (components/providers/test-kit.ts `routed`): the
 * tests' inputs carry the webservice user as `connection` and their timing as `http` and
 * `pollMs`, as older providers took them; the providers get the connection as the host
 * configures it and the timing through DEZKY_PROVIDER_TIMING.
 */
import { routed, useFastTiming } from "../../../components/providers/test-kit";
import type { Timing } from "../../../components/providers/core/timing";

useFastTiming();

/* eslint-disable @typescript-eslint/no-explicit-any */
function timing(t: Record<string, any> | undefined): Partial<Timing> | undefined {
  if (!t) return undefined;
  const pick = (from: string, to: keyof Timing) => (t[from] !== undefined ? { [to]: t[from] } : {});
  return {
    ...pick("timeoutMs", "timeoutMs"),
    ...pick("deadlineMs", "deadlineMs"),
    ...pick("baseDelayMs", "baseDelayMs"),
    ...pick("maxDelayMs", "maxDelayMs"),
    ...pick("rateLimitDelayMs", "rateLimitDelayMs"),
    ...pick("rateLimitDeadlineMs", "rateLimitDeadlineMs"),
    ...pick("pollMs", "robotPollMs"),
  };
}

export function robotProviders() {
  return {
    rdnsProvider: routed("robot:Rdns", { timing }),
    firewallProvider: routed("robot:Firewall", { timing }),
  };
}
