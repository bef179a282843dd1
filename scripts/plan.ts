/**
 * npm run plan -- --stack <name> [--format text|json|markdown] [--base <git ref>]
 *
 * Runs the program for one stack offline under Pulumi's mock runtime (no credentials, no Pulumi
 * CLI) and prints what the stack would deploy, its policy results and monthly cost, and what
 * changes against the base: --base, or HEAD in a git checkout. The base's plan runs in a
 * temporary git worktree only when something that affects the stack differs from the base;
 * otherwise the base plan is this plan.
 *
 * Every format decides the same way and exits the same way: 0 ok; 1 invalid configuration or a
 * change the retention rules refuse (then only the refusal is printed, on stderr, never the
 * document); 2 usage; 3 a production stack would delete or replace resources (the document is
 * printed; the change needs extra review).
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { today } from "../components/tenant/lifecycle";
import { environmentFor, STACKS } from "../stacks/environments";
import { isConfigurationError } from "../stacks/issues";
import { loadConfigurationOnce } from "../stacks/configuration";
import { tenantsOf } from "../tenants/load";
import { affectedStacks } from "./lib/affected-stacks";
import { costDiff, dedicatedModelsOf, monthlyCost } from "./lib/cost";
import { renderCostText } from "./lib/cost-render";
import { runStackUnderMocks } from "./lib/mock-run";
import { changedPaths, gitRoot, NO_BASE_ENV, planAtRef } from "./lib/plan-base";
import { destructiveChanges, diffPlans } from "./lib/plan-diff";
import { renderMarkdownPlan } from "./lib/plan-markdown";
import { evaluatePoliciesIfAvailable, renderPolicies } from "./lib/plan-policies";
import { type PlanDocument, planDocument, renderText } from "./lib/plan-render";
import { createProgress } from "./lib/progress";
import { checkRetention } from "./lib/retention-check";

const USAGE =
  "usage: npm run plan -- --stack <stack> [--format text|json|markdown] [--base <git ref>]";
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;
export const EXIT_DESTRUCTIVE_IN_PRODUCTION = 3;

/** The ref to compare with: --base, else HEAD in a checkout; none for the base's own plan. */
function baseRef(root: string | undefined, base: string | undefined): string | undefined {
  if (process.env[NO_BASE_ENV] || process.env.DEZKY_TENANTS_DIR) return undefined;
  if (!root) {
    if (base !== undefined) throw new Error("--base needs a git checkout");
    return undefined;
  }
  return base ?? "HEAD";
}

/** A refused run: the refusal alone, on stderr. */
function refuse(lines: string[]): number {
  process.stderr.write(`${lines.join("\n")}\n`);
  return EXIT_REFUSED;
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
    return EXIT_USAGE;
  }
  const progress = createProgress(`plan ${stack}`, { format });
  progress.phase("checking the configuration");
  await loadConfigurationOnce(); // every environment and tenant file, checked together
  const env = environmentFor(stack); // an unknown stack is refused here
  const root = gitRoot(path.resolve(__dirname, ".."));
  const ref = baseRef(root, values.base);

  // Retention first: a change that would delete data early is refused before anything runs.
  if (ref && root) {
    progress.phase(`checking retention against ${ref}`);
    const retention = checkRetention({ root, base: ref, stacks: [stack], date: today() });
    if (retention.problems.length) {
      progress.end();
      return refuse([
        `Refused: this change would delete tenant data before its time (compared with ${ref}):`,
        ...retention.problems.map((p) => `  ${p}`),
      ]);
    }
  }

  const tenants = tenantsOf((await loadConfigurationOnce()).tenants, stack);
  progress.phase("running the program");
  const inventory = await runStackUnderMocks(stack, {
    retentionBase: ref,
    onNewResource: () => progress.resource(),
  });
  const after = planDocument(inventory, tenants);
  let before: PlanDocument | undefined;
  if (ref && root) {
    progress.phase(`planning the base ${ref}`);
    const affected = affectedStacks(changedPaths(root, ref), STACKS).includes(stack);
    before = affected || values.base !== undefined ? planAtRef(root, ref, stack) : after;
  }
  progress.end();
  const diff = before ? diffPlans(before, after) : undefined;
  const destructive = diff ? destructiveChanges(diff) : [];

  const policies = renderPolicies(await evaluatePoliciesIfAvailable(inventory));
  const costOptions = { dedicatedModels: dedicatedModelsOf(env) };
  const cost = monthlyCost(after.resources, costOptions);
  const markdown =
    before && diff
      ? renderMarkdownPlan({
          base: ref!,
          before,
          after,
          diff,
          cost: costDiff(monthlyCost(before.resources, costOptions), cost),
          policies,
          production: env.production,
          destructive,
        })
      : undefined;

  if (format === "json") {
    process.stdout.write(`${JSON.stringify(after, null, 2)}\n`);
  } else if (format === "markdown") {
    process.stdout.write(`${markdown ?? "_No base to compare with (not a git checkout)._"}\n`);
  } else {
    const sections = [`Policies\n${policies}`, renderCostText(cost)];
    if (markdown) sections.push(`Changes against ${ref}\n${markdown}`);
    process.stdout.write(`${renderText(inventory, tenants, sections)}\n`);
  }
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
    // Configuration problems and refusals are messages for people: never a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${isConfigurationError(error) ? error.message : message}\n`);
    process.exitCode = EXIT_REFUSED;
  },
);
