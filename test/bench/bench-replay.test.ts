import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { RESULT_PREFIX, type Trace } from "../../scripts/lib/bench-child";
import {
  decodeOptions,
  decodeValue,
  encodeValue,
  INTERN_MIN_LENGTH,
  REF_TAG,
  type Registration,
  SECRET_TAG,
  STRING_TAG,
  StringTable,
  UNDEFINED_TAG,
} from "../../scripts/lib/bench-replay";
import { writeBenchTenants } from "../../scripts/lib/bench-tenants";

const REPO = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-replay-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const noIndex = () => undefined;

async function resolved(o: pulumi.Output<unknown>): Promise<{ value: unknown; secret: boolean }> {
  const out = o as unknown as { promise(): Promise<unknown>; isSecret: Promise<boolean> };
  return { value: await out.promise(), secret: await out.isSecret };
}

describe("encoding recorded inputs", () => {
  it("resolves outputs and promises deeply and tags secrets where they were", async () => {
    const encoded = await encodeValue(
      {
        plain: "a",
        nested: { out: pulumi.output(Promise.resolve(2)), list: [Promise.resolve("x"), 3] },
        token: pulumi.secret("s3cr3t"),
        missing: undefined,
      },
      noIndex,
    );
    expect(encoded).toEqual({
      plain: "a",
      nested: { out: 2, list: ["x", 3] },
      token: { [SECRET_TAG]: "s3cr3t" },
    });
  });

  it("decodes secrets back into secret outputs with the same value", async () => {
    const decoded = decodeValue({ a: { [SECRET_TAG]: { k: "v" } }, b: [1, "two"] }, []) as {
      a: pulumi.Output<unknown>;
      b: unknown[];
    };
    expect(pulumi.Output.isInstance(decoded.a)).toBe(true);
    expect(await resolved(decoded.a)).toEqual({ value: { k: "v" }, secret: true });
    expect(decoded.b).toEqual([1, "two"]);
  });

  it("stores each long string (a serialized provider) once and decodes it back", async () => {
    const table = new StringTable();
    const closure = "x".repeat(INTERN_MIN_LENGTH);
    const a = await encodeValue({ __provider: closure, short: "s" }, noIndex, table);
    const b = await encodeValue({ __provider: closure }, noIndex, table);
    expect(table.strings).toEqual([closure]);
    expect(a).toEqual({ __provider: { [STRING_TAG]: 0 }, short: "s" });
    expect(b).toEqual({ __provider: { [STRING_TAG]: 0 } });
    expect(decodeValue(a!, [], table.strings)).toEqual({ __provider: closure, short: "s" });
  });

  it("keeps input keys that were undefined (the SDK makes an output per key)", () => {
    const decoded = decodeValue({ set: 1, unset: { [UNDEFINED_TAG]: true } }, []) as object;
    expect(Object.keys(decoded)).toEqual(["set", "unset"]);
    expect(decoded).toEqual({ set: 1, unset: undefined });
  });

  it("turns resource references and option indices back into the replayed resources", () => {
    const resources = [{ r: 0 }, { r: 1 }, { r: 2 }] as unknown as pulumi.Resource[];
    expect(decodeValue({ dep: { [REF_TAG]: 2 } }, resources)).toEqual({ dep: resources[2] });
    const registration: Registration = {
      type: "t:m:T",
      name: "n",
      kind: "custom",
      parent: 1,
      inputs: {},
      opts: { dependsOn: [0, 2], provider: 0, protect: true, ignoreChanges: ["x"] },
    };
    const opts = decodeOptions(registration, resources);
    expect(opts.parent).toBe(resources[1]);
    expect(opts.dependsOn).toEqual([resources[0], resources[2]]);
    expect(opts.provider).toBe(resources[0]);
    expect(opts).toMatchObject({ protect: true, ignoreChanges: ["x"] });
  });
});

function runChild(args: string[], traceFile: string) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(REPO, "scripts/lib/bench-child.ts"), ...args],
    { cwd: REPO, encoding: "utf8", env: { ...process.env, BENCH_TRACE_FILE: traceFile } },
  );
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const line = r.stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX))!;
  return {
    result: JSON.parse(line.slice(RESULT_PREFIX.length)) as { resources: number },
    trace: JSON.parse(fs.readFileSync(traceFile, "utf8")) as Trace,
  };
}

describe("the floor replays exactly what the program registered", () => {
  it("same URNs (types, names, parent chains), inputs and providers, in child processes", () => {
    const root = path.join(tmp, "tenants");
    writeBenchTenants(root, "dev", 12);
    const recording = path.join(tmp, "recording.json");
    const program = runChild(["record", "dev", root, recording], path.join(tmp, "p.json"));
    const floor = runChild(["floor", "dev", recording], path.join(tmp, "f.json"));
    expect(program.result.resources).toBeGreaterThan(1);
    expect(floor.result.resources).toBe(program.result.resources);
    expect([...floor.trace.urns].sort()).toEqual([...program.trace.urns].sort());
    const byKey = (t: Trace) =>
      Object.fromEntries(t.registrations.map((r) => [`${r.type}::${r.name}`, r]));
    expect(byKey(floor.trace)).toEqual(byKey(program.trace));
  });
});
