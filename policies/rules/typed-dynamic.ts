/**
 * Dynamic resources must be typed (`pulumi-nodejs:dynamic/<svc>:<Type>`): with the untyped
 * token no rule can tell an Authentik group from a Stalwart domain, so every other rule would
 * silently skip them.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { UNTYPED_DYNAMIC } from "./types";

export const typedDynamicResources: ResourceValidationPolicy = {
  name: "typed-dynamic-resources",
  description: "Dynamic resources pass module and type so policies can tell them apart.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, report) => {
    if (args.type === UNTYPED_DYNAMIC) {
      report(
        `${args.name}: untyped dynamic resource; pass module and type to super(...) so it reads pulumi-nodejs:dynamic/<svc>:<Type>.`,
      );
    }
  },
};
