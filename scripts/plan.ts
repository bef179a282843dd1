/**
 * npm run plan -- --stack <name> [--format text|json]
 *
 * Runs the program for one stack offline under Pulumi's mock runtime (no credentials, no Pulumi
 * CLI) and prints what the stack would deploy. Exit codes: 0 ok, 1 invalid input (tenant or
 * environment files), 2 usage.
 */
import { parseArgs } from "node:util";
import { environmentFor } from "../stacks/environments";
import { stackDomains } from "../stacks/program";
import { loadTenants } from "../tenants/load";
import { runStackUnderMocks } from "./lib/mock-run";
import { planDocument, renderText } from "./lib/plan-render";

const USAGE = "usage: npm run plan -- --stack <dev|staging|prod> [--format text|json]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stack = values.stack ?? "dev";
  if (!["text", "json"].includes(values.format!)) {
    process.stderr.write(`unknown --format ${values.format}\n${USAGE}\n`);
    return 2;
  }
  environmentFor(stack); // unknown stack: a clear error before anything runs
  const tenants = await loadTenants(stack, stackDomains());
  const inventory = await runStackUnderMocks(stack);
  if (values.format === "json") {
    process.stdout.write(`${JSON.stringify(planDocument(inventory, tenants), null, 2)}\n`);
  } else {
    process.stdout.write(`${renderText(inventory, tenants)}\n`);
  }
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
