/**
 * Test-side helper: runs the compiled (test/global-setup.ts builds dist/) serialize-provider.js
 * under plain Node for a spec: the serialized round trip every resource type goes through in
 * the contract suite.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ServiceName } from "../../components/providers/core/api-connection";

const root = path.resolve(__dirname, "..", "..");

export interface SerializedSpec {
  /** Compiled module of the resource class, relative to dist/. */
  module: string;
  exportName: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The ApiConnection the resource is registered with. */
  service: ServiceName;
  connection?: unknown;
  steps?: Array<"create" | "read" | "diff" | "update" | "delete">;
  /** Inputs of the `diff` and `update` steps (default: the create inputs). */
  newInputs?: Record<string, unknown>;
  /** Extra environment (DEZKY_PROVIDER_TIMING). */
  env?: Record<string, string>;
}

export interface SerializedRun {
  providerLength: number;
  provider: string;
  results: Record<string, unknown>;
}

/** Runs one dynamic resource through its serialized provider under plain Node. */
export async function runSerialized(spec: SerializedSpec): Promise<SerializedRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-ser-"));
  const file = path.join(dir, "spec.json");
  fs.writeFileSync(file, JSON.stringify(spec));
  const script = path.join(root, "dist", "test", "support", "serialize-provider.js");
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [script, file],
        { cwd: root, timeout: 60_000, env: { ...process.env, ...spec.env } },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    return JSON.parse(stdout.trim().split("\n").pop()!) as SerializedRun;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
