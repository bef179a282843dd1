/**
 * The contract every dynamic resource type follows, written once. A type declares its input
 * schema, which inputs update it in place and which replace it, how older state maps to its
 * current shape, and the four calls; this module turns that into the provider the engine
 * calls:
 * - `check` validates the inputs against the one schema (values unknown during a preview are
 *   left alone) and returns them normalised;
 * - `diff` compares the declared fields only (plus drift or due work the type reads from its
 *   recorded outputs, locally). Credentials are no input at all: they come from the provider's
 *   configuration (core/connection.ts), so re-minting or rotating one never updates or
 *   replaces anything. State written by an older version is updated once, in place, so the
 *   installed code's shape replaces the old one;
 * - `create`, `read`, `update`, `delete` get the connection and a per-run cache; outputs never
 *   carry `undefined` (the dynamic-provider host rejects it: "Unexpected struct type").
 */
import type { z } from "zod";
import { resolveConnection, type Configured, readConfigure } from "./connection";

/** The engine's placeholder for a value not known yet (during a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Keys older versions kept in the state: connections and timing, now neither is an input. */
export const LEGACY_KEYS = ["connection", "http", "timeouts", "pollMs"];

export type Props = Record<string, unknown>;

/** What every operation gets. */
export interface Op<C> {
  /** The service connection from the provider configuration (throws a clear error if absent). */
  readonly connection: C;
  /** Per-run cache (one provider process serves one run): lookups made once, not per tenant. */
  readonly cache: Map<string, unknown>;
}

export interface Failure {
  property: string;
  reason: string;
}

export interface TypeSpec<I extends object, O extends object, C> {
  /** `<module>:<Type>`, e.g. "ocis:Space" (the resource type is pulumi-nodejs:dynamic/<module>:<Type>). */
  type: string;
  /** The connection it needs; undefined for types that call nothing that needs one. */
  service?: string;
  /** The inputs, validated and normalised in check. */
  schema: z.ZodObject<z.ZodRawShape>;
  /** Puts valid inputs in one canonical form (e.g. sorted lists), after the schema. */
  normalize?(inputs: I): I;
  /** Checks across fields, after the schema. */
  validate?(inputs: I): Failure[];
  /**
   * Inputs whose change is applied in place. Never `adopt`: it is read only when an object is
   * created (to take over one that exists), so changing it later changes nothing.
   */
  updates: readonly string[];
  /** Inputs whose change needs a new object. */
  replaces?: readonly string[];
  /** Whether a replacement deletes the old object first (a name that must stay unique). */
  deleteBeforeReplace?: boolean | ((replaces: string[]) => boolean);
  /**
   * Further changes the recorded outputs show (drift seen by a refresh, work that is due by
   * the clock). Local: no call to any service.
   */
  pending?(olds: O, news: I, now: Date): string[];
  /** Keys older versions of this type stored that this one no longer writes (besides LEGACY_KEYS). */
  legacy?: readonly string[];
  /**
   * Outputs written by an older version, in this version's shape. It sees them whole (legacy
   * keys included); the legacy keys are dropped after it.
   */
  upgrade?(props: Props): Props;
  create(op: Op<C>, inputs: I): Promise<{ id: string; outs: O }>;
  /** undefined: the object is gone (refresh drops it). */
  read(op: Op<C>, id: string, props: O): Promise<O | undefined>;
  update(op: Op<C>, id: string, olds: O, news: I): Promise<O>;
  delete(op: Op<C>, id: string, props: O): Promise<void>;
}

/** True when a value is, or contains, the unknown placeholder. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Equal as stored (undefined and absent are the same); an unknown value is never equal. */
export function same(a: unknown, b: unknown): boolean {
  if (containsUnknown(a) || containsUnknown(b)) return false;
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Drops undefined (keys, and in arrays becomes null): what the host's Struct accepts. */
export function clean<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : clean(v))) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, clean(v)]),
    ) as T;
  }
  return value;
}

/** Whether outputs were written by an older version (they hold keys this one never writes). */
export function isLegacy(props: Props, extra: readonly string[] = []): boolean {
  return [...LEGACY_KEYS, ...extra].some((k) => k in props);
}

function withoutLegacy(props: Props, extra: readonly string[] = []): Props {
  const drop = new Set([...LEGACY_KEYS, ...extra]);
  return Object.fromEntries(Object.entries(props).filter(([k]) => !drop.has(k)));
}

