/**
 * The benchmark's report from one run's results: the same sections as plain text (what
 * `npm run bench` prints) and as the README "## Performance" section (markdown, `--markdown`).
 */
import * as os from "node:os";
import {
  type ApiRequestsResult,
  meanRequests,
  type ServiceRequests,
  totalRequests,
} from "./bench-api";
import { type CellsResult, cellsSummary } from "./bench-cells";
import {
  formatBytes,
  formatMs,
  formatRatio,
  MAIN_HEADERS,
  mainRows,
  ratio,
  renderMarkdownTable,
  renderTable,
  resourcesPerTenant,
  type SizeResult,
  stateBytesPerTenant,
} from "./bench-format";
import type { PlanRun, PrPlanResult } from "./bench-pr-plan";
import { describeTarget, type TargetCheck } from "./bench-targets";

/** nproc, memory, CPU model and node version of this machine. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? "unknown CPU";
  const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${os.availableParallelism()} cores (${cpu}), ${gib} GiB RAM, node ${process.version}, ${os.platform()} ${os.arch()}`;
}

export const API_HEADERS = ["tenant", "plan", "objects", "Authentik", "OCIS", "Stalwart", "total"];

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function requestCells(r: ServiceRequests): string[] {
  return [fmt(r.authentik), fmt(r.ocis), fmt(r.stalwart), fmt(totalRequests(r))];
}

/** One row per driven tenant (the first one cold), then the mean of the warm ones. */
export function apiRows(api: ApiRequestsResult): string[][] {
  const rows = api.tenants.map((t, i) => [
    `${t.slug}${i === 0 ? " (cold)" : ""}`,
    t.plan,
    String(t.objects.authentik + t.objects.ocis + t.objects.stalwart),
    ...requestCells(t.requests),
  ]);
  const warm = api.tenants.slice(1);
  if (warm.length) {
    const objects =
      warm.reduce((n, t) => n + t.objects.authentik + t.objects.ocis + t.objects.stalwart, 0) /
      warm.length;
    rows.push([
      "mean of warm tenants",
      "",
      fmt(objects),
      ...requestCells(meanRequests(warm.map((t) => t.requests))),
    ]);
  }
  return rows;
}

export interface BenchReport {
  machine: string;
  stack: string;
  repeat: number;
  /** tsc (compiled, as pulumi up runs it) or tsx (source). */
  runner: string;
  results: SizeResult[];
  cells?: CellsResult;
  api?: ApiRequestsResult;
  plan?: PrPlanResult;
  targets: TargetCheck[];
  totalMs: number;
}

export const CELLS_HEADERS = [
  "cells x tenants",
  "resources (all cells)",
  "sum of cell runs",
  "mean per cell",
  "slowest cell",
  "largest peak RSS",
  "mean cell / lone cell",
];

/** One row: the K cells, and how a cell's run compares with a lone cell of as many tenants. */
export function cellsRows(cells: CellsResult, results: SizeResult[]): string[][] {
  const s = cellsSummary(cells);
  const lone = results.find((r) => r.tenants === cells.tenantsPerCell);
  return [
    [
      `${cells.cells} x ${cells.tenantsPerCell}`,
      String(s.resources),
      formatMs(s.totalMs),
      formatMs(s.meanMs),
      formatMs(s.maxMs),
      formatBytes(s.maxRssBytes),
      lone ? formatRatio(ratio(s.meanMs, lone.program.wallMs)) : "-",
    ],
  ];
}

type PlanRunFigures = Omit<PlanRun, "stdout">;

function planRunLine(label: string, run: PlanRunFigures): string {
  return (
    `${label}: exit ${run.exitCode}, ${formatMs(run.wallMs)}, peak ${formatBytes(run.peakTreeRssBytes)} ` +
    `(summed over the plan's processes)` +
    (run.summary ? `; ${run.summary}` : "") +
    (run.path ? `; "${run.path}"` : "")
  );
}

