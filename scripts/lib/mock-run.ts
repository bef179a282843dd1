/**
 * Runs the real program for one stack under Pulumi's mock runtime and returns the inventory of
 * registered resources with their options. The mock callbacks never see options (protect,
 * retainOnDelete, dependsOn, parent), so a stack transformation records them while the program
 * runs inside runInPulumiStack. One run per process: Pulumi's runtime state is global.
 */
import * as pulumi from "@pulumi/pulumi";
import { registerStackTransformation, runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { type ProgramOptions, program } from "../../stacks/program";
import { mockState } from "./mock-outputs";

export const SECRET = "[secret]";

export interface InventoryResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent; undefined for children of the stack. */
  parent?: string;
  /** Inputs with every secret value replaced by "[secret]". */
  inputs: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
  /** URNs of explicit dependsOn. */
  dependsOn: string[];
  /** URN of the explicit provider resource the resource is registered with, if any. */
  provider?: string;
  custom: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  additionalSecretOutputs: string[];
  /** Top-level input keys whose values are (or contain) secrets. */
  secretInputs: string[];
  /** Per input key, the URNs of the resources its value came from (as the engine records). */
  propertyDependencies: Record<string, string[]>;
  /** Outputs beyond the inputs, from the mock state (declared secret outputs masked). */
  outputs: Record<string, unknown>;
}

export interface Inventory {
  stack: string;
  project: string;
  resources: InventoryResource[];
  /** Stack outputs with secrets masked. */
  outputs: Record<string, unknown>;
}

export interface MockRunOptions extends ProgramOptions {
  /** Extra or replacement stack config (`ns:key` -> value). */
  config?: Record<string, string>;
  /** Invoke tokens the program may call, with their results. Anything else throws. */
  invokes?: Record<string, (args: Record<string, unknown>) => Record<string, unknown>>;
  /**
   * Sees every resource's raw inputs as the engine would receive them (secrets unmasked), for
   * tests that must look inside a secret object, e.g. the pinned hostKey of an SSH connection.
   */
  onNewResource?: (type: string, name: string, inputs: Record<string, unknown>) => void;
}

/** Fake values for the secret stack config, so the program runs without credentials. */
export const MOCK_SECRET_CONFIG: Record<string, string> = {
  "hcloud:token": "mock-hcloud-token-0000000000000000000000000000000000000000000000000000",
  "dezky:s3AccessKey": "MOCKACCESSKEY0000000",
  "dezky:s3SecretKey": "mock-s3-secret-key-0000000000000000000000",
  "dezky:sshPrivateKey":
    "-----BEGIN OPENSSH PRIVATE KEY-----\nmock\n-----END OPENSSH PRIVATE KEY-----\n",
  "dezky:robotUser": "mock-robot-user",
  "dezky:robotPassword": "mock-robot-password",
  "dezky:stripeSecretKey": "sk_test_mock0000000000000000",
  "dezky:stripeWebhookSecret": "whsec_mock000000000000000000",
  "dezky:alertPingUrl": "https://hc-ping.invalid/mock-ping-key-000000",
  "dezky:hcloudDrToken": "mock-hcloud-dr-token-00000000000000000000000000000000000000000000000",
};

interface Pending {
  record: Omit<InventoryResource, "inputs" | "secretInputs" | "propertyDependencies" | "outputs">;
  props: Record<string, unknown>;
}

/** Resolves a value deeply; secrets become "[secret]" and their top-level key is noted. */
async function unwrap(
  value: unknown,
  deps?: Set<pulumi.Resource>,
): Promise<{ value: unknown; secret: boolean }> {
  if (pulumi.Output.isInstance(value)) {
    const out = value as pulumi.Output<unknown> & {
      isSecret: Promise<boolean>;
      promise(): Promise<unknown>;
      allResources?: () => Promise<Set<pulumi.Resource>>;
    };
    const [inner, isSecret, resources] = await Promise.all([
      out.promise(),
      out.isSecret,
      out.allResources?.() ?? Promise.resolve(new Set<pulumi.Resource>()),
    ]);
    // The resources an input came from: what the engine calls propertyDependencies.
    for (const r of resources) deps?.add(r);
    if (isSecret) return { value: SECRET, secret: true };
    return unwrap(inner, deps);
  }
  if (value instanceof Promise) return unwrap(await value, deps);
  if (pulumi.Resource.isInstance(value)) return { value: "[resource]", secret: false };
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map((v) => unwrap(v, deps)));
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value && typeof value === "object" && !(value instanceof Buffer)) {
    if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
      return { value: "[asset]", secret: false };
    }
    const entries = await Promise.all(
      Object.entries(value as Record<string, unknown>).map(
        async ([k, v]) => [k, await unwrap(v, deps)] as const,
      ),
    );
    return {
      value: Object.fromEntries(
        entries.filter(([, v]) => v.value !== undefined).map(([k, v]) => [k, v.value]),
      ),
      secret: entries.some(([, v]) => v.secret),
    };
  }
  return { value, secret: false };
}