/** Schema issues as check failures: `property` is the dotted path. */
function failuresOf(issues: readonly { path: PropertyKey[]; message: string }[]): Failure[] {
  return issues.map((i) => ({
    property: i.path.map(String).join(".") || "(inputs)",
    reason: i.message,
  }));
}

/** The provider the engine calls for one type, in one process (one run). */
export class TypeRuntime<I extends object, O extends object, C> {
  private configured?: Configured;
  readonly cache = new Map<string, unknown>();

  constructor(readonly spec: TypeSpec<I, O, C>) {}

  /** The dynamic-provider host passes the provider's configuration here, once per process. */
  async configure(req: { config: { get(key: string): unknown } }): Promise<void> {
    this.configured = readConfigure(req.config);
  }

  /** Sets the connection directly (tests in one process, several services). */
  useConnection(service: string, connection: unknown): this {
    this.configured = { service, connection };
    return this;
  }

  private op(props: Props): Op<C> {
    const spec = this.spec;
    const configured = this.configured;
    let connection: C | undefined;
    return {
      cache: this.cache,
      get connection(): C {
        connection ??= resolveConnection<C>(spec.type, spec.service, configured, props);
        return connection;
      },
    };
  }

  private upgrade(props: Props): O {
    const upgraded = this.spec.upgrade ? this.spec.upgrade(props) : props;
    return withoutLegacy(upgraded, this.spec.legacy) as O;
  }

  async check(_olds: Props, news: Props) {
    const known: Props = {};
    const unknown: Props = {};
    for (const [k, v] of Object.entries(news)) {
      if (k === "__provider") continue;
      (containsUnknown(v) ? unknown : known)[k] = v;
    }
    const mask = Object.fromEntries(Object.keys(unknown).map((k) => [k, true] as const));
    const schema = Object.keys(mask).length
      ? this.spec.schema.omit(mask as never)
      : this.spec.schema;
    const parsed = schema.safeParse(known);
    if (!parsed.success) {
      // The checks across fields too, as far as the raw values allow: one pass shows all.
      let more: Failure[] = [];
      try {
        more = this.spec.validate?.(known as I) ?? [];
      } catch {
        more = [];
      }
      return { inputs: news, failures: [...failuresOf(parsed.error.issues), ...more] };
    }
    if (Object.keys(unknown).length > 0) {
      return { inputs: clean({ ...(parsed.data as Props), ...unknown }), failures: [] };
    }
    let inputs = clean(parsed.data as Props) as unknown as I;
    if (this.spec.normalize) inputs = clean(this.spec.normalize(inputs));
    return { inputs, failures: this.spec.validate?.(inputs) ?? [] };
  }

  async diff(_id: string, olds: Props, news: Props) {
    const spec = this.spec;
    const legacy = isLegacy(olds, spec.legacy);
    const current = this.upgrade(olds);
    const old = current as Props;
    const replaces = (spec.replaces ?? []).filter((k) => !same(old[k], news[k]));
    const updates = spec.updates.filter((k) => !same(old[k], news[k]));
    const pending = containsUnknown(news)
      ? []
      : (spec.pending?.(current, news as I, new Date()) ?? []);
    return {
      changes: legacy || replaces.length + updates.length + pending.length > 0,
      replaces,
      deleteBeforeReplace:
        replaces.length > 0 &&
        (typeof spec.deleteBeforeReplace === "function"
          ? spec.deleteBeforeReplace(replaces)
          : (spec.deleteBeforeReplace ?? false)),
    };
  }

  async create(inputs: Props) {
    const { id, outs } = await this.spec.create(this.op(inputs), inputs as I);
    return { id, outs: clean(withoutLegacy(outs as Props, this.spec.legacy)) };
  }

  async read(id: string, props: Props) {
    const current = this.upgrade(props);
    const outs = await this.spec.read(this.op(props), id, current);
    if (!outs) return { id: "", props: {} };
    return { id, props: clean(withoutLegacy(outs as Props, this.spec.legacy)) };
  }

  async update(id: string, olds: Props, news: Props) {
    const outs = await this.spec.update(this.op(olds), id, this.upgrade(olds), news as I);
    return { outs: clean(withoutLegacy(outs as Props, this.spec.legacy)) };
  }

  async delete(id: string, props: Props) {
    await this.spec.delete(this.op(props), id, this.upgrade(props));
  }
}
