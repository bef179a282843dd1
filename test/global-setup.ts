/**
 * Compiles the project to dist/ once before the tests: serialized-provider tests run the
 * compiled CommonJS under plain Node, as `pulumi up` would.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export default function setup(): void {
  const root = path.resolve(__dirname, "..");
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
    cwd: root,
    encoding: "utf8",
  });
  // Type errors are the typecheck step's business; tsc still emits, and that is what runs.
  if (result.status !== 0) process.stderr.write(`tsc build reported errors:\n${result.stdout}\n`);
}
