/**
 * Data safety in production: buckets, Storage Boxes, DNS zones, OCIS spaces and Stalwart domains
 * are `protect`ed or `retainOnDelete`, so removing a line or a tenant file never deletes data.
 *
 * Production = stack "prod" or "prod-*", or stack tag dezky:environment=production (see
 * util.isProductionStack). Note: @pulumi/policy 1.21.0 passes only `protect` from the engine;
 * `retainOnDelete` is visible offline (evaluatePolicies) but not under `pulumi preview`, so a
 * production resource relying on retainOnDelete alone fails the real preview: set protect.
 */
import type { PolicyResourceOptions, ResourceValidationPolicy } from "@pulumi/policy";
import { DATA_BEARING, isRole } from "./types";
import { isProductionStack } from "./util";

/** The engine's options, plus retainOnDelete where the caller knows it (offline inventory). */
export type DezkyResourceOptions = PolicyResourceOptions & { retainOnDelete?: boolean };

/** True when the resource holds data and its options let a delete through. */
export function isUnprotectedData(type: string, opts: DezkyResourceOptions): boolean {
  if (!DATA_BEARING.some((role) => isRole(type, role))) return false;
  return !opts.protect && !opts.retainOnDelete;
}

export function productionDataProtected(stack: () => string): ResourceValidationPolicy {
  return {
    name: "production-data-protected",
    description:
      "In production, buckets, Storage Boxes, zones, OCIS spaces and Stalwart domains are protected or retained on delete.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: (args, report) => {
      if (!isProductionStack(stack(), args.stackTags)) args.notApplicable("not a production stack");
      if (isUnprotectedData(args.type, args.opts as DezkyResourceOptions)) {
        report(
          `${args.name} (${args.type}) holds data in production but is neither protect nor retainOnDelete; set { protect: true }.`,
        );
      }
    },
  };
}
