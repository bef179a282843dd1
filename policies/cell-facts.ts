/**
 * Cell facts from a stack's environment file (stacks/<stack>.ts): host location and disk, cost
 * ceiling. Unknown stacks have no facts (rules that need them then check what they can).
 */
import { environmentFor } from "../stacks/environments";
import type { Environment } from "../stacks/schema";
import type { CellFacts } from "./rules/facts";

/** Monthly price of an adopted AX41-NVMe (about 39 EUR, ARCHITECTURE.md); it has no resource to price. */
export const DEDICATED_HOST_EUR = 39;

export function factsFromEnvironment(env: Environment): CellFacts {
  return {
    hostLocation: env.host.location,
    hostDiskGb: env.host.diskGb,
    costCeilingEur: env.costCeilingEur,
    fixedMonthlyEur: env.host.kind === "dedicated" ? DEDICATED_HOST_EUR : 0,
    production: env.production,
  };
}

export function factsForStack(stack: string): CellFacts {
  try {
    return factsFromEnvironment(environmentFor(stack));
  } catch {
    return {};
  }
}
