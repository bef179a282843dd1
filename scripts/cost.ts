/**
 * npm run cost -- --stack <name> [--format text|markdown|json]
 * npm run cost -- --all [--format text|markdown|json]
 *
 * Monthly cost of one stack from its offline inventory and the dated Hetzner price table in
 * scripts/prices/ (net list prices; re-verify before quoting). `--all` prices every stack (any
 * number of cells, each in its own child process, two at a time) and prints one row per stack
 * with the total; a terminal shows how many stacks are done.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { environmentFor, STACKS } from "../stacks/environments";
import { type CostReport, dedicatedModelsOf, monthlyCost } from "./lib/cost";
import { cellsCost, renderCellsCostMarkdown, renderCellsCostText } from "./lib/cost-cells";
import { renderCostMarkdown, renderCostText } from "./lib/cost-render";
import { runStackUnderMocks } from "./lib/mock-run";
import { createProgress } from "./lib/progress";
import { tsNodeArgs } from "./lib/ts-runner";

const ROOT = path.resolve(__dirname, "..");
const PARALLEL = 2;

function stackReport(stack: string): Promise<CostReport> {
  const args = tsNodeArgs(
    path.join(ROOT, "scripts", "cost.ts"),
    "--stack",
    stack,
    "--format",
    "json",
  );
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`cost of stack ${stack} failed:\n${stderr.trim()}`));
        else resolve(JSON.parse(stdout) as CostReport);
      },
    );
  });
}

async function allStacks(format: string): Promise<number> {
  const progress = createProgress("cost", { format });
  const reports = new Map<string, CostReport>();
  const queue = [...STACKS];
  progress.stacks(0, STACKS.length);
  const worker = async () => {
    for (let stack = queue.shift(); stack; stack = queue.shift()) {
      progress.phase(`pricing ${stack}`);
      reports.set(stack, await stackReport(stack));
      progress.stacks(reports.size, STACKS.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, STACKS.length) }, worker));
  progress.end();
  const cells = cellsCost(
    STACKS.map((stack) => ({
      stack,
      production: environmentFor(stack).production,
      report: reports.get(stack)!,
    })),
  );
  if (format === "json") process.stdout.write(`${JSON.stringify(cells, null, 2)}\n`);
  else if (format === "markdown") process.stdout.write(`${renderCellsCostMarkdown(cells)}\n`);
  else process.stdout.write(`${renderCellsCostText(cells)}\n`);
  return 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      all: { type: "boolean", default: false },
      format: { type: "string", default: "text" },
    },
  });
  if (!["text", "markdown", "json"].includes(values.format)) {
    throw new Error(`--format must be text, markdown or json, not ${values.format}`);
  }
  if (values.all) return allStacks(values.format);
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
