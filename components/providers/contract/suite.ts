/**
 * The provider contract (docs/providers.md), tested once: `runContract` is run against every
 * dynamic resource type of the package (`*.contract.test.ts`, one per service), each type
 * described by a `ContractCase`: how to start what it talks to, valid and invalid inputs, a
 * change applied in place and one that replaces, how to make a foreign object with the same
 * natural key, how to remove the object behind the provider's back. What a type cannot have
 * (a read-only type has no foreign object) is left out with the reason.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultMatch, FaultServer } from "../../../test/simulators/fault-server";
import { runSerialized } from "../../../test/support/run-serialized";
import type { ServiceName } from "../core/api-connection";
import { create, providerFor, useFastTiming, type Ops } from "../test-kit";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Props = Record<string, any>;

/** A case that cannot apply to a type must say why; the reason is the test's name and check. */
function notApplicable(what: string, reason: string | undefined): void {
  it(`${what}: not applicable (${reason ?? "no reason given"})`, () => {
    expect(reason, `a case without "${what}" says why in notApplicable`).toBeTruthy();
  });
}

export interface World {
  /** The connection a run is configured with (the ApiConnection's configuration). */
  connection: unknown;
  /** One the server rejects, and what the error must name (the credential and where it lives). */
  rejected?: { connection: unknown; names: RegExp };
  /** Where faults are injected. */
  server: FaultServer;
  /** Valid inputs; `n` makes the natural key unique per test. */
  inputs(n: number): Promise<Props>;
  /** Objects the server holds with the natural key of these inputs (or 1 for "present"). */
  count(inputs: Props, id?: string): number;
  stop(): Promise<void>;
}

export interface ContractCase {
  /** `<module>:<Type>`. */
  type: string;
  service: ServiceName;
  /** The compiled resource class (relative to dist/) and its export, for the round trip. */
  module: string;
  exportName: string;
  start(): Promise<World>;
  invalid: { change: Props; property: string };
  /** A change of an input applied in place (the object keeps its id). */
  update?: (inputs: Props) => Props;
  /** A change that needs a new object, and the field the diff names. */
  replace?: { change: (inputs: Props) => Props; field: string };
  /** The request that writes the object on create (a lost response); undefined: none. */
  createCall?: FaultMatch | string;
  /** The request 429 and 5xx are injected on (default: createCall). */
  retryCall?: FaultMatch | string;
  /** Makes an object with the inputs' natural key that this program did not create. */
  foreign?: (world: World, inputs: Props) => Promise<void> | void;
  /**
   * Its outputs as an older version stored them (default: these outputs plus the connection
   * and timing older versions kept in every object).
   */
  legacy?: (outs: Props, world: World) => Props;
  /** Removes the object behind the provider's back (then read drops it, delete is done). */
  remove?: (world: World, id: string, outs: Props) => void;
  /** Why a behaviour does not apply, by name. */
  notApplicable?: Partial<Record<"lostResponse" | "foreign" | "remove" | "rejected", string>>;
}

