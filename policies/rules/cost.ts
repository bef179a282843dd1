/**
 * Advisory cost ceiling per environment. Pricing is pluggable: pass any `(resource) => EUR per
 * month | undefined` (the price table under scripts/ when it lands). The default reads an
 * explicit `costEur` input or a `dezky.io/cost-eur` label, and knows only the Storage Box BX11
 * (3.20 EUR/month net, ARCHITECTURE.md); fixed costs without a resource (an adopted dedicated
 * host) come in through the cell facts' `fixedMonthlyEur`.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { type FactsSource, NO_FACTS } from "./facts";
import { isRole } from "./types";
import { read, str } from "./util";

export type PriceFn = (resource: {
  type: string;
  name: string;
  props: Record<string, unknown>;
}) => number | undefined;

export const COST_LABEL = "dezky.io/cost-eur";

export const defaultPrice: PriceFn = (r) => {
  const explicit = read(r.props, "costEur") ?? str(read(r.props, "labels"), COST_LABEL);
  if (explicit !== undefined && !Number.isNaN(Number(explicit))) return Number(explicit);
  if (isRole(r.type, "storageBox") && str(r.props, "storageBoxType")?.toLowerCase() === "bx11")
    return 3.2;
  return undefined;
};

/** Monthly estimate: sum of priced resources, and how many billable-looking ones had no price. */
export function estimateMonthlyCostEur(
  resources: Array<{ type: string; name: string; props: Record<string, unknown> }>,
  price: PriceFn = defaultPrice,
  fixedMonthlyEur = 0,
): { totalEur: number; unpriced: number } {
  let totalEur = fixedMonthlyEur;
  let unpriced = 0;
  for (const r of resources) {
    const p = price(r);
    if (p !== undefined) totalEur += p;
    else if (isRole(r.type, "server") || isRole(r.type, "storageBox")) unpriced++;
  }
  return { totalEur: Math.round(totalEur * 100) / 100, unpriced };
}

export interface CostOptions {
  facts?: FactsSource;
  price?: PriceFn;
}

export function costCeiling(options: CostOptions = {}): StackValidationPolicy {
  const facts = options.facts ?? NO_FACTS;
  return {
    name: "cost-ceiling",
    description:
      "The estimated monthly cost of the stack stays under the environment's costCeilingEur.",
    enforcementLevel: "advisory",
    severity: "low",
    validateStack: (args, report) => {
      const { costCeilingEur: ceiling, fixedMonthlyEur } = facts();
      if (ceiling === undefined) return args.notApplicable("no cost ceiling known for this stack");
      const { totalEur, unpriced } = estimateMonthlyCostEur(
        args.resources,
        options.price,
        fixedMonthlyEur ?? 0,
      );
      if (totalEur > ceiling) {
        const note = unpriced > 0 ? ` (${unpriced} billable resources unpriced)` : "";
        report(
          `Estimated ${totalEur} EUR/month exceeds the ceiling of ${ceiling} EUR${note}; raise costCeilingEur or trim the stack.`,
        );
      }
    },
  };
}
