/**
 * npm run affected-stacks -- [--waves] [paths...]   (or paths one per line on stdin)
 *
 * Prints the JSON array of stacks a change affects, for a workflow matrix:
 *   git diff --name-only origin/main...HEAD | npm run -s affected-stacks
 * With --waves, the affected stacks by deploy wave (as `npm run -s stacks` prints them):
 *   {"stacks":[...],"dev":[...],"staging":[...],"canary":[...],"cells":[...]}
 */
import * as fs from "node:fs";
import { environmentFor, STACKS } from "../stacks/environments";
import { affectedStacks } from "./lib/affected-stacks";
import { deployWaves, restrictWaves, stackInfo, wavesJson } from "./lib/affected-stacks-waves";

const args = process.argv.slice(2).filter((a) => a !== "--");
const waves = args.includes("--waves");
const named = args.filter((a) => a !== "--waves");
const paths = named.length
  ? named
  : process.stdin.isTTY
    ? []
    : fs.readFileSync(0, "utf8").split(/\r?\n/);
try {
  const affected = affectedStacks(paths.filter(Boolean), STACKS);
  const out = waves
    ? wavesJson(
        restrictWaves(deployWaves(STACKS.map((s) => stackInfo(environmentFor(s)))), affected),
      )
    : JSON.stringify(affected);
  process.stdout.write(`${out}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
