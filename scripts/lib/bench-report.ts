/**
 * The benchmark's report beyond the main table: the machine, API requests per tenant create,
 * and the README "## Performance" section (markdown) built from one run's results.
 */
import * as os from "node:os";
import {
  type ApiRequestsResult,
  meanRequests,
  type ServiceRequests,
  totalRequests,
} from "./bench-api";
import {
  formatBytes,
  formatMs,
  formatRatio,
  MAIN_HEADERS,
  mainRows,
  renderMarkdownTable,
  resourcesPerTenant,
  type SizeResult,
  type TargetCheck,
} from "./bench-format";
import type { BasePlanResult } from "./bench-plan";

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

export interface ReadmeInputs {
  machine: string;
  stack: string;
  repeat: number;
  /** tsc (compiled, as pulumi up runs it) or tsx (source, as npm run plan runs it). */
  runner: string;
  results: SizeResult[];
  api?: ApiRequestsResult;
  plan?: BasePlanResult;
  targets: TargetCheck[];
  totalMs: number;
}

/** The README's "## Performance" section for one bench run. */
export function renderReadmeSection(r: ReadmeInputs): string {
  const lines = [
    "## Performance",
    "",
    "`npm run bench` (not part of `npm test`; about " +
      `${Math.ceil(r.totalMs / 60_000)} min here) generates N valid tenants, runs the program for ` +
      `stack \`${r.stack}\` under Pulumi's mock runtime in a child process, then replays the ` +
      "recorded registrations (same types, names, inputs, options, parents) as raw resources in " +
      "a fresh child: the floor. `npm run bench -- --profile` adds CPU profiles, `--markdown` " +
      "prints this section.",
    "",
    `Machine: ${r.machine}. Runner: ${r.runner}. Best of ${r.repeat} run(s) per figure.`,
    "",
    renderMarkdownTable(MAIN_HEADERS, mainRows(r.results)),
    "",
    `Resources per tenant: ${resourcesPerTenant(r.results).toFixed(1)}.`,
    "",
    "Targets:",
    "",
    ...r.targets.map(
      (t) =>
        `- ${t.ok ? "met" : "**missed**"}: ${t.name} = ${formatRatio(t.value)} (target <= ${formatRatio(t.limit)})`,
    ),
  ];
  if (r.api) {
    lines.push(
      "",
      "API requests per tenant create, counted by the simulators (check + create of each of the " +
        "tenant's Authentik, OCIS and Stalwart objects; Stalwart includes DKIM polls):",
      "",
      renderMarkdownTable(API_HEADERS, apiRows(r.api)),
    );
  }
  if (r.plan) {
    lines.push(
      "",
      `\`npm run plan -- --stack ${r.plan.stack} --base HEAD\` with one tenant changed ` +
        `(${r.plan.change}) in a ${r.plan.tenants}-tenant stack: exit ${r.plan.exitCode}, ` +
        `${formatMs(r.plan.wallMs)}` +
        (r.plan.maxRssBytes ? `, peak RSS ${formatBytes(r.plan.maxRssBytes)}` : "") +
        (r.plan.summary ? ` (${r.plan.summary})` : "") +
        ".",
    );
  }
  return lines.join("\n");
}
