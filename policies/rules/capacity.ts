/**
 * Advisory capacity per cell: how many tenants a cell carries and whether their summed OCIS
 * space quotas fit on the host's disk. A full cell means: place new tenants on another cell.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type FactsSource, NO_FACTS } from "./facts";
import { isRole } from "./types";
import { read, str } from "./util";

/** Default most tenants per cell when the environment does not say. */
export const DEFAULT_MAX_TENANTS = 50;
const GB = 1e9;

/** Distinct tenants and summed space quotas (GB) of a stack. */
export function cellLoad(resources: PolicyResource[]): { tenants: string[]; quotaGb: number } {
  const tenants = new Set<string>();
  let quotaBytes = 0;
  for (const r of resources) {
    const tenant =
      r.type.startsWith("pulumi-nodejs:dynamic/") || r.type.startsWith("dezky:tenant:")
        ? str(r.props, "tenant")
        : undefined;
    if (tenant) tenants.add(tenant);
    if (isRole(r.type, "ocisSpace")) {
      const q = read(r.props, "quotaBytes");
      if (typeof q === "number") quotaBytes += q;
    }
  }
  return { tenants: [...tenants].sort(), quotaGb: Math.round((quotaBytes / GB) * 10) / 10 };
}

export function cellCapacity(facts: FactsSource = NO_FACTS): StackValidationPolicy {
  return {
    name: "cell-capacity",
    description:
      "A cell carries at most maxTenants tenants and their summed storage quotas fit on the host's disk.",
    enforcementLevel: "advisory",
    severity: "medium",
    validateStack: (args, report) => {
      const f = facts();
      const { tenants, quotaGb } = cellLoad(args.resources);
      const maxTenants = f.maxTenants ?? DEFAULT_MAX_TENANTS;
      if (tenants.length > maxTenants) {
        report(
          `The cell carries ${tenants.length} tenants, over its limit of ${maxTenants}; place new tenants on another cell.`,
        );
      }
      if (f.hostDiskGb !== undefined && quotaGb > f.hostDiskGb) {
        report(
          `Space quotas add up to ${quotaGb} GB, more than the host's ${f.hostDiskGb} GB disk; move tenants or add a cell.`,
        );
      }
    },
  };
}
