/**
 * For tests only (never imported by the program or the host): every resource type's provider
 * instance in this process, configured with a connection as the host would be, timing made
 * fast the one way timing is set (DEZKY_PROVIDER_TIMING), and the engine's call order.
 */
import { TypeRuntime, type TypeSpec } from "./core/contract";
import { FAST_TIMING, TIMING_ENV, type Timing } from "./core/timing";
import { forgetBearers } from "./ocis/auth";
import { applicationType } from "./authentik/application.runtime";
import { authentikGroupType } from "./authentik/group.runtime";
import { oauth2ProviderType } from "./authentik/oauth2-provider.runtime";
import { ocisGroupType } from "./ocis/group.runtime";
import { spaceMemberType } from "./ocis/space-member.runtime";
import { spaceType } from "./ocis/space.runtime";
import { readinessType } from "./readiness/readiness.runtime";
import { firewallType } from "./robot/firewall.runtime";
import { rdnsType } from "./robot/rdns.runtime";
import { bucketType } from "./s3/bucket.runtime";
import { mailDomainType } from "./stalwart/mail-domain.runtime";
import { mailRecordsType } from "./stalwart/mail-records.runtime";
import { serverSettingsType } from "./stalwart/server-settings.runtime";
import { serviceAccountType } from "./stalwart/service-account.runtime";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SPECS: Record<string, TypeSpec<any, any, any>> = Object.fromEntries(
  [
    readinessType,
    authentikGroupType,
    oauth2ProviderType,
    applicationType,
    ocisGroupType,
    spaceType,
    spaceMemberType,
    mailDomainType,
    mailRecordsType,
    serverSettingsType,
    serviceAccountType,
    bucketType,
    firewallType,
    rdnsType,
  ].map((s) => [s.type, s]),
);

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A provider instance as the engine calls it (untyped props in and out). */
export interface Ops {
  check(
    olds: object,
    news: object,
  ): Promise<{ inputs: any; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: object,
    news: object,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: object): Promise<{ id: string; outs: any }>;
  read(id: string, props: object): Promise<{ id: string; props: any }>;
  update(id: string, olds: object, news: object): Promise<{ outs: any }>;
  delete(id: string, props: object): Promise<void>;
  configure(req: { config: { get(key: string): unknown } }): Promise<void>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A fresh instance of `type` (a new run: empty cache) using `connection`. */
export function providerFor(type: string, connection?: unknown, service?: string): Ops {
  const spec = SPECS[type];
  if (!spec) throw new Error(`no resource type ${type}`);
  const ops = new TypeRuntime(spec);
  if (connection !== undefined) ops.useConnection(service ?? spec.service ?? "none", connection);
  return ops as unknown as Ops;
}

/** Sets fast timing (plus `extra`) for this process and its children; returns the undo. */
export function useFastTiming(extra: Partial<Timing> = {}): () => void {
  const before = process.env[TIMING_ENV];
  process.env[TIMING_ENV] = JSON.stringify({ ...FAST_TIMING, ...extra });
  return () => {
    if (before === undefined) delete process.env[TIMING_ENV];
    else process.env[TIMING_ENV] = before;
  };
}

/** Forgets what a run remembers across instances (minted OCIS bearers). */
export function newRun(): void {
  forgetBearers();
}

/** check + create, failing on check failures (as the engine does). */
export async function create(ops: Ops, inputs: object) {
  const checked = await ops.check({}, inputs);
  if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
  return ops.create(checked.inputs);
}

/** check + diff + update, as the engine does for a changed resource. */
export async function update(ops: Ops, id: string, olds: object, news: object) {
  const checked = await ops.check(olds, news);
  if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
  const diff = await ops.diff(id, olds, checked.inputs);
  if (!diff.changes) return { outs: olds, diff };
  if (diff.replaces?.length) throw new Error(`unexpected replace of ${diff.replaces.join(", ")}`);
  const result = await ops.update(id, olds, checked.inputs);
  return { outs: result.outs, diff };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = Record<string, any>;

export interface Routed {
  check(
    olds: Loose,
    news: Loose,
  ): Promise<{ inputs: Loose; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: Loose,
    news: Loose,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Loose): Promise<{ id: string; outs: Loose }>;
  read(id: string, props: Loose): Promise<{ id: string; props: Loose }>;
  update(id: string, olds: Loose, news: Loose): Promise<{ outs: Loose }>;
  delete(id: string, props: Loose): Promise<void>;
}

export interface RouteOptions {
  /** Timing for calls whose props carry `timeouts` (older test shapes). */
  timing?: (timeouts: Loose | undefined) => Partial<Timing> | undefined;
  /** Splits a connection into the provider's part and inputs (e.g. an S3 bucket's region). */
  split?: (connection: Loose) => { connection: unknown; inputs: Loose };
}

/**
 * Tests written when each object carried its connection (and timeouts) as inputs stay
 * readable with this: it takes `connection` and `timeouts` off every call, runs the instance
 * configured with that connection (as the host configures one from the ApiConnection), with
 * that timing, and puts the connection back on what it returns. The provider never sees them.
 */
export function routed(type: string, options: RouteOptions = {}): Routed {
  const instances = new Map<string, Ops>();
  const split = (props: Loose | undefined, fallback?: Loose) => {
    const { connection: given, timeouts: t, http, pollMs, ...rest } = props ?? {};
    // Older tests tuned timing per resource: `timeouts` (Stalwart), `http` and `pollMs` (Robot).
    const timeouts =
      t || http || pollMs !== undefined
        ? { ...t, ...http, ...(pollMs !== undefined ? { pollMs } : {}) }
        : undefined;
    const connection = given ?? fallback?.connection;
    const parts = connection && options.split ? options.split(connection) : undefined;
    return {
      rest: parts && props && Object.keys(props).length ? { ...parts.inputs, ...rest } : rest,
      connection,
      provider: parts ? parts.connection : connection,
      timeouts: timeouts ?? fallback?.timeouts,
    };
  };
  const opsFor = (connection: unknown): Ops => {
    const key = JSON.stringify(connection ?? null);
    let ops = instances.get(key);
    if (!ops) instances.set(key, (ops = providerFor(type, connection)));
    return ops;
  };
  const timed = async <T>(timeouts: Loose | undefined, run: () => Promise<T>): Promise<T> => {
    const t = options.timing?.(timeouts);
    const restore = t ? useFastTiming(t) : undefined;
    try {
      return await run();
    } finally {
      restore?.();
    }
  };
  const back = (c: { connection?: unknown; timeouts?: unknown }, o: Loose) =>
    o && Object.keys(o).length
      ? { ...o, connection: c.connection, ...(c.timeouts ? { timeouts: c.timeouts } : {}) }
      : o;
  return {
    async check(olds, news) {
      const n = split(news);
      const r = await opsFor(n.provider).check(split(olds).rest, n.rest);
      return { ...r, inputs: back(n, r.inputs) };
    },
    async diff(id, olds, news) {
      const n = split(news, olds);
      return opsFor(n.provider).diff(id, split(olds).rest, n.rest);
    },
    async create(inputs) {
      const n = split(inputs);
      const r = await timed(n.timeouts, () => opsFor(n.provider).create(n.rest));
      return { id: r.id, outs: back(n, r.outs) };
    },
    async read(id, props) {
      const n = split(props);
      const r = await timed(n.timeouts, () => opsFor(n.provider).read(id, n.rest));
      return { id: r.id, props: back(n, r.props) };
    },
    async update(id, olds, news) {
      const n = split(news, olds);
      const r = await timed(n.timeouts, () =>
        opsFor(n.provider).update(id, split(olds).rest, n.rest),
      );
      return { outs: back(n, r.outs) };
    },
    async delete(id, props) {
      const n = split(props);
      await timed(n.timeouts, () => opsFor(n.provider).delete(id, n.rest));
    },
  };
}
