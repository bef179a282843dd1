/**
 * The benchmark's floor: the program's registrations recorded (type, name, resolved inputs with
 * their secrecy, options with parent/dependsOn/provider references as indices) and replayed as
 * raw CustomResource / ComponentResource / ProviderResource with no program logic. Encoding and
 * decoding of values are pure; recording and replaying need a Pulumi runtime (mocks).
 */
import * as pulumi from "@pulumi/pulumi";
import { registerStackTransformation } from "@pulumi/pulumi/runtime/stack";

/** A JSON value with secrets, resource references and assets tagged. */
export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

export const SECRET_TAG = "__benchSecret";
export const REF_TAG = "__benchRef";
export const ASSET_TAG = "__benchAsset";
/** A long string stored once in Recording.strings (serialized dynamic providers repeat). */
export const STRING_TAG = "__benchString";
/** A top-level input key the program passed as undefined (the SDK still makes an output of it). */
export const UNDEFINED_TAG = "__benchUndefined";
/** Strings at least this long are interned. */
export const INTERN_MIN_LENGTH = 256;

export type RegistrationKind = "custom" | "component" | "provider";

export interface RecordedOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  version?: string;
  pluginDownloadURL?: string;
  customTimeouts?: pulumi.CustomTimeouts;
  /** Indices into the recording. */
  dependsOn?: number[];
  provider?: number;
  providers?: number[];
  deletedWith?: number;
}

export interface Registration {
  type: string;
  name: string;
  kind: RegistrationKind;
  /** Index of the parent registration; absent for children of the stack. */
  parent?: number;
  inputs: Record<string, Encoded>;
  opts: RecordedOptions;
}

export interface Recording {
  stack: string;
  registrations: Registration[];
  /** Interned long strings, referenced as { __benchString: index }. */
  strings: string[];
}

/** Interns long strings so each distinct one is written (and replayed) once. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  encode(value: string): Encoded {
    if (value.length < INTERN_MIN_LENGTH) return value;
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.strings.push(value) - 1;
      this.index.set(value, i);
    }
    return { [STRING_TAG]: i };
  }
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** Looks a resource up; undefined for resources outside the recording (the stack). */
export type ResourceIndex = (r: pulumi.Resource) => number | undefined;

/** Resolves a value deeply and tags what JSON cannot say (secrets, references, assets). */
export async function encodeValue(
  value: unknown,
  index: ResourceIndex,
  table: StringTable = new StringTable(),
): Promise<Encoded | undefined> {
  if (value === undefined) return undefined;
  if (typeof value === "string") return table.encode(value);
  if (pulumi.Output.isInstance(value)) {
    const out = value as pulumi.Output<unknown> & {
      isSecret: Promise<boolean>;
      promise(): Promise<unknown>;
    };
    const [inner, isSecret] = await Promise.all([out.promise(), out.isSecret]);
    const encoded = await encodeValue(inner, index, table);
    return isSecret ? { [SECRET_TAG]: encoded ?? null } : encoded;
  }
  if (value instanceof Promise) return encodeValue(await value, index, table);
  if (pulumi.Resource.isInstance(value)) {
    const i = index(value);
    return i === undefined ? null : { [REF_TAG]: i };
  }
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
    return { [ASSET_TAG]: await encodeAsset(value) };
  }
  if (Array.isArray(value)) {
    const items = await Promise.all((value as unknown[]).map((v) => encodeValue(v, index, table)));
    return items.map((v) => v ?? null);
  }
  if (value && typeof value === "object") {
    const out: Record<string, Encoded> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const e = await encodeValue(v, index, table);
      if (e !== undefined) out[k] = e;
    }
    return out;
  }
  return value as Encoded;
}

async function encodeAsset(value: unknown): Promise<Encoded> {
  const a = value as Record<string, unknown>;
  for (const kind of ["text", "path", "uri"] as const) {
    if (a[kind] !== undefined) {
      const archive = pulumi.asset.Archive.isInstance(value);
      return { kind: `${archive ? "archive" : "asset"}:${kind}`, value: String(await a[kind]) };
    }
  }
  return { kind: "asset:text", value: "" };
}

function decodeAsset(e: { kind: string; value: string }): unknown {
  switch (e.kind) {
    case "asset:path":
      return new pulumi.asset.FileAsset(e.value);
    case "asset:uri":
      return new pulumi.asset.RemoteAsset(e.value);
    case "archive:path":
      return new pulumi.asset.FileArchive(e.value);
    case "archive:uri":
      return new pulumi.asset.RemoteArchive(e.value);
    default:
      return new pulumi.asset.StringAsset(e.value);
  }
}

/** Turns an encoded value back into program values: secrets, resources and assets restored. */
export function decodeValue(
  value: Encoded,
  resources: readonly pulumi.Resource[],
  strings: readonly string[] = [],
): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeValue(v, resources, strings));
  if (value && typeof value === "object") {
    if (STRING_TAG in value) return strings[value[STRING_TAG] as number];
    if (UNDEFINED_TAG in value) return undefined;
    if (SECRET_TAG in value) {
      return pulumi.secret(decodeValue(value[SECRET_TAG], resources, strings));
    }
    if (REF_TAG in value) return resources[value[REF_TAG] as number];
    if (ASSET_TAG in value) return decodeAsset(value[ASSET_TAG] as { kind: string; value: string });
    const out: Record<string, unknown> = {};
    // Keys stay even when undefined: the SDK registers an output per key of the props.
    for (const [k, v] of Object.entries(value)) out[k] = decodeValue(v, resources, strings);
    return out;
  }
  return value;
}

/**
 * Transformations run inside Resource's constructor, before CustomResource sets the flag that
 * CustomResource.isInstance reads, so the prototype chain is what tells custom from component.
 */