export function runContract(c: ContractCase, getWorld: () => World): void {
  useFastTiming();
  let n = 0;
  const next = () => ++n + Math.floor(Math.random() * 1e6);
  const ops = (connection = getWorld().connection): Ops => providerFor(c.type, connection);
  const made = async (inputs: Props) => create(ops(), inputs);

  describe(`${c.type}: the provider contract`, () => {
    it("check validates the inputs from one schema and names the property", async () => {
      const valid = await getWorld().inputs(next());
      expect((await ops().check({}, valid)).failures).toEqual([]);
      const { failures } = await ops().check({}, { ...valid, ...c.invalid.change });
      expect(failures.map((f) => f.property)).toContain(c.invalid.property);
    });

    it("keeps connections and timing out of the inputs, so they can never cause a diff", async () => {
      const valid = await getWorld().inputs(next());
      const { inputs } = await ops().check(
        {},
        {
          ...valid,
          connection: { url: "https://x", token: "rotated" },
          http: { timeoutMs: 1 },
          timeouts: { requestMs: 1 },
        },
      );
      expect(Object.keys(inputs)).not.toEqual(expect.arrayContaining(["connection"]));
      for (const key of ["connection", "http", "timeouts"]) expect(inputs).not.toHaveProperty(key);
    });

    it("creates, reads back without drift, updates in place, and a changed adopt is no change", async () => {
      const inputs = (await ops().check({}, await getWorld().inputs(next()))).inputs;
      const { id, outs } = await ops().create(inputs);
      expect(id).toBeTruthy();
      const read = await ops().read(id, outs);
      expect(read.id).toBe(id);
      expect(await ops().diff(id, read.props, inputs)).toMatchObject({ changes: false });
      expect(await ops().diff(id, read.props, { ...inputs, adopt: !inputs.adopt })).toMatchObject({
        changes: false,
      });
      if (c.update) {
        const news = (await ops().check(inputs, c.update(inputs))).inputs;
        const diff = await ops().diff(id, read.props, news);
        expect(diff).toMatchObject({ changes: true, replaces: [] });
        const { outs: updated } = await ops().update(id, read.props, news);
        const again = await ops().read(id, updated);
        expect(await ops().diff(id, again.props, news)).toMatchObject({ changes: false });
      }
      if (c.replace) {
        const news = (await ops().check(inputs, c.replace.change(inputs))).inputs;
        expect((await ops().diff(id, read.props, news)).replaces).toContain(c.replace.field);
      }
      await ops().delete(id, read.props);
    });

    it("updates state an older version wrote once, in place, and reads it", async () => {
      const inputs = (await ops().check({}, await getWorld().inputs(next()))).inputs;
      const { id, outs } = await ops().create(inputs);
      const legacy = c.legacy
        ? c.legacy(outs, getWorld())
        : { ...outs, connection: getWorld().connection, http: { timeoutMs: 5 } };
      expect(await ops().diff(id, legacy, inputs)).toMatchObject({ changes: true, replaces: [] });
      // Served by the default provider until that update: its own connection is used.
      const unconfigured = providerFor(c.type);
      const read = await unconfigured.read(id, legacy);
      expect(read.id).toBe(id);
      const { outs: migrated } = await ops().update(id, legacy, inputs);
      for (const key of ["connection", "http"]) expect(migrated).not.toHaveProperty(key);
      expect(await ops().diff(id, migrated, inputs)).toMatchObject({ changes: false });
      await ops().delete(id, migrated);
    });

    if (c.remove) {
      it("read drops an object removed behind its back; delete treats it as done", async () => {
        const { id, outs } = await made(await getWorld().inputs(next()));
        c.remove!(getWorld(), id, outs);
        expect(await ops().read(id, outs)).toEqual({ id: "", props: {} });
        await ops().delete(id, outs);
      });
    } else {
      notApplicable("remove", c.notApplicable?.remove);
    }

    if (c.createCall) {
      it("a lost create response leaves exactly one object, adopted by the retry", async () => {
        const inputs = await getWorld().inputs(next());
        getWorld().server.inject({ kind: "lose-response" }, matcher(c.createCall!));
        const { id } = await made(inputs);
        expect(getWorld().server.pendingFaults(), "the response was lost").toBe(0);
        expect(getWorld().count(inputs, id)).toBe(1);
      });
    } else {
      notApplicable("lost response", c.notApplicable?.lostResponse);
    }

    it("retries 429 (Retry-After) and 5xx", async () => {
      const call = c.retryCall ?? c.createCall;
      expect(call, "a call to inject 429 and 5xx on").toBeDefined();
      const inputs = await getWorld().inputs(next());
      const w = getWorld();
      w.server.inject({ kind: "status", status: 429, retryAfter: "0" }, matcher(call!));
      w.server.inject({ kind: "status", status: 503 }, matcher(call!));
      const { id } = await made(inputs);
      expect(w.server.pendingFaults(), "the 429 and the 503 were answered").toBe(0);
      expect(w.count(inputs, id)).toBe(1);
    });

    if (c.foreign) {
      it("refuses a foreign object with its natural key unless adopt: true", async () => {
        const inputs = await getWorld().inputs(next());
        await c.foreign!(getWorld(), inputs);
        await expect(made(inputs)).rejects.toThrow(/not created by this|adopt/);
        const { id } = await made({ ...inputs, adopt: true });
        expect(getWorld().count(inputs, id)).toBe(1);
      });
    } else {
      notApplicable("foreign object", c.notApplicable?.foreign);
    }

    it("a rejected credential names it and where it lives", async () => {
      const rejected = getWorld().rejected;
      if (!rejected) return expect(c.notApplicable?.rejected).toBeTruthy();
      const inputs = await getWorld().inputs(next());
      await expect(create(ops(rejected.connection), inputs)).rejects.toThrow(rejected.names);
    });

    it("runs create, read and delete through the stored stub under plain Node", async () => {
      const w = getWorld();
      const inputs = await w.inputs(next());
      const run = await runSerialized({
        module: c.module,
        exportName: c.exportName,
        name: `contract-${c.type.replace(/\W/g, "-")}`,
        service: c.service,
        connection: w.connection,
        inputs,
      });
      expect(run.results.error).toBeUndefined();
      const created = run.results.create as { id: string };
      expect((run.results.read as { id: string }).id).toBe(created.id);
      expect(run.results.delete).toBe("ok");
      expect(run.providerLength).toBeLessThanOrEqual(2048);
      for (const secret of secretsOf(w.connection)) expect(run.provider).not.toContain(secret);
    });
  });
}

function matcher(m: FaultMatch | string): FaultMatch {
  return typeof m === "string" ? { path: m } : m;
}

/** The credential values in a connection (never to be found in stored code). */
function secretsOf(connection: unknown): string[] {
  return Object.entries((connection ?? {}) as Props)
    .filter(([k, v]) => /password|token|secret/i.test(k) && typeof v === "string")
    .map(([, v]) => v as string);
}

/** Runs the cases of one service, each against its world (started once per case). */
export function runCases(cases: ContractCase[]): void {
  for (const c of cases) {
    describe(c.type, () => {
      let world: World;
      beforeAll(async () => {
        world = await c.start();
      });
      afterAll(() => world?.stop());
      beforeEach(() => {
        world.server.clearFaults();
      });
      runContract(c, () => world);
    });
  }
}
