/**
 * Data safety in production: buckets, Storage Boxes, DNS zones, OCIS spaces, Stalwart domains,
 * tenant groups (Authentik and OCIS), volume claims and StatefulSets with volume claim templates
 * are both `protect`ed (the engine refuses a delete) and `retainOnDelete` (a forced delete
 * forgets instead of deleting), so removing a line or a tenant file never deletes data.
 *
 * Production = stack "prod" or "prod-*", or stack tag dezky:environment=production (see
 * util.isProductionStack). Note: @pulumi/policy 1.21.0 passes only `protect` from the engine;
 * `retainOnDelete` is visible offline (evaluatePolicies) but not under `pulumi preview`, so the
 * real preview checks protect and the offline plan checks both.
 */
import type { PolicyResourceOptions, ResourceValidationPolicy } from "@pulumi/policy";
import { type FactsSource, NO_FACTS } from "./facts";
import { DATA_BEARING, isRole } from "./types";
import { isProductionStack } from "./util";

/** The engine's options, plus retainOnDelete where the caller knows it (offline inventory). */
export type DezkyResourceOptions = PolicyResourceOptions & { retainOnDelete?: boolean };

/** Does the resource hold data? By type, and StatefulSets by their volume claim templates. */
export function isDataBearing(type: string, props: Record<string, unknown> = {}): boolean {
  if (DATA_BEARING.some((role) => isRole(type, role))) return true;
  if (!isRole(type, "statefulSet")) return false;
  const spec = props.spec as { volumeClaimTemplates?: unknown[] } | undefined;
  return Array.isArray(spec?.volumeClaimTemplates) && spec.volumeClaimTemplates.length > 0;
}

/** The options a data-bearing resource lacks (retainOnDelete only where it is known). */
export function missingDataOptions(
  type: string,
  opts: DezkyResourceOptions,
  props: Record<string, unknown> = {},
): string[] {
  if (!isDataBearing(type, props)) return [];
  return [
    ...(opts.protect ? [] : ["protect"]),
    ...(opts.retainOnDelete === false ? ["retainOnDelete"] : []),
  ];
}

/** True when the resource holds data and its options let a delete through. */
export function isUnprotectedData(
  type: string,
  opts: DezkyResourceOptions,
  props: Record<string, unknown> = {},
): boolean {
  return missingDataOptions(type, opts, props).length > 0;
}

/**
 * `facts` carries the environment's production flag, so a production cell of any name is
 * covered; without facts the stack name or the dezky:environment tag decides.
 */
export function productionDataProtected(
  stack: () => string,
  facts: FactsSource = NO_FACTS,
): ResourceValidationPolicy {
  return {
    name: "production-data-protected",
    description:
      "In production, every resource holding customer or identity data is protected and retained on delete.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: (args, report) => {
      const production = facts().production || isProductionStack(stack(), args.stackTags);
      if (!production) args.notApplicable("not a production stack");
      const missing = missingDataOptions(
        args.type,
        args.opts as DezkyResourceOptions,
        args.props as Record<string, unknown>,
      );
      if (missing.length) {
        report(
          `${args.name} (${args.type}) holds data in production but lacks ${missing.join(" and ")}; set { protect: true, retainOnDelete: true } while production.`,
        );
      }
    },
  };
}
