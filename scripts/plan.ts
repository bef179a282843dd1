/**
 * npm run plan -- --stack <name> [--format text|json|markdown] [--base <git ref>]
 *
 * Runs the program for one stack offline under Pulumi's mock runtime (no credentials, no Pulumi
 * CLI) and prints what the stack would deploy, its policy results and monthly cost. With
 * --base (or --format markdown, base default HEAD) it also plans the base ref in a temporary git
 * worktree and reports the changes, as posted on pull requests.
 *
 * A tenant whose file exists at the base but not now is refused unless it was offboarded,
 * past retainUntil and marked purge: true (checked whenever tenants/<stack> differs from the
 * base). Exit codes: 0 ok, 1 invalid input or refused tenant removal, 2 usage,
 * 3 a production stack would delete or replace resources (needs extra review).
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { environmentFor } from "../stacks/environments";
import { stackDomains } from "../stacks/program";
import { loadTenants } from "../tenants/load";
import { costDiff, dedicatedModelsOf, monthlyCost } from "./lib/cost";
import { renderCostText } from "./lib/cost-render";
import { runStackUnderMocks } from "./lib/mock-run";
import { differsFrom, gitRoot, NO_BASE_ENV, planAtRef } from "./lib/plan-base";
import { destructiveChanges, diffPlans } from "./lib/plan-diff";
import { renderMarkdownPlan } from "./lib/plan-markdown";
import { tenantRemovalRefusals } from "./lib/plan-offboarding";
import { evaluatePoliciesIfAvailable, renderPolicies } from "./lib/plan-policies";
import { type PlanDocument, planDocument, renderText } from "./lib/plan-render";
import { createProgress } from "./lib/progress";

const USAGE =
  "usage: npm run plan -- --stack <dev|staging|prod> [--format text|json|markdown] [--base <git ref>]";
export const EXIT_REFUSED = 1;
export const EXIT_DESTRUCTIVE_IN_PRODUCTION = 3;

/** The base plan, when one is asked for or tenant files changed against it. */
function basePlanFor(
  stack: string,
  base: string | undefined,
  format: string,
): PlanDocument | undefined {
  if (process.env[NO_BASE_ENV] || process.env.DEZKY_TENANTS_DIR) return undefined;
  const root = gitRoot(path.resolve(__dirname, ".."));
  if (!root) {
    if (base !== undefined || format === "markdown") throw new Error("--base needs a git checkout");
    return undefined;
  }
  const ref = base ?? "HEAD";
  if (base === undefined && format !== "markdown" && !differsFrom(root, ref, [`tenants/${stack}`]))
    return undefined;
  return planAtRef(root, ref, stack);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      format: { type: "string", default: "text" },
      base: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stack = values.stack ?? "dev";
  const format = values.format!;
  if (!["text", "json", "markdown"].includes(format)) {
    process.stderr.write(`unknown --format ${format}\n${USAGE}\n`);
    return 2;
  }
  const env = environmentFor(stack); // unknown stack: a clear error before anything runs
  const progress = createProgress(`plan ${stack}`, { format });
  progress.phase("loading tenants");
  const tenants = await loadTenants(stack, stackDomains());
  progress.phase("running the program");
  const inventory = await runStackUnderMocks(stack, { onNewResource: () => progress.resource() });
  const after = planDocument(inventory, tenants);
  progress.phase(`checking the base ${values.base ?? "HEAD"}`);
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(after, null, 2)}\n`);
  }

  const before = basePlanFor(stack, values.base, format);
  progress.end();
  const today = new Date().toISOString().slice(0, 10);
  const refusals = before ? tenantRemovalRefusals(before.tenants, after.tenants, stack, today) : [];
  for (const message of refusals) process.stderr.write(`${message}\n`);
  if (format === "json") return refusals.length ? EXIT_REFUSED : 0;

  const policies = renderPolicies(await evaluatePoliciesIfAvailable(inventory));
  const costOptions = { dedicatedModels: dedicatedModelsOf(env) };
  const cost = monthlyCost(after.resources, costOptions);
  const diff = before ? diffPlans(before, after) : undefined;
  const destructive = diff ? destructiveChanges(diff) : [];
  const markdown =
    before && diff
      ? renderMarkdownPlan({
          base: values.base ?? "HEAD",
          before,
          after,
          diff,
          cost: costDiff(monthlyCost(before.resources, costOptions), cost),
          policies,
          production: env.production,
          destructive,
        })
      : undefined;
  const refusalBlock = refusals.length
    ? `> [!WARNING]\n${refusals.map((m) => `> ${m.replace(/\n/g, "\n> ")}`).join("\n>\n")}`
    : "";

  if (format === "markdown") {
    process.stdout.write(`${[markdown, refusalBlock].filter(Boolean).join("\n\n")}\n`);
  } else {
    const sections = [`Policies\n${policies}`, renderCostText(cost)];
    if (markdown) sections.push(`Changes against ${values.base ?? "HEAD"}\n${markdown}`);
    process.stdout.write(`${renderText(inventory, tenants, sections)}\n`);
  }
  if (refusals.length) return EXIT_REFUSED;
  if (env.production && destructive.length) {
    process.stderr.write(
      `${destructive.length} resource(s) would be deleted or replaced in production stack ${stack}: extra review needed.\n`,
    );
    return EXIT_DESTRUCTIVE_IN_PRODUCTION;
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
