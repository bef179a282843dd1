/**
 * The targets of issue 22, each checked against one bench run: program vs floor and growth at
 * the largest set, the one-tenant pull-request plan (time, memory, same view as --full), API
 * requests per tenant create. A target whose measurement was skipped is left out, never passed.
 */
import { type ApiRequestsResult, totalRequests } from "./bench-api";
import {
  formatBytes,
  formatMs,
  formatRatio,
  ratio,
  type SizeResult,
  timePerResourceMs,
} from "./bench-format";
import type { PrPlanResult } from "./bench-pr-plan";

/** How a target's value and limit read. */
export type TargetUnit = "ratio" | "ms" | "bytes" | "count" | "same";

export interface TargetCheck {
  name: string;
  value: number;
  limit: number;
  ok: boolean;
  unit?: TargetUnit;
}

const GiB = 1024 ** 3;
export const PR_PLAN_LIMIT_MS = 60_000;
export const PR_PLAN_LIMIT_BYTES = 3 * GiB;

function check(name: string, value: number, limit: number, unit: TargetUnit): TargetCheck {
  return { name, value, limit, ok: Number.isFinite(value) && value <= limit, unit };
}

/** Program vs floor at the largest set, and time per resource there vs at 100 tenants. */
export function programTargets(results: SizeResult[], limit = 1.2): TargetCheck[] {
  const largest = [...results].sort((a, b) => b.tenants - a.tenants)[0];
  if (!largest) return [];
  const n = largest.tenants;
  const checks = [
    check(
      `time ratio program/floor at ${n}`,
      ratio(largest.program.wallMs, largest.floor.wallMs),
      limit,
      "ratio",
    ),
    check(
      `memory ratio program/floor at ${n}`,
      ratio(largest.program.maxRssBytes, largest.floor.maxRssBytes),
      limit,
      "ratio",
    ),
  ];
  const hundred = results.find((r) => r.tenants === 100);
  if (hundred && hundred !== largest) {
    checks.push(
      check(
        `time/resource at ${n} vs 100`,
        ratio(timePerResourceMs(largest.program), timePerResourceMs(hundred.program)),
        limit,
        "ratio",
      ),
    );
  }
  return checks;
}

/** The one-tenant PR plan: wall time, peak memory of its process tree, same view as --full. */
export function prPlanTargets(plan: PrPlanResult): TargetCheck[] {
  const failed = plan.fast.error !== undefined;
  const at = `one-tenant PR plan at ${plan.tenants}`;
  const checks = [
    check(`${at}: wall time`, failed ? Number.NaN : plan.fast.wallMs, PR_PLAN_LIMIT_MS, "ms"),
    check(
      `${at}: peak memory (process tree)`,
      failed ? Number.NaN : plan.fast.peakTreeRssBytes,
      PR_PLAN_LIMIT_BYTES,
      "bytes",
    ),
  ];
  if (plan.full) {
    // 0 when the PR views are equal but for the path line, 1 when they differ; a --full run
    // that did not finish leaves it not judged, a miss.
    const value = plan.equal === undefined ? Number.NaN : plan.equal ? 0 : 1;
    checks.push(check(`${at}: same PR view as --full`, value, 0, "same"));
  }
  return checks;
}

/** Each warm tenant (the cold first one pays the per-run lookups): requests <= objects + 1. */
export function apiTargets(api: ApiRequestsResult): TargetCheck[] {
  const warm = api.tenants.slice(1);
  if (!warm.length) return [];
  const excess = warm.map(
    (t) => totalRequests(t.requests) - (t.objects.authentik + t.objects.ocis + t.objects.stalwart),
  );
  return [
    check(
      "API requests per tenant create minus objects (worst warm tenant)",
      Math.max(...excess),
      1,
      "count",
    ),
  ];
}

function formatValue(value: number, unit: TargetUnit | undefined): string {
  switch (unit) {
    case "ms":
      return formatMs(value);
    case "bytes":
      return formatBytes(value);
    case "count":
      return Number.isFinite(value) ? String(value) : "-";
    case "same":
      return value === 0
        ? "equal"
        : Number.isNaN(value)
          ? "not judged (--full did not finish)"
          : "different";
    default:
      return formatRatio(value);
  }
}

/** "<value> (target <= <limit>)", each in its unit. */
export function describeTarget(c: TargetCheck): string {
  if (c.unit === "same") return formatValue(c.value, c.unit);
  return `${formatValue(c.value, c.unit)} (target <= ${formatValue(c.limit, c.unit)})`;
}

export function renderTargets(checks: TargetCheck[]): string {
  return checks.map((c) => `${c.ok ? "ok  " : "MISS"} ${c.name}: ${describeTarget(c)}`).join("\n");
}
