/**
 * Before the tests: the real tools some tests drive are present (installed here where the
 * machine allows, else the run stops with the command that installs them), then the project is
 * compiled to dist/ once: serialized-provider tests run the compiled CommonJS under plain Node,
 * as `pulumi up` would.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ensureRealTools } from "./support/ensure-real-tools";

const NODE_MAJOR = 24;

export default function setup(): void {
  ensureRealTools();
  const major = Number(process.versions.node.split(".")[0]);
  if (major < NODE_MAJOR) {
    process.stderr.write(
      `Node ${process.versions.node} is older than the project's Node ${NODE_MAJOR} (.nvmrc): run \`source .ci/node.sh\` first.\n`,
    );
  }
  const root = path.resolve(__dirname, "..");
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
    cwd: root,
    encoding: "utf8",
  });
  // Type errors are the typecheck step's business; tsc still emits, and that is what runs.
  if (result.status !== 0) process.stderr.write(`tsc build reported errors:\n${result.stdout}\n`);
}
