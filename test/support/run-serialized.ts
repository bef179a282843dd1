/**
 * Test-side helper: runs the compiled (test/global-setup.ts builds dist/) serialize-provider.js under plain Node for a spec. Used by every provider's serialization test.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
export interface SerializedRun {
  providerLength: number;
  provider: string;
  results: Record<string, unknown>;
}

/** Runs one dynamic resource through its serialized provider under plain Node. */
export async function runSerialized(spec: {
  module: string;
  exportName: string;
  name: string;
  inputs: Record<string, unknown>;
  steps?: Array<"create" | "read" | "delete">;
}): Promise<SerializedRun> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dezky-ser-")), "spec.json");
  fs.writeFileSync(file, JSON.stringify(spec));
  const script = path.join(root, "dist", "test", "support", "serialize-provider.js");
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [script, file], { cwd: root, timeout: 60_000 }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    ),
  );
  return JSON.parse(stdout.trim().split("\n").pop()!) as SerializedRun;
}