/**
 * The outputs a resource adds beyond its inputs (what stack policies see after `up`); declared
 * secret outputs are masked.
 */
function outputsOnly(
  state: Record<string, unknown> | undefined,
  inputs: Record<string, unknown>,
  secretOutputs: string[],
): Record<string, unknown> {
  if (!state) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    if (key in inputs || key === "__provider" || value === undefined) continue;
    out[key] = secretOutputs.includes(key) ? SECRET : value;
  }
  return out;
}

function dependsOnList(value: unknown): pulumi.Resource[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((r): r is pulumi.Resource => pulumi.Resource.isInstance(r));
}

/** Runs the program for `stack` under mocks and returns its inventory. */
export async function runStackUnderMocks(
  stack: string,
  options: MockRunOptions = {},
): Promise<Inventory> {
  const project = "dezky";
  const config = { ...MOCK_SECRET_CONFIG, ...options.config };
  // What each custom resource "returned" (mock state), for its outputs in the inventory.
  const states = new Map<string, Record<string, unknown>>();
  pulumi.runtime.setAllConfig(config, Object.keys(MOCK_SECRET_CONFIG));
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        options.onNewResource?.(args.type, args.name, args.inputs as Record<string, unknown>);
        const result = mockState(args.type, args.name, args.inputs as Record<string, unknown>);
        states.set(`${args.type}::${args.name}`, result.state);
        return result;
      },
      call: (args) => {
        const handler = options.invokes?.[args.token];
        if (!handler) throw new Error(`the mock runtime has no answer for invoke ${args.token}`);
        return handler(args.inputs as Record<string, unknown>);
      },
    },
    project,
    stack,
    false,
  );

  const urns = new Map<pulumi.Resource, { urn: string; chain: string }>();
  const pending: Pending[] = [];
  // The program's own return value keeps its Outputs (and their secret flags); the stack's
  // resolved outputs would come back as plain values with secrets already unwrapped.
  let programOutputs: Record<string, unknown> | undefined;
  const outputs = await runInPulumiStack(async () => {
    registerStackTransformation((args) => {
      const parentInfo = args.opts.parent ? urns.get(args.opts.parent) : undefined;
      const chain = parentInfo ? `${parentInfo.chain}$${args.type}` : args.type;
      const urn = `urn:pulumi:${stack}::${project}::${chain}::${args.name}`;
      urns.set(args.resource, { urn, chain });
      const opts = args.opts as pulumi.CustomResourceOptions;
      pending.push({
        record: {
          urn,
          type: args.type,
          name: args.name,
          parent: parentInfo?.urn,
          protect: Boolean(args.opts.protect),
          retainOnDelete: Boolean(args.opts.retainOnDelete),
          dependsOn: [], // resolved below, once every resource has its URN
          // instanceof, not isInstance: the brand is set only after the transformation runs.
          custom: args.resource instanceof pulumi.CustomResource,
          ignoreChanges: args.opts.ignoreChanges ?? [],
          deleteBeforeReplace: Boolean(opts.deleteBeforeReplace),
          additionalSecretOutputs: opts.additionalSecretOutputs ?? [],
          ...(opts.provider && urns.get(opts.provider)
            ? { provider: urns.get(opts.provider)!.urn }
            : {}),
        },
        props: { ...(args.props as Record<string, unknown>), __dependsOn: args.opts.dependsOn },
      });
      return undefined;
    });
    programOutputs = await program(stack, options);
    return programOutputs;
  });

  const resources: InventoryResource[] = [];
  for (const { record, props } of pending) {
    const { __dependsOn, ...inputs } = props;
    const deps = await unwrap(__dependsOn).then(() => __dependsOn);
    const resolvedDeps = dependsOnList(pulumi.Output.isInstance(deps) ? undefined : deps);
    const secretInputs: string[] = [];
    const masked: Record<string, unknown> = {};
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(inputs)) {
      const deps = new Set<pulumi.Resource>();
      const result = await unwrap(value, deps);
      if (result.secret) secretInputs.push(key);
      if (result.value !== undefined) masked[key] = result.value;
      const depUrns = [...deps].map((r) => urns.get(r)?.urn).filter((u): u is string => !!u);
      if (depUrns.length > 0) propertyDependencies[key] = depUrns;
    }
    resources.push({
      ...record,
      dependsOn: resolvedDeps.map((r) => urns.get(r)?.urn ?? "[unregistered]"),
      inputs: masked,
      secretInputs,
      propertyDependencies,
      outputs: outputsOnly(
        states.get(`${record.type}::${record.name}`),
        masked,
        record.additionalSecretOutputs,
      ),
    });
  }
  const maskedOutputs = (await unwrap(programOutputs ?? outputs ?? {})).value as Record<
    string,
    unknown
  >;
  return { stack, project, resources, outputs: maskedOutputs };
}
