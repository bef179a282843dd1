/**
 * npm run cost -- --stack <name> [--format text|markdown|json]
 *
 * Monthly cost of one stack from its offline inventory and the dated Hetzner price table in
 * scripts/prices/ (net list prices; re-verify before quoting).
 */
import { parseArgs } from "node:util";
import { environmentFor } from "../stacks/environments";
import { dedicatedModelsOf, monthlyCost } from "./lib/cost";
import { renderCostMarkdown, renderCostText } from "./lib/cost-render";
import { runStackUnderMocks } from "./lib/mock-run";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { stack: { type: "string" }, format: { type: "string", default: "text" } },
  });
  const stack = values.stack ?? "dev";
  const env = environmentFor(stack);
  const inventory = await runStackUnderMocks(stack);
  const report = monthlyCost(inventory.resources, { dedicatedModels: dedicatedModelsOf(env) });
  if (values.format === "json") process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (values.format === "markdown") process.stdout.write(`${renderCostMarkdown(report)}\n`);
  else process.stdout.write(`Stack ${stack}\n${renderCostText(report)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
