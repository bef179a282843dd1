/**
 * Builds what @pulumi/policy hands a rule (ResourceValidationArgs, StackValidationArgs with
 * stackTags and notApplicable) and collects the reported violations. Off-type resources and
 * "not applicable" give no violations, as under the engine.
 */
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { type InventoryOptions, NotApplicable, throwNotApplicable } from "../inventory-args";

export interface ArgsOptions {
  name?: string;
  opts?: Partial<InventoryOptions>;
  stackTags?: Record<string, string>;
  config?: object;
  propertyDependencies?: Record<string, PolicyResource[]>;
}

const defaultOpts = (o: Partial<InventoryOptions> = {}): InventoryOptions => ({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  ...o,
});

const isTypeOf = (type: string) => (cls: unknown) =>
  (cls as { __pulumiType?: string }).__pulumiType === type;

export function resourceArgs(
  type: string,
  props: Record<string, unknown>,
  o: ArgsOptions = {},
): ResourceValidationArgs {
  const name = o.name ?? "subject";
  return {
    type,
    props,
    urn: `urn:pulumi:test::dezky::${type}::${name}`,
    name,
    opts: defaultOpts(o.opts),
    stackTags: new Map(Object.entries(o.stackTags ?? {})),
    isType: isTypeOf(type) as ResourceValidationArgs["isType"],
    asType: ((cls: unknown) =>
      isTypeOf(type)(cls) ? props : undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => (o.config ?? {}) as T,
    notApplicable: throwNotApplicable,
  };
}

export function policyResource(
  type: string,
  props: Record<string, unknown>,
  o: ArgsOptions = {},
): PolicyResource {
  const args = resourceArgs(type, props, o);
  return {
    type,
    props,
    urn: args.urn,
    name: args.name,
    opts: args.opts,
    dependencies: [],
    propertyDependencies: o.propertyDependencies ?? {},
    isType: args.isType,
    asType: args.asType,
  };
}

export function stackArgs(
  resources: PolicyResource[],
  stackTags: Record<string, string> = {},
  config: object = {},
): StackValidationArgs {
  return {
    resources,
    stackTags: new Map(Object.entries(stackTags)),
    getConfig: <T extends object>() => config as T,
    notApplicable: throwNotApplicable,
  };
}

/** Messages a resource policy reports for these args. */
export async function resourceViolations(
  policy: ResourceValidationPolicy,
  args: ResourceValidationArgs,
): Promise<string[]> {
  const messages: string[] = [];
  try {
    for (const validate of [policy.validateResource ?? []].flat())
      await validate(args, (m) => messages.push(m));
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
  }
  return messages;
}

/** Messages a stack policy reports for these args. */
export async function stackViolations(
  policy: StackValidationPolicy,
  args: StackValidationArgs,
): Promise<string[]> {
  const messages: string[] = [];
  try {
    await policy.validateStack(args, (m) => messages.push(m));
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
  }
  return messages;
}
