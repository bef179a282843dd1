/**
 * The fast path of a pull-request plan (see plan-scope.ts): the cell with only the tenants
 * whose files changed, once as the base has them and once as the working tree has them, each in
 * its own child process, both at once. Unchanged tenants register the same resources on both
 * sides, so the diff, the tenant changes and the exit code equal the full plan's; the tenant
 * table lists every tenant (from the checked files).
 *
 * Two checks guard the premise that tenants are independent, and send the plan down the full
 * path when they fail: the cell's own resources must be identical on both sides, and no tenant
 * resource may carry a price (the cost table and the cost-ceiling rule then see every tenant's
 * cost: none).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TenantState } from "../../tenants/history";
import type { Tenant } from "../../tenants/schema";
import type { StackDomains, ValidTenant } from "../../tenants/validate";
import { withDeployedPurge } from "../../stacks/program";
import type { Environment } from "../../stacks/schema";
import { monthlyCost } from "./cost";
import type { Inventory, InventoryResource } from "./mock-run";
import { baseTenantSet } from "./plan-base-tenants";
import { runPartial } from "./plan-partial";
import { type PlanDocument, planDocument, withProviderDigest } from "./plan-render";
import { tenantOfResources } from "./plan-scope";
import { tenantsOf } from "../../tenants/load";

export interface FastPlanInput {
  root: string;
  /** The base commit (resolved). */
  commit: string;
  stack: string;
  env: Environment;
  /** The working tree's checked tenants (all stacks). */
  head: ValidTenant[];
  domains: StackDomains;
  /** Changed paths under tenants/<stack>/ (all stacks). */
  tenantPaths: string[];
  /** Tenant states at the base (the retention rules' deployed commit), for purges. */
  deployed: Map<string, TenantState>;
  date: string;
}

export type FastPlan =
  | {
      ok: true;
      before: PlanDocument;
      after: PlanDocument;
      /** The working tree's partial inventory (cell + changed tenants), for policies. */
      inventory: Inventory;
      /** Tenants of the stack the partial runs left out (unchanged on both sides). */
      unchanged: Tenant[];
      evaluated: number;
      total: number;
    }
  | { ok: false; reason: string };

/** The cell's own resources (no tenant ancestor), as the diff compares them. */
function cellPart(inventory: Inventory, cell: string): string[] {
  const tenantOf = tenantOfResources(inventory.resources, cell);
  return inventory.resources
    .filter((r) => !tenantOf.has(r.urn))
    .map((r) =>
      JSON.stringify({
        urn: r.urn,
        parent: r.parent,
        inputs: withProviderDigest(r.inputs),
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        dependsOn: r.dependsOn,
      }),
    )
    .sort();
}

/** The first cell resource that differs between two partial runs, if any. */
export function cellDifference(a: Inventory, b: Inventory, cell: string): string | undefined {
  const left = cellPart(a, cell);
  const right = cellPart(b, cell);
  const onlyLeft = left.filter((x) => !right.includes(x));
  const onlyRight = right.filter((x) => !left.includes(x));
  const first = onlyLeft[0] ?? onlyRight[0];
  return first === undefined ? undefined : (JSON.parse(first) as { urn: string }).urn;
}

/** A tenant resource with a price, if any (tenants live on the cell's host and cost nothing). */
export function pricedTenantResource(
  resources: InventoryResource[],
  cell: string,
): string | undefined {
  const tenantOf = tenantOfResources(resources, cell);
  const tenantResources = resources.filter((r) => tenantOf.has(r.urn));
  for (const r of tenantResources) {
    if (monthlyCost([r]).lines.length) return r.urn;
  }
  return undefined;
}

export async function fastPlan(input: FastPlanInput): Promise<FastPlan> {
  const { stack, env } = input;
  const base = await baseTenantSet({
    root: input.root,
    commit: input.commit,
    head: input.head,
    changedPaths: input.tenantPaths,
    domains: input.domains,
  });
  if (!base.ok) return base;
  const changed = new Set(input.tenantPaths);
  const headAll = tenantsOf(input.head, stack);
  const baseAll = tenantsOf(base.tenants, stack);
  const pick = (set: ValidTenant[]) =>
    withDeployedPurge(
      stack,
      tenantsOf(
        set.filter((t) => changed.has(t.file)),
        stack,
      ),
      input.deployed,
      input.date,
    );
  const headChanged = pick(input.head);
  const baseChanged = pick(base.tenants);
  const same =
    JSON.stringify(headChanged) === JSON.stringify(baseChanged) ||
    (headChanged.length === 0 && baseChanged.length === 0);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-plan-fast-"));
  try {
    const [headInventory, baseInventory] = await Promise.all([
      runPartial({ stack, env, tenants: headChanged }, tmp, "head"),
      same ? undefined : runPartial({ stack, env, tenants: baseChanged }, tmp, "base"),
    ]);
    const beforeInventory = baseInventory ?? headInventory;
    const differs = cellDifference(beforeInventory, headInventory, env.cell);
    if (differs) {
      return { ok: false, reason: `the cell's ${differs} differs between base and head` };
    }
    const priced =
      pricedTenantResource(headInventory.resources, env.cell) ??
      pricedTenantResource(beforeInventory.resources, env.cell);
    if (priced) return { ok: false, reason: `tenant resource ${priced} has a price` };
    const evaluatedSlugs = new Set([...headChanged, ...baseChanged].map((t) => t.slug));
    return {
      ok: true,
      before: planDocument(beforeInventory, baseAll),
      after: planDocument(headInventory, headAll),
      inventory: headInventory,
      unchanged: headAll.filter((t) => !changed.has(`tenants/${stack}/${t.slug}.ts`)),
      evaluated: evaluatedSlugs.size,
      total: new Set([...headAll, ...baseAll].map((t) => t.slug)).size,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
