/**
 * How long providers wait and how often they retry: one set of numbers, production defaults,
 * never a resource input (so never in the state). Tests and the engine suite shorten them one
 * way only: the environment variable DEZKY_PROVIDER_TIMING, a JSON object of the fields to
 * override, read at each use (so in-process tests and the dynamic-provider host, which
 * inherits the CLI's environment, see the same thing).
 */
export interface Timing {
  /** Attempts per HTTP call, the first included. */
  attempts: number;
  /** First backoff step; doubles per attempt (full jitter). */
  baseDelayMs: number;
  /** Largest single wait (also caps Retry-After). */
  maxDelayMs: number;
  /** Timeout of one HTTP attempt. */
  timeoutMs: number;
  /** Deadline of one call, retries included. */
  deadlineMs: number;
  /** First interval while polling for a state (doubles up to maxDelayMs). */
  pollIntervalMs: number;
  /** How long a readiness gate waits for its API (a first deploy pulls images, issues certificates). */
  readinessDeadlineMs: number;
  /** Interval between readiness polls. */
  readinessIntervalMs: number;
  /** How long Stalwart's certificate file may take to appear on the host. */
  certificateReadyMs: number;
  /** How long Robot may take to apply a firewall change ("in process"). */
  robotApplyMs: number;
  /** Poll interval while Robot applies a firewall change. */
  robotPollMs: number;
  /** First wait after Robot's RATE_LIMIT_EXCEEDED; doubles up to 60 s. */
  rateLimitDelayMs: number;
  /** How long to keep waiting out Robot's rate limit. */
  rateLimitDeadlineMs: number;
  /** Timeout of one DNS lookup (DKIM publication checks). */
  dnsTimeoutMs: number;
}

export const TIMING_ENV = "DEZKY_PROVIDER_TIMING";

export const DEFAULT_TIMING: Timing = {
  attempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  timeoutMs: 30_000,
  deadlineMs: 120_000,
  pollIntervalMs: 250,
  readinessDeadlineMs: 900_000,
  readinessIntervalMs: 10_000,
  certificateReadyMs: 180_000,
  robotApplyMs: 300_000,
  robotPollMs: 5_000,
  rateLimitDelayMs: 5_000,
  rateLimitDeadlineMs: 600_000,
  dnsTimeoutMs: 3_000,
};

/** The timing in force: defaults, overridden by DEZKY_PROVIDER_TIMING. */
export function timing(): Timing {
  const raw = process.env[TIMING_ENV];
  if (!raw) return DEFAULT_TIMING;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${TIMING_ENV} must be a JSON object of timing fields, got ${raw}`);
  }
  const result = { ...DEFAULT_TIMING };
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(key in DEFAULT_TIMING) || typeof value !== "number" || !(value >= 0)) {
      throw new Error(`${TIMING_ENV}: ${key} is not a timing field or not a number >= 0`);
    }
    result[key as keyof Timing] = value;
  }
  return result;
}

/** Short timings for tests: faults cost milliseconds, deadlines seconds. */
export const FAST_TIMING: Partial<Timing> = {
  baseDelayMs: 5,
  maxDelayMs: 2_000,
  timeoutMs: 1_500,
  deadlineMs: 15_000,
  pollIntervalMs: 20,
  readinessDeadlineMs: 5_000,
  readinessIntervalMs: 50,
  certificateReadyMs: 3_000,
  robotApplyMs: 5_000,
  robotPollMs: 10,
  rateLimitDelayMs: 10,
  rateLimitDeadlineMs: 2_000,
  dnsTimeoutMs: 500,
};
