/**
 * Runs under plain Node from the compiled `dist/` tree (never under vitest's module transform):
 * constructs one dynamic resource under Pulumi's mock runtime, registered with an ApiConnection
 * as the program does, takes the `__provider` string the engine would store, loads it exactly
 * as Pulumi's dynamic-provider host does (require-from-string, `.handler()`, `configure` with
 * the provider's configuration, secrets unwrapped), and drives create/read/update/delete
 * through it. The stub loads @dezky/providers from node_modules (the workspace link), as the
 * host does from the project folder.
 *
 * Usage: node dist/test/support/serialize-provider.js <spec.json>
 * Prints one JSON line: { providerLength, provider, results } (or { error } when a step threw:
 * the message as the engine would show it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CONNECTION_KEY, SERVICE_KEY } from "../../components/providers/core/connection";
import type { SerializedSpec } from "./run-serialized";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

type Host = Record<string, (...args: unknown[]) => Promise<unknown>>;

async function main(): Promise<void> {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as SerializedSpec;
  const distRoot = path.resolve(__dirname, "..", "..");
  let captured: Record<string, unknown> | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.type.startsWith("pulumi-nodejs:dynamic/")) {
          captured = args.inputs as Record<string, unknown>;
        }
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
  const { ApiConnection } = require(
    path.join(distRoot, "components/providers/core/api-connection.js"),
  ) as typeof import("../../components/providers/core/api-connection");
  const api = new ApiConnection(`${spec.name}-api`, {
    service: spec.service,
    connection: spec.connection ?? {},
  });
  const mod = require(path.join(distRoot, spec.module)) as Record<string, unknown>;
  const Ctor = mod[spec.exportName] as new (
    name: string,
    args: unknown,
    opts: unknown,
  ) => pulumi.CustomResource;
  const resource = new Ctor(spec.name, spec.inputs, { provider: api });
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  for (let i = 0; i < 50 && !captured; i++) await new Promise((r) => setTimeout(r, 20));
  if (!captured) throw new Error("the mock runtime recorded no inputs");
  const providerString = captured.__provider as string;
  if (typeof providerString !== "string") throw new Error("no __provider input was recorded");

  // What Pulumi's dynamic provider host does with the stored string (cmd/dynamic-provider):
  // configure with the provider's configuration, top-level secrets unwrapped.
  const requireFromString = require("require-from-string") as (code: string) => {
    handler: () => Host;
  };
  const provider = requireFromString(providerString).handler();
  const rawConfig: Record<string, unknown> = {
    [SERVICE_KEY]: spec.service,
    [CONNECTION_KEY]: spec.connection,
  };
  if (provider.configure) {
    await provider.configure({
      config: {
        get: (key: string) => rawConfig[key],
        require: (key: string) => {
          if (rawConfig[key] === undefined) throw new Error(`no config ${key}`);
          return rawConfig[key];
        },
      },
    });
  }
  // The engine hands dynamic providers plain values (their host sets acceptSecrets=false).
  const raw = unwrapSecrets({ ...captured }) as Record<string, unknown>;
  delete raw.__provider;
  const results: Record<string, unknown> = {};
  let id: string | undefined;
  let outs: unknown;
  try {
    const checked = (await provider.check({}, raw)) as {
      inputs: Record<string, unknown>;
      failures?: unknown[];
    };
    if (checked.failures?.length)
      throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
    const inputs = checked.inputs;
    let news = inputs;
    if (spec.newInputs) {
      const next = (await provider.check(inputs, spec.newInputs)) as {
        inputs: Record<string, unknown>;
      };
      news = next.inputs;
    }
    for (const step of spec.steps ?? ["create", "read", "delete"]) {
      if (step === "create") {
        const created = (await provider.create(inputs)) as { id: string; outs: unknown };
        ({ id, outs } = created);
        results.create = created;
      } else if (step === "read") {
        results.read = await provider.read(id, outs);
      } else if (step === "diff") {
        results.diff = await provider.diff(id, outs, news);
      } else if (step === "update") {
        const updated = (await provider.update(id, outs, news)) as { outs: unknown };
        outs = updated.outs;
        results.update = updated;
      } else if (step === "delete") {
        await provider.delete(id, outs);
        results.delete = "ok";
      }
    }
  } catch (error) {
    results.error = error instanceof Error ? error.message : String(error);
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
