/**
 * The one retry and poll policy of every provider:
 * - `retryingFetch`: an HTTP call retried with exponential backoff and full jitter on 429, 5xx
 *   and connection errors, honouring Retry-After, each attempt bounded by a timeout and all of
 *   them by a deadline. TLS verification is Node's (always on; extra CAs come from
 *   NODE_EXTRA_CA_CERTS), never switched off here.
 * - `poll`: waits for a state (an API ready, a change applied, a file present) with a growing
 *   interval until a deadline.
 * - `createOnce`: a create that is never sent twice blindly: before each new attempt it looks
 *   for the object a lost answer may have created, and adopts it.
 * Timing comes from core/timing.ts; nothing here is stored in the state.
 */
import { describeError } from "./errors";
import { timing, type Timing } from "./timing";

/** Statuses worth another attempt: the request was not (or may not have been) served. */
export const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export interface FetchOptions {
  /** Attempts in total; 1 = no retry (the caller retries, e.g. createOnce). */
  attempts?: number;
  /** Called before each retry (e.g. to note that a POST may have been applied twice). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; url: string }) => void;
  /** Injected by unit tests of this module only. */
  fetchImpl?: typeof fetch;
}

/** Thrown when a call gave up: the last status or network error is kept for the message. */
export class RetryExhaustedError extends Error {
  constructor(
    message: string,
    readonly lastStatus?: number,
    readonly causeError?: unknown,
  ) {
    super(message);
    this.name = "RetryExhaustedError";
  }
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds; undefined when absent. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^attempt)]. */
export function backoffMs(attempt: number, t: Timing, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(t.maxDelayMs, t.baseDelayMs * 2 ** attempt));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fetch-compatible function with retries, timeouts and a deadline. */
export function retryingFetch(options: FetchOptions = {}): typeof fetch {
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const t = timing();
    const attempts = options.attempts ?? t.attempts;
    const doFetch = options.fetchImpl ?? fetch;
    const started = Date.now();
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    // A Request body can be read once; buffer it so every attempt sends the same bytes.
    let request: Request | undefined;
    if (typeof input !== "string" && !(input instanceof URL)) {
      const body = input.body ? await input.arrayBuffer() : undefined;
      request = input;
      init = { method: input.method, headers: input.headers, body, ...init };
    }
    let lastStatus: number | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const remaining = t.deadlineMs - (Date.now() - started);
      if (remaining <= 0) break;
      const controller = new AbortController();
      const limit = Math.min(t.timeoutMs, remaining);
      const timer = setTimeout(() => controller.abort(), limit);
      let reason: string;
      let wait: number | undefined;
      try {
        const response = await doFetch(request ? url : input, {
          ...init,
          signal: controller.signal,
        });
        if (!RETRYABLE_STATUS.has(response.status)) return response;
        lastStatus = response.status;
        reason = `HTTP ${response.status}`;
        wait = retryAfterMs(response.headers.get("retry-after"));
        // Drain the body so the connection can be reused.
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        lastError = error;
        reason = controller.signal.aborted ? `timed out after ${limit} ms` : describeError(error);
      } finally {
        clearTimeout(timer);
      }
      if (attempt === attempts - 1) break;
      const delay = Math.min(t.maxDelayMs, wait ?? backoffMs(attempt, t));
      if (Date.now() - started + delay >= t.deadlineMs) break;
      options.onRetry?.({ attempt: attempt + 1, delayMs: delay, reason, url });
      await sleep(delay);
    }
    const elapsed = Date.now() - started;
    const what = lastStatus
      ? `last answer HTTP ${lastStatus}`
      : `last error: ${describeError(lastError)}`;
    throw new RetryExhaustedError(
      `${init?.method ?? "GET"} ${url} failed after retries (${elapsed} ms; ${what})`,
      lastStatus,
      lastError,
    );
  };
  return wrapped as typeof fetch;
}

/** One try of `poll`: done with a value, or not yet with a reason (kept for the timeout message). */
export type PollResult<T> = { done: true; value: T } | { done: false; reason: string };

export interface PollOptions {
  deadlineMs: number;
  /** First interval; doubles per try up to `maxIntervalMs` (default: constant). */
  intervalMs: number;
  maxIntervalMs?: number;
  /** Injected by unit tests of pure loops. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What a poll that ran out of time reports. */
export class PollTimeout extends Error {
  constructor(
    readonly attempts: number,
    readonly last: string,
    readonly elapsedMs: number,
  ) {
    super(
      `gave up after ${attempts} attempts in ${Math.round(elapsedMs / 1000)} s (last: ${last})`,
    );
    this.name = "PollTimeout";
  }
}

/** Calls `attempt` until it is done or the deadline passes (then throws PollTimeout). */
export async function poll<T>(
  options: PollOptions,
  attempt: (n: number) => Promise<PollResult<T>>,
): Promise<{ value: T; attempts: number; elapsedMs: number }> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const started = now();
  let interval = options.intervalMs;
  let last = "no answer yet";
  for (let n = 1; ; n++) {
    const result = await attempt(n);
    if (result.done) return { value: result.value, attempts: n, elapsedMs: now() - started };
    last = result.reason;
    if (now() + interval > started + options.deadlineMs) {
      throw new PollTimeout(n, last, now() - started);
    }
    await wait(interval);
    interval = Math.min(options.maxIntervalMs ?? options.intervalMs, interval * 2);
  }
}

/** One create attempt's answer, as createOnce needs it. */
export interface Attempt<T> {
  ok: boolean;
  status: number;
  value?: T;
  retryAfter?: string | null;
  /** Why it failed, for the message (server detail). */
  detail?: string;
}

/**
 * Creates an object without ever creating two: each attempt posts once; 429/5xx/network
 * failures wait (honouring Retry-After) and, before the next attempt, `find` looks for the
 * object the previous attempt may have created (by natural key or marker). A non-retryable
 * answer is handed to `fail`, which throws the provider's error.
 */
export async function createOnce<T>(
  find: () => Promise<T | undefined>,
  post: () => Promise<Attempt<T>>,
  fail: (status: number | undefined, detail: string) => Error,
): Promise<{ value: T; adopted: boolean }> {
  const t = timing();
  const deadline = Date.now() + t.deadlineMs;
  let last = "no attempt was made";
  let lastStatus: number | undefined;
  for (let attempt = 0; attempt < t.attempts && Date.now() < deadline; attempt++) {
    if (attempt > 0) {
      const found = await find();
      if (found !== undefined) return { value: found, adopted: true };
    }
    let wait: number | undefined;
    let answer: Attempt<T> | undefined;
    try {
      answer = await post();
    } catch (error) {
      // A single attempt that met a 5xx/429 or a network error: retry after a look.
      last = describeError(error);
      lastStatus = (error as { lastStatus?: number }).lastStatus ?? lastStatus;
    }
    if (answer) {
      if (answer.ok) return { value: answer.value as T, adopted: false };
      if (!RETRYABLE_STATUS.has(answer.status)) throw fail(answer.status, answer.detail ?? "");
      lastStatus = answer.status;
      last = `HTTP ${answer.status}`;
      wait = retryAfterMs(answer.retryAfter ?? null);
    }
    await sleep(Math.min(t.maxDelayMs, wait ?? backoffMs(attempt, t)));
  }
  throw fail(lastStatus, `gave up creating after retries (last: ${last})`);
}

/**
 * A fetch that tries once, bounded by the per-attempt timeout, and hands every status back
 * (Retry-After included): the attempts of createOnce, which does the retrying.
 */
export function fetchOnce(): typeof fetch {
  const once = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timing().timeoutMs);
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  };
  return once as typeof fetch;
}
