/**
 * Runs every Dezky policy over an offline inventory (scripts/lib/mock-run.ts) without a
 * PolicyPack (which would start a gRPC server): `npm run plan` and the tests use it.
 */
import type {
  EnforcementLevel,
  Policy,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Inventory } from "../scripts/lib/mock-run";
import type { Environment } from "../stacks/schema";
import { factsForStack, factsFromEnvironment } from "./cell-facts";
import {
  NotApplicable,
  throwNotApplicable,
  toPolicyResources,
  toResourceArgs,
} from "./inventory-args";
import type { PriceFn } from "./rules/cost";
import type { CellFacts } from "./rules/facts";
import { dezkyPolicies } from "./rules/pack";

export interface PolicyViolation {
  /** The resource concerned; undefined for a stack-wide finding. */
  urn?: string;
  message: string;
}

export interface PolicyResult {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  kind: "resource" | "stack";
  violations: PolicyViolation[];
  /** Resources the rule applied to (resource rules), or the stack's resource count. */
  checked: number;
  /** Set when a stack rule declared itself not applicable (e.g. no cost ceiling known). */
  notApplicable?: string;
}

export interface EvaluateOptions {
  /** The environment the inventory was built from (tests of broken environments). */
  env?: Environment;
  /** Cell facts; default: from `env`, else from the stack's environment file. */
  facts?: CellFacts;
  stackTags?: ReadonlyMap<string, string>;
  price?: PriceFn;
}

const isStackPolicy = (p: Policy): p is StackValidationPolicy => "validateStack" in p;

/** Results per rule, violations first (mandatory before advisory), then by name. */
export async function evaluatePolicies(
  inventory: Inventory,
  options: EvaluateOptions = {},
): Promise<PolicyResult[]> {
  const facts =
    options.facts ??
    (options.env ? factsFromEnvironment(options.env) : factsForStack(inventory.stack));
  const stackTags = options.stackTags ?? new Map<string, string>();
  const policies = dezkyPolicies({
    stack: () => inventory.stack,
    facts: () => facts,
    price: options.price,
  });
  const resources = toPolicyResources(inventory.resources);
  const results: PolicyResult[] = [];

  for (const policy of policies) {
    const level = policy.enforcementLevel ?? "advisory";
    const result: PolicyResult = {
      name: policy.name,
      description: policy.description,
      enforcementLevel: level,
      kind: isStackPolicy(policy) ? "stack" : "resource",
      violations: [],
      checked: 0,
    };
    results.push(result);
    if (level === "disabled") continue;
    if (isStackPolicy(policy)) {
      const args: StackValidationArgs = {
        resources,
        stackTags,
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: throwNotApplicable,
      };
      try {
        await policy.validateStack(args, (message, urn) =>
          result.violations.push({ urn, message }),
        );
        result.checked = resources.length;
      } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
        result.notApplicable = e.reason;
      }
      continue;
    }
    const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
    for (const r of inventory.resources) {
      const args = toResourceArgs(r, stackTags);
      try {
        for (const validate of validations) {
          await validate(args, (message, urn) =>
            result.violations.push({ urn: urn ?? r.urn, message }),
          );
        }
        result.checked++;
      } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
      }
    }
  }
  const rank = (r: PolicyResult) =>
    r.violations.length === 0 ? 2 : r.enforcementLevel === "mandatory" ? 0 : 1;
  return results.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** True when no mandatory rule has a violation. */
export function policiesPass(results: PolicyResult[]): boolean {
  return results.every((r) => r.enforcementLevel !== "mandatory" || r.violations.length === 0);
}

/** Plain-text report for `npm run plan`: violations first, one line per finding. */
export function formatPolicyResults(results: PolicyResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const status =
      r.violations.length > 0
        ? r.enforcementLevel === "mandatory"
          ? "FAIL"
          : "WARN"
        : r.notApplicable
          ? "n/a "
          : "ok  ";
    lines.push(
      `${status} ${r.name} [${r.enforcementLevel}]${r.notApplicable ? ` (${r.notApplicable})` : ""}`,
    );
    for (const v of r.violations)
      lines.push(`     - ${v.message}${v.urn ? `\n       ${v.urn}` : ""}`);
  }
  return lines.join("\n");
}
