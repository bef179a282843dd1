/**
 * One status line for long commands on a terminal: what runs, how many resources the program
 * registered, how many stacks are done, time so far. Rewritten in place on stderr, at most
 * every 100 ms, and cleared before the result prints. Silent when stderr is not a terminal
 * (CI logs, pipes), when CI is set, and with `--format json`: nothing to strip from logs.
 */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressState {
  label: string;
  phase: string;
  resources: number;
  done?: number;
  total?: number;
  elapsedMs: number;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  env?: Record<string, string | undefined>;
  /** The command's output format; "json" keeps it silent. */
  format?: string;
  now?: () => number;
  intervalMs?: number;
}

/** Erase the line and return to its start (ANSI: CR, then erase in line). */
const CLEAR = "\r\x1b[2K";

/** Should a progress line show? Only on a terminal, outside CI, for human formats. */
export function progressEnabled(
  stream: ProgressStream,
  env: Record<string, string | undefined>,
  format?: string,
): boolean {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  return stream.isTTY === true && !ci && format !== "json" && env.DEZKY_PROGRESS !== "0";
}

function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(0)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
}

/** The status line for a state, cut to the terminal's width. */
export function renderProgressLine(s: ProgressState, columns = 80): string {
  const parts = [
    `${s.label}: ${s.phase}`,
    s.resources > 0 ? `${s.resources} resources registered` : "",
    s.total !== undefined ? `${s.done ?? 0}/${s.total} stacks done` : "",
    seconds(s.elapsedMs),
  ].filter(Boolean);
  const line = parts.join(" · ");
  const width = Math.max(20, columns - 1);
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export interface Progress {
  readonly enabled: boolean;
  phase(text: string): void;
  /** One more resource registered. */
  resource(): void;
  /** Stacks done so far out of total. */
  stacks(done: number, total: number): void;
  /** Clears the line; call before printing the result. */
  end(): void;
}

export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = progressEnabled(stream, options.env ?? process.env, options.format);
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  const started = now();
  const state: ProgressState = { label, phase: "starting", resources: 0, elapsedMs: 0 };
  let lastDraw = -Infinity;
  let shown = false;

  const draw = (force: boolean) => {
    if (!enabled) return;
    const t = now();
    if (!force && t - lastDraw < interval) return;
    lastDraw = t;
    state.elapsedMs = t - started;
    stream.write(`${CLEAR}${renderProgressLine(state, stream.columns || 80)}`);
    shown = true;
  };

  return {
    enabled,
    phase(text) {
      state.phase = text;
      draw(true);
    },
    resource() {
      state.resources += 1;
      draw(false);
    },
    stacks(done, total) {
      state.done = done;
      state.total = total;
      draw(true);
    },
    end() {
      if (enabled && shown) stream.write(CLEAR);
      shown = false;
    },
  };
}