function kindOf(type: string, resource: pulumi.Resource): RegistrationKind {
  if (type.startsWith(PROVIDER_PREFIX)) return "provider";
  return resource instanceof pulumi.CustomResource ? "custom" : "component";
}

function refList(value: unknown, index: ResourceIndex): number[] | undefined {
  if (!value) return undefined;
  const list = (Array.isArray(value) ? value : Object.values(value as object)) as unknown[];
  const refs = list
    .filter((r): r is pulumi.Resource => pulumi.Resource.isInstance(r))
    .map(index)
    .filter((i): i is number => i !== undefined);
  return refs.length ? refs : undefined;
}

interface PendingRegistration {
  registration: Omit<Registration, "inputs" | "opts">;
  props: Record<string, unknown>;
  opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions;
}

/**
 * Starts recording every registration of the running program (call inside runInPulumiStack,
 * before the program). `finish()` resolves all inputs once the program is done.
 */
export function startRecording(stack: string): { finish(): Promise<Recording> } {
  const indices = new Map<pulumi.Resource, number>();
  const pending: PendingRegistration[] = [];
  const index: ResourceIndex = (r) => indices.get(r);
  registerStackTransformation((args) => {
    const parent = args.opts.parent ? index(args.opts.parent) : undefined;
    indices.set(args.resource, pending.length);
    pending.push({
      registration: {
        type: args.type,
        name: args.name,
        kind: kindOf(args.type, args.resource),
        ...(parent === undefined ? {} : { parent }),
      },
      props: args.props as Record<string, unknown>,
      opts: args.opts as PendingRegistration["opts"],
    });
    return undefined;
  });
  return {
    async finish() {
      const registrations: Registration[] = [];
      const table = new StringTable();
      for (const p of pending) {
        const inputs: Record<string, Encoded> = {};
        for (const [key, value] of Object.entries(p.props)) {
          inputs[key] = (await encodeValue(value, index, table)) ?? { [UNDEFINED_TAG]: true };
        }
        registrations.push({ ...p.registration, inputs, opts: await encodeOptions(p.opts, index) });
      }
      return { stack, registrations, strings: table.strings };
    },
  };
}

async function encodeOptions(
  opts: PendingRegistration["opts"],
  index: ResourceIndex,
): Promise<RecordedOptions> {
  const o: RecordedOptions = {};
  if (opts.protect) o.protect = true;
  if (opts.retainOnDelete) o.retainOnDelete = true;
  if (opts.ignoreChanges?.length) o.ignoreChanges = opts.ignoreChanges;
  if (opts.replaceOnChanges?.length) o.replaceOnChanges = opts.replaceOnChanges;
  if (opts.deleteBeforeReplace) o.deleteBeforeReplace = true;
  if (opts.additionalSecretOutputs?.length)
    o.additionalSecretOutputs = opts.additionalSecretOutputs;
  if (opts.version) o.version = opts.version;
  if (opts.pluginDownloadURL) o.pluginDownloadURL = opts.pluginDownloadURL;
  if (opts.customTimeouts) o.customTimeouts = opts.customTimeouts;
  const dependsOn = refList(await resolveDependsOn(opts.dependsOn), index);
  if (dependsOn) o.dependsOn = dependsOn;
  const provider = opts.provider ? index(opts.provider) : undefined;
  if (provider !== undefined) o.provider = provider;
  const providers = refList(opts.providers, index);
  if (providers) o.providers = providers;
  const deletedWith = opts.deletedWith ? index(opts.deletedWith) : undefined;
  if (deletedWith !== undefined) o.deletedWith = deletedWith;
  return o;
}

async function resolveDependsOn(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return (value as unknown as { promise(): Promise<unknown> }).promise();
  }
  return value instanceof Promise ? await value : value;
}

/** Resource options of a registration, with indices turned back into replayed resources. */
export function decodeOptions(
  r: Registration,
  resources: readonly pulumi.Resource[],
): pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions {
  const { dependsOn, provider, providers, deletedWith, ...plain } = r.opts;
  return {
    ...plain,
    ...(r.parent === undefined ? {} : { parent: resources[r.parent] }),
    ...(dependsOn ? { dependsOn: dependsOn.map((i) => resources[i]) } : {}),
    ...(provider === undefined ? {} : { provider: resources[provider] as pulumi.ProviderResource }),
    ...(providers
      ? { providers: providers.map((i) => resources[i] as pulumi.ProviderResource) }
      : {}),
    ...(deletedWith === undefined ? {} : { deletedWith: resources[deletedWith] }),
  };
}

// Concrete classes for the three kinds (the SDK's base classes are abstract in TypeScript);
// the type token comes from the recording, so the engine sees the same registration.
class RawCustom extends pulumi.CustomResource {}
class RawProvider extends pulumi.ProviderResource {}
class RawComponent extends pulumi.ComponentResource {
  done(): void {
    this.registerOutputs({});
  }
}

/** Registers every recorded resource again, in order, as raw resources (call inside a stack). */
export function replay(recording: Recording): pulumi.Resource[] {
  const resources: pulumi.Resource[] = [];
  for (const r of recording.registrations) {
    const inputs = decodeValue(r.inputs, resources, recording.strings) as pulumi.Inputs;
    const opts = decodeOptions(r, resources);
    let resource: pulumi.Resource;
    if (r.kind === "provider") {
      resource = new RawProvider(r.type.slice(PROVIDER_PREFIX.length), r.name, inputs, opts);
    } else if (r.kind === "custom") {
      resource = new RawCustom(r.type, r.name, inputs, opts);
    } else {
      const component = new RawComponent(r.type, r.name, inputs, opts);
      component.done();
      resource = component;
    }
    resources.push(resource);
  }
  return resources;
}
