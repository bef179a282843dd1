/**
 * npm run affected-stacks -- [paths...]   (or paths one per line on stdin)
 *
 * Prints the JSON array of stacks a change affects, for a workflow matrix:
 *   git diff --name-only origin/main...HEAD | npm run -s affected-stacks
 */
import * as fs from "node:fs";
import { STACKS } from "../stacks/environments";
import { affectedStacks } from "./lib/affected-stacks";

const args = process.argv.slice(2).filter((a) => a !== "--");
const paths = args.length
  ? args
  : process.stdin.isTTY
    ? []
    : fs.readFileSync(0, "utf8").split(/\r?\n/);
process.stdout.write(`${JSON.stringify(affectedStacks(paths.filter(Boolean), STACKS))}\n`);
