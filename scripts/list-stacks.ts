/**
 * npm run -s stacks
 *
 * Prints every stack and its deploy wave as one JSON line, from the environment files, for the
 * workflows' matrices: {"stacks":[...],"dev":[...],"staging":[...],"canary":[...],"cells":[...]}.
 * A new cell (a new stacks/<stack>.ts) appears here without any workflow edit.
 */
import { environmentFor, STACKS } from "../stacks/environments";
import { deployWaves, stackInfo, wavesJson } from "./lib/affected-stacks-waves";

try {
  const waves = deployWaves(STACKS.map((s) => stackInfo(environmentFor(s))));
  process.stdout.write(`${wavesJson(waves)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
