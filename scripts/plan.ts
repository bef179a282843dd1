/**
 * npm run plan -- --stack <name> [--format text|json|markdown] [--base <git ref>] [--full]
 *
 * Runs the program for one stack offline under Pulumi's mock runtime (no credentials, no Pulumi
 * CLI) and prints what the stack would deploy, its policy results and monthly cost, and what
 * changes against the base: --base, or HEAD in a git checkout.
 *
 * Two paths, the same result (scripts/lib/plan-scope.ts): when only tenant files changed, the
 * PR view (markdown) comes from the cell plus the changed tenants on each side (the fast path,
 * scripts/lib/plan-fast.ts); otherwise, for text and json, or with --full, the whole program runs
 * and the base's plan runs in a temporary git worktree (only when something that affects the
 * stack differs from the base; otherwise the base plan is this plan). The PR view names the
 * path it took.
 *
 * Every format decides the same way and exits the same way: 0 ok; 1 invalid configuration or a
 * change the retention rules refuse (then only the refusal is printed, on stderr, never the
 * document); 2 usage; 3 a production stack would delete or replace resources (the document is
 * printed; the change needs extra review).
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { today } from "../components/tenant/lifecycle";
import { environmentFor, STACKS, stackDomains } from "../stacks/environments";
import { isConfigurationError } from "../stacks/issues";
import { loadConfigurationOnce } from "../stacks/configuration";
import { resolveCommit, tenantStatesAt, tenantStatesOnDisk } from "../tenants/history";
import { tenantsOf } from "../tenants/load";
import { affectedStacks } from "./lib/affected-stacks";
import { costDiff, dedicatedModelsOf, monthlyCost } from "./lib/cost";
import { renderCostText } from "./lib/cost-render";
import { type Inventory, runStackUnderMocks } from "./lib/mock-run";
import { changedPaths, gitRoot, NO_BASE_ENV, planAtRef } from "./lib/plan-base";
import { destructiveChanges, diffPlans } from "./lib/plan-diff";
import { fastPlan } from "./lib/plan-fast";
import { renderMarkdownPlan } from "./lib/plan-markdown";
import {
  evaluatePolicyResultsIfAvailable,
  policyFindings,
  renderPolicies,
} from "./lib/plan-policies";
import { type PlanDocument, planDocument, renderText } from "./lib/plan-render";
import {
  changeKind,
  findingFilter,
  pathLine,
  planRoute,
  type PlanRoute,
  viewScope,
  WHOLE_STACK,
} from "./lib/plan-scope";
import { standIns } from "./lib/plan-stand-ins";
import { createProgress } from "./lib/progress";
import { retentionRefusals } from "./lib/retention-check";

const USAGE =
  "usage: npm run plan -- --stack <stack> [--format text|json|markdown] [--base <git ref>] [--full]";
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

/** Both sides of a plan and what the policies see. */
interface Planned {
  before?: PlanDocument;
  after: PlanDocument;
  /** The working tree's inventory the document was made from (whole stack or partial). */
  inventory: Inventory;
  /** What the policy rules see: the inventory plus stand-ins for tenants left out. */
  policyInventory: Inventory;
  route: PlanRoute;
  evaluated: number;
  total: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      format: { type: "string", default: "text" },
      base: { type: "string" },
      full: { type: "boolean", default: false },
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
  const config = await loadConfigurationOnce(); // every environment and tenant file, checked together
  const env = environmentFor(stack); // an unknown stack is refused here
  const root = gitRoot(path.resolve(__dirname, ".."));
  const ref = baseRef(root, values.base);
  const date = today();

  // Retention first: a change that would delete data early is refused before anything runs.
  let deployed: ReturnType<typeof tenantStatesAt> | undefined;
  if (ref && root) {
    progress.phase(`checking retention against ${ref}`);
    deployed = tenantStatesAt(root, ref);
    const problems = retentionRefusals(deployed, tenantStatesOnDisk(root), date, ref, [stack]);
    if (problems.length) {
      progress.end();
      return refuse([
        `Refused: this change would delete tenant data before its time (compared with ${ref}):`,
        ...problems.map((p) => `  ${p}`),
      ]);
    }
  }

  const tenants = tenantsOf(config.tenants, stack);
  const change = ref && root ? changeKind(changedPaths(root, ref)) : undefined;
  let route: PlanRoute = change
    ? planRoute(change, format)
    : { kind: "full", reason: "no base to compare with" };
  if (values.full && route.kind === "fast") route = { kind: "full", reason: "--full" };
  let planned: Planned | undefined;
  if (route.kind === "fast" && ref && root && deployed) {
    progress.phase("running the cell and the changed tenants (fast path)");
    const fast = await fastPlan({
      root,
      commit: resolveCommit(root, ref),
      stack,
      env,
      head: config.tenants,
      domains: stackDomains(),
      tenantPaths: route.tenantPaths,
      deployed,
      date,
    });
    if (fast.ok) {
      planned = {
        ...fast,
        policyInventory: {
          ...fast.inventory,
          resources: [...fast.inventory.resources, ...standIns(fast.unchanged)],
        },
        route,
      };
    } else {
      route = { kind: "full", reason: `the fast path could not stand in: ${fast.reason}` };
    }
  }
  if (!planned) {
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
    const total = new Set([...(before?.tenants ?? []), ...after.tenants].map((t) => t.slug)).size;
    const fullRoute: PlanRoute =
      route.kind === "full" ? route : { kind: "full", reason: "no base to compare with" };
    planned = {
      before,
      after,
      inventory,
      policyInventory: inventory,
      route: fullRoute,
      evaluated: total,
      total,
    };
  }
  progress.end();
  const { before, after, inventory } = planned;
  const diff = before ? diffPlans(before, after) : undefined;
  const destructive = diff ? destructiveChanges(diff) : [];

  const results = await evaluatePolicyResultsIfAvailable(planned.policyInventory);
  const scope = change
    ? viewScope(
        change,
        stack,
        tenants.map((t) => t.slug),
      )
    : WHOLE_STACK;
  const scopedPolicies = renderPolicies(
    policyFindings(results, findingFilter(scope, inventory.resources, env.cell)),
  );
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
          policies: scopedPolicies,
          production: env.production,
          destructive,
          scope,
          path: pathLine(planned.route, planned),
        })
      : undefined;

  if (format === "json") {
    process.stdout.write(`${JSON.stringify(after, null, 2)}\n`);
  } else if (format === "markdown") {
    process.stdout.write(`${markdown ?? "_No base to compare with (not a git checkout)._"}\n`);
  } else {
    const sections = [`Policies\n${renderPolicies(policyFindings(results))}`, renderCostText(cost)];
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
