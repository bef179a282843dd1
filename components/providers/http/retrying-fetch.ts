/**
 * A fetch wrapper shared by every dynamic provider: retries with exponential backoff and full
 * jitter on 429, 5xx and connection errors, honours Retry-After, bounds each attempt with a
 * timeout and the whole call with a deadline. TLS verification is whatever Node does (always
 * on; extra CAs come from NODE_EXTRA_CA_CERTS), never switched off here.
 *
 * Kept dependency-free and closure-friendly: dynamic providers capture this module by value.
 */

export interface RetryOptions {
  /** Attempts in total, the first included. @default 6 */
  attempts?: number;
  /** First backoff step in ms; doubles per attempt. @default 200 */
  baseDelayMs?: number;
  /** Largest single wait in ms (also caps Retry-After). @default 10000 */
  maxDelayMs?: number;
  /** Per-attempt timeout in ms. @default 30000 */
  timeoutMs?: number;
  /** Overall deadline for all attempts in ms. @default 120000 */
  deadlineMs?: number;
  /** Which methods may be retried after a response was possibly lost. @default all */
  retryUnsafe?: boolean;
  /** Called before each retry, e.g. to log progress. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; url: string }) => void;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Injected for tests; defaults to setTimeout-based sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
}

/** Thrown when a call gave up: the last status or network error is kept for the message. */
export class RetryExhaustedError extends Error {
  constructor(
    message: string,
    readonly lastStatus?: number,
    readonly causeError?: unknown,
  ) {
    super(message);
    this.message = message; // lost otherwise under closure serialization (see ProviderError)
    this.name = "RetryExhaustedError";
  }
}

// An array, not a Set: Pulumi's closure serializer turns a captured Set into a plain object.
const RETRYABLE_STATUS = [408, 429, 500, 502, 503, 504];

/** Parses Retry-After (seconds or an HTTP date) into milliseconds; undefined when absent. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^attempt)]. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** Returns a fetch-compatible function with retries, timeouts and a deadline. */
export function retryingFetch(options: RetryOptions = {}): typeof fetch {
  const attempts = options.attempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadlineMs = options.deadlineMs ?? 120_000;
  const doFetch = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;

  const wrapped = async (
    input: Parameters<typeof fetch>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    const started = Date.now();
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    // A Request body can be read once; buffer it so every attempt sends the same bytes.
    let request: Request | undefined;
    if (typeof input !== "string" && !(input instanceof URL)) {
      const body = input.body ? await input.arrayBuffer() : undefined;
      request = input;
      init = {
        method: input.method,
        headers: input.headers,
        body,
        ...init,
      };
    }
    let lastStatus: number | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const remaining = deadlineMs - (Date.now() - started);
      if (remaining <= 0) break;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.min(timeoutMs, remaining));
      let reason: string;
      let wait: number | undefined;
      try {
        const response = await doFetch(request ? url : input, {
          ...init,
          signal: controller.signal,
        });
        if (!RETRYABLE_STATUS.includes(response.status)) return response;
        lastStatus = response.status;
        reason = `HTTP ${response.status}`;
        wait = retryAfterMs(response.headers.get("retry-after"));
        // Drain the body so the connection can be reused.
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        lastError = error;
        reason = controller.signal.aborted
          ? `timed out after ${Math.min(timeoutMs, remaining)} ms`
          : describe(error);
      } finally {
        clearTimeout(timer);
      }
      if (attempt === attempts - 1) break;
      const delay = Math.min(
        maxDelayMs,
        wait ?? backoffMs(attempt, baseDelayMs, maxDelayMs, random),
      );
      if (Date.now() - started + delay >= deadlineMs) break;
      options.onRetry?.({ attempt: attempt + 1, delayMs: delay, reason, url });
      await sleep(delay);
    }
    const elapsed = Date.now() - started;
    const what = lastStatus
      ? `last answer HTTP ${lastStatus}`
      : `last error: ${describe(lastError)}`;
    throw new RetryExhaustedError(
      `${init?.method ?? "GET"} ${url} failed after retries (${elapsed} ms; ${what})`,
      lastStatus,
      lastError,
    );
  };
  return wrapped as typeof fetch;
}
