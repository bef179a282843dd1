/**
 * Runs under plain Node from the compiled `dist/` tree (never under vitest's module transform):
 * constructs one dynamic resource under Pulumi's mock runtime, takes the `__provider` string the
 * engine would store, loads it exactly as Pulumi's dynamic provider host does
 * (require-from-string, `.handler()`, `configure`), and drives create/read/delete through it.
 *
 * Usage: node dist/test/support/serialize-provider.js <spec.json>
 * spec: { module, exportName, name, inputs, steps?: ("create"|"read"|"delete")[] }
 * Prints one JSON line: { providerLength, provider, results }.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

interface Spec {
  /** Path of the compiled module, relative to the dist root. */
  module: string;
  exportName: string;
  name: string;
  inputs: Record<string, unknown>;
  steps?: Array<"create" | "read" | "delete">;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

async function main(): Promise<void> {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Spec;
  const distRoot = path.resolve(__dirname, "..", "..");
  let captured: Record<string, unknown> | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        captured = args.inputs as Record<string, unknown>;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "dezky",
    "serialize",
    false,
  );
  const mod = require(path.join(distRoot, spec.module)) as Record<string, unknown>;
  const Ctor = mod[spec.exportName] as new (name: string, args: unknown) => pulumi.CustomResource;
  const resource = new Ctor(spec.name, spec.inputs);
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  // Let pending output resolution settle so the mock saw the full inputs.
  for (let i = 0; i < 50 && !captured; i++) await new Promise((r) => setTimeout(r, 20));
  if (!captured) throw new Error("the mock runtime recorded no inputs");
  const providerString = captured.__provider as string;
  if (typeof providerString !== "string") throw new Error("no __provider input was recorded");

  // What Pulumi's dynamic provider host does with the stored string.
  const requireFromString = require("require-from-string") as (code: string) => {
    handler: () => Record<string, (...args: unknown[]) => Promise<unknown>>;
  };
  const provider = requireFromString(providerString).handler();
  if (provider.configure)
    await provider.configure({
      config: {
        get: () => undefined,
        require: () => {
          throw new Error("no config");
        },
      },
    });
  // The engine hands dynamic providers plain values (their host sets acceptSecrets=false), so
  // unwrap the mock runtime's secret envelopes the way the real engine does.
  const inputs = unwrapSecrets({ ...captured }) as Record<string, unknown>;
  delete inputs.__provider;
  const results: Record<string, unknown> = {};
  let id: string | undefined;
  let outs: unknown;
  for (const step of spec.steps ?? ["create", "read", "delete"]) {
    if (step === "create") {
      const created = (await provider.create(inputs)) as { id: string; outs: unknown };
      id = created.id;
      outs = created.outs;
      results.create = created;
    } else if (step === "read") {
      results.read = await provider.read(id, outs);
    } else if (step === "delete") {
      await provider.delete(id, outs);
      results.delete = "ok";
    }
  }
  process.stdout.write(
    JSON.stringify({ providerLength: providerString.length, provider: providerString, results }) +
      "\n",
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