/** The PR plan's lines: the fast run, the --full run and whether their views are equal. */
export function planLines(plan: PrPlanResult): string[] {
  const lines = [
    `One-tenant pull-request plan (\`npm run plan -- --stack ${plan.stack} --base HEAD --format markdown\`, ` +
      `${plan.change}) in a ${plan.tenants}-tenant stack:`,
    planRunLine("as the preview workflow runs it", plan.fast),
  ];
  if (plan.fast.error) lines.push(plan.fast.error);
  if (plan.full) {
    lines.push(planRunLine("with --full (whole stack on both sides)", plan.full));
    if (plan.full.error) lines.push(plan.full.error);
    lines.push(
      plan.equal === undefined
        ? "The PR views were not compared: a run did not finish."
        : plan.equal
          ? "Both PR views are equal but for the line naming the path."
          : `The PR views differ: ${plan.firstDifference ?? "(exit codes differ)"}`,
    );
  }
  return lines;
}

interface Section {
  title?: string;
  table?: { headers: string[]; rows: string[][] };
  lines?: string[];
}

function sections(r: BenchReport): Section[] {
  const perTenantState = stateBytesPerTenant(r.results);
  const result: Section[] = [
    { table: { headers: MAIN_HEADERS, rows: mainRows(r.results) } },
    {
      lines: [
        `Resources per tenant: ${resourcesPerTenant(r.results).toFixed(1)}.` +
          (Number.isFinite(perTenantState)
            ? ` State per tenant: ${formatBytes(perTenantState)} (each resource's inputs and outputs as JSON, as a DIY backend stores them).`
            : ""),
      ],
    },
  ];
  if (r.cells) {
    result.push({
      title:
        `${r.cells.cells} production cells of ${r.cells.tenantsPerCell} tenants (each an environment file and a tenant folder), ` +
        "each cell's program in its own process, one after the other; every run loads and checks all cells' files:",
      table: { headers: CELLS_HEADERS, rows: cellsRows(r.cells, r.results) },
    });
  }
  if (r.api) {
    result.push({
      title:
        "API requests per tenant create, counted by the simulators (check + create of each of the " +
        "tenant's Authentik, OCIS and Stalwart objects; the first tenant is cold, per-run lookups not cached yet):",
      table: { headers: API_HEADERS, rows: apiRows(r.api) },
    });
  }
  if (r.plan) result.push({ lines: planLines(r.plan) });
  return result;
}

/** What `npm run bench` prints. */
export function renderReport(r: BenchReport): string {
  const out = [
    `Machine: ${r.machine}`,
    `Stack ${r.stack}; runner ${r.runner}; each figure is the best of ${r.repeat} run(s), each run in its own process.`,
  ];
  for (const s of sections(r)) {
    out.push("");
    if (s.title) out.push(s.title);
    if (s.table) out.push(renderTable(s.table.headers, s.table.rows));
    if (s.lines) out.push(...s.lines);
  }
  out.push(
    "",
    "Targets (issue 22):",
    ...r.targets.map((t) => `${t.ok ? "met   " : "MISSED"} ${t.name}: ${describeTarget(t)}`),
    "",
    `Bench took ${formatMs(r.totalMs)}.`,
  );
  return out.join("\n");
}

/** The README's "## Performance" results for one bench run (markdown). */
export function renderReadmeSection(r: BenchReport): string {
  const out = [
    "## Performance",
    "",
    `\`npm run bench\` run: ${r.machine}; stack \`${r.stack}\`, runner ${r.runner}, best of ${r.repeat} run(s); ` +
      `took ${Math.ceil(r.totalMs / 60_000)} min.`,
  ];
  for (const s of sections(r)) {
    out.push("");
    if (s.title) out.push(s.title, "");
    if (s.table) out.push(renderMarkdownTable(s.table.headers, s.table.rows));
    if (s.lines) out.push(s.lines.join("\n"));
  }
  out.push(
    "",
    "Targets:",
    "",
    ...r.targets.map((t) => `- ${t.ok ? "met" : "**missed**"}: ${t.name} = ${describeTarget(t)}`),
  );
  return out.join("\n");
}
