/**
 * Turns the offline inventory (scripts/lib/mock-run.ts) into what @pulumi/policy hands rules:
 * PolicyResource for stack policies and ResourceValidationArgs for resource policies. Options
 * carry two extras the engine does not send: retainOnDelete and secretInputs (which top-level
 * inputs were secret). Masked secrets stay "[secret]", which the rules count as secret.
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import type { InventoryResource } from "../scripts/lib/mock-run";
import type { DezkyResourceOptions } from "./rules/data-safety";
import type { SecretAwareOptions } from "./rules/secrets";

export class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "not applicable");
  }
}

export const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

type ResourceClass = { __pulumiType?: string };
const isTypeOf = (type: string) => (cls: unknown) => (cls as ResourceClass).__pulumiType === type;

export type InventoryOptions = DezkyResourceOptions & SecretAwareOptions;

function optionsOf(r: InventoryResource): InventoryOptions {
  return {
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    ignoreChanges: r.ignoreChanges,
    deleteBeforeReplace: r.deleteBeforeReplace,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: r.additionalSecretOutputs,
    parent: r.parent,
    secretInputs: r.secretInputs,
  };
}

/** PolicyResources with parents and dependencies linked. */
export function toPolicyResources(resources: InventoryResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const out = resources.map((r) => {
    const pr: PolicyResource = {
      type: r.type,
      // Stack policies run after the resources exist and see their outputs too.
      props: { ...r.inputs, ...(r.outputs ?? {}) },
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: isTypeOf(r.type) as PolicyResource["isType"],
      asType: ((cls: unknown) =>
        isTypeOf(r.type)(cls) ? r.inputs : undefined) as PolicyResource["asType"],
    };
    byUrn.set(r.urn, pr);
    return pr;
  });
  resources.forEach((r, i) => {
    out[i].parent = r.parent ? byUrn.get(r.parent) : undefined;
    out[i].dependencies = r.dependsOn
      .map((u) => byUrn.get(u))
      .filter((d): d is PolicyResource => !!d);
    // The engine's propertyDependencies, recorded offline from each input's source resources.
    out[i].propertyDependencies = Object.fromEntries(
      Object.entries(r.propertyDependencies ?? {}).map(([key, urns]) => [
        key,
        urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d),
      ]),
    );
  });
  return out;
}

/** ResourceValidationArgs for one inventory resource. */
export function toResourceArgs(
  r: InventoryResource,
  stackTags: ReadonlyMap<string, string> = new Map(),
  config: object = {},
): ResourceValidationArgs {
  return {
    type: r.type,
    props: r.inputs,
    urn: r.urn,
    name: r.name,
    opts: optionsOf(r),
    stackTags,
    isType: isTypeOf(r.type) as ResourceValidationArgs["isType"],
    asType: ((cls: unknown) =>
      isTypeOf(r.type)(cls) ? r.inputs : undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => config as T,
    notApplicable: throwNotApplicable,
  };
}
