/**
 * npm run -s stacks [-- --format json|github]
 *
 * Every stack and its deploy wave, from the environment files, for the workflows' matrices:
 * {"stacks":[...],"dev":[...],"staging":[...],"canary":[...],"cells":[...],"preprod":[...],
 * "production":[...]}; `--format github` prints one `name=<json>` line each for
 * $GITHUB_OUTPUT. A new cell (a new stacks/<stack>.ts) appears here without a workflow edit.
 */
import { environmentFor, STACKS } from "../stacks/environments";
import { deployWaves, renderWaves, stackInfo, wavesFormat } from "./lib/affected-stacks-waves";

try {
  const format = wavesFormat(process.argv.slice(2));
  const waves = deployWaves(STACKS.map((s) => stackInfo(environmentFor(s))));
  process.stdout.write(`${renderWaves(waves, format)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
