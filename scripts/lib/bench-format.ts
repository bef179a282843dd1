/**
 * Pure arithmetic and text of the benchmark: ratios, per-resource and per-tenant figures, the
 * tables npm run bench prints (also pasted into the README).
 */

/** One measured child process. */
export interface RunMeasure {
  /** Resources registered with the (mock) engine, components included. */
  resources: number;
  /** Wall time of the measured work (tenant loading + program, or the replay), ms. */
  wallMs: number;
  /** Peak resident set size of the child process, bytes. */
  maxRssBytes: number;
  /** JSON bytes of every resource's inputs and outputs (recording runs only). */
  stateBytes?: number;
}

/** Program and floor for one tenant count. */
export interface SizeResult {
  tenants: number;
  program: RunMeasure;
  floor: RunMeasure;
  /** JSON bytes of the state the program's resources would leave (from the recording run). */
  stateBytes?: number;
}

/** a / b; NaN when b is 0 so a missing floor never reads as a good ratio. */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

export function timePerResourceMs(m: RunMeasure): number {
  return ratio(m.wallMs, m.resources);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "-";
  const mib = bytes / (1024 * 1024);
  if (mib < 1) return `${(bytes / 1024).toFixed(0)} KiB`;
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(0)} MiB`;
}

export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}x` : "-";
}

/** A plain-text table with right-aligned numeric columns (all but the first) and a rule. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A GitHub markdown table (for the README). */
export function renderMarkdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(headers),
    line(headers.map((_, c) => (c === 0 ? "---" : "---:"))),
    ...rows.map(line),
  ].join("\n");
}

export const MAIN_HEADERS = [
  "tenants",
  "resources",
  "wall time",
  "time/resource",
  "peak RSS",
  "floor time",
  "floor RSS",
  "time ratio",
  "memory ratio",
];

/** The main table's rows: program, floor and program/floor per tenant count. */
export function mainRows(results: SizeResult[]): string[][] {
  return results.map(({ tenants, program, floor }) => [
    String(tenants),
    String(program.resources),
    formatMs(program.wallMs),
    formatMs(timePerResourceMs(program)),
    formatBytes(program.maxRssBytes),
    formatMs(floor.wallMs),
    formatBytes(floor.maxRssBytes),
    formatRatio(ratio(program.wallMs, floor.wallMs)),
    formatRatio(ratio(program.maxRssBytes, floor.maxRssBytes)),
  ]);
}

/**
 * Resources each additional tenant adds: the slope between the smallest and largest set, so
 * the cell's fixed resources (host, storage, platform) do not count.
 */
export function resourcesPerTenant(results: SizeResult[]): number {
  const sorted = [...results].sort((a, b) => a.tenants - b.tenants);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || last.tenants === first.tenants) return Number.NaN;
  return (last.program.resources - first.program.resources) / (last.tenants - first.tenants);
}

/** State bytes each additional tenant adds (slope between the smallest and largest set). */
export function stateBytesPerTenant(results: SizeResult[]): number {
  const measured = results.filter((r) => r.stateBytes !== undefined);
  const sorted = [...measured].sort((a, b) => a.tenants - b.tenants);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || last.tenants === first.tenants) return Number.NaN;
  return (last.stateBytes! - first.stateBytes!) / (last.tenants - first.tenants);
}
