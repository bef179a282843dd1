/**
 * npm run affected-stacks -- [--waves [--format json|github]] [paths...]
 * (or the paths one per line on stdin)
 *
 * Prints the JSON array of stacks a change affects, for a workflow matrix:
 *   git diff --name-only origin/main...HEAD | npm run -s affected-stacks
 * With --waves, the affected stacks by deploy wave, shaped as `npm run -s stacks` prints them.
 */
import * as fs from "node:fs";
import { environmentFor, STACKS } from "../stacks/environments";
import { affectedStacks } from "./lib/affected-stacks";
import {
  deployWaves,
  renderWaves,
  restrictWaves,
  stackInfo,
  wavesFormat,
} from "./lib/affected-stacks-waves";

try {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const waves = args.includes("--waves");
  const format = wavesFormat(args);
  const named = args.filter(
    (a, i) => a !== "--waves" && a !== "--format" && args[i - 1] !== "--format",
  );
  const paths = named.length
    ? named
    : process.stdin.isTTY
      ? []
      : fs.readFileSync(0, "utf8").split(/\r?\n/);
  const affected = affectedStacks(paths.filter(Boolean), STACKS);
  const all = () => deployWaves(STACKS.map((s) => stackInfo(environmentFor(s))));
  const out = waves
    ? renderWaves(restrictWaves(all(), affected), format)
    : JSON.stringify(affected);
  process.stdout.write(`${out}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
