/**
 * Hook for the policy pack's offline evaluation: when policies/evaluate.ts exports
 * evaluatePolicies(inventory), the plan shows its results, violations first. Without it the
 * plan says that policies were not evaluated. Result shapes are read leniently.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { resourcePrice } from "./cost";
import type { Inventory } from "./mock-run";

export interface PolicyFinding {
  policy: string;
  level: string;
  message: string;
  resource?: string;
  violation: boolean;
}

type Raw = Record<string, unknown>;

function normalize(raw: unknown): PolicyFinding[] {
  if (Array.isArray(raw)) return raw.flatMap(normalize);
  if (!raw || typeof raw !== "object") return [];
  const r = raw as Raw;
  const policy = String(r.name ?? r.policy ?? r.policyName ?? r.rule ?? "policy");
  const level = String(r.enforcementLevel ?? r.level ?? r.severity ?? "");
  // policies/evaluate.ts: one result per rule with its violations.
  if (Array.isArray(r.violations)) {
    if (r.violations.length === 0) {
      const message = r.notApplicable
        ? `not applicable: ${String(r.notApplicable)}`
        : String(r.description ?? "");
      return [{ policy, level, message, violation: false }];
    }
    return r.violations.map((v) => {
      const violation = (v ?? {}) as Raw;
      return {
        policy,
        level,
        message: String(violation.message ?? ""),
        resource: violation.urn as string | undefined,
        violation: true,
      };
    });
  }
  const passed = r.passed ?? r.ok;
  return [
    {
      policy,
      level,
      message: String(r.message ?? r.description ?? ""),
      resource: (r.urn ?? r.resource) as string | undefined,
      violation:
        typeof r.violation === "boolean" ? r.violation : passed === undefined ? true : !passed,
    },
  ];
}

/** The raw results of policies/evaluate.ts, or undefined when no evaluator exists. */
export async function evaluatePolicyResultsIfAvailable(
  inventory: Inventory,
  root: string = path.resolve(__dirname, "..", ".."),
): Promise<unknown[] | undefined> {
  const file = path.join(root, "policies", "evaluate.ts");
  if (!fs.existsSync(file)) return undefined;
  type Evaluate = (i: Inventory, options?: { price?: typeof resourcePrice }) => unknown;
  const mod = (await import(file)) as {
    evaluatePolicies?: Evaluate;
    default?: { evaluatePolicies?: Evaluate };
  };
  const evaluate = mod.evaluatePolicies ?? mod.default?.evaluatePolicies;
  if (typeof evaluate !== "function") return undefined;
  return [await evaluate(inventory, { price: resourcePrice })].flat();
}

/**
 * Findings sorted violations first (mandatory before advisory); `keep` drops violations by the
 * URN they concern (a rule left without violations then counts as passed).
 */
export function policyFindings(
  results: unknown[] | undefined,
  keep: (urn: string | undefined) => boolean = () => true,
): PolicyFinding[] | undefined {
  if (results === undefined) return undefined;
  const kept = results.map((raw) => {
    const r = raw as Raw;
    if (!Array.isArray(r?.violations)) return raw;
    const violations = (r.violations as unknown[]).filter((v) =>
      keep((v as Raw | undefined)?.urn as string | undefined),
    );
    return { ...r, violations };
  });
  const rank = (f: PolicyFinding) => (f.violation ? (f.level === "mandatory" ? 0 : 1) : 2);
  // By rank, then rule: dropping a rule's violations moves it among the passed ones.
  return normalize(kept).sort((a, b) => rank(a) - rank(b) || a.policy.localeCompare(b.policy));
}

/** Findings sorted violations first (mandatory before advisory), or undefined when no evaluator exists. */
export async function evaluatePoliciesIfAvailable(
  inventory: Inventory,
  root: string = path.resolve(__dirname, "..", ".."),
): Promise<PolicyFinding[] | undefined> {
  return policyFindings(await evaluatePolicyResultsIfAvailable(inventory, root));
}

/** Markdown list of findings. */
export function renderPolicies(findings: PolicyFinding[] | undefined): string {
  if (findings === undefined)
    return "_Policies not evaluated: policies/evaluate.ts (evaluatePolicies) is not available._";
  const violations = findings.filter((f) => f.violation);
  if (!violations.length) return `No policy violations (${findings.length} results).`;
  return [
    `${violations.length} policy violation(s):`,
    ...violations.map(
      (f) =>
        `- **${f.level || "violation"}** \`${f.policy}\`: ${f.message}${f.resource ? ` (${f.resource})` : ""}`,
    ),
    ...findings
      .filter((f) => !f.violation)
      .map((f) => `- ok \`${f.policy}\`${f.message ? `: ${f.message}` : ""}`),
  ].join("\n");
}
