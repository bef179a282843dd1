/**
 * End to end: a throwaway clone of this repository (with the working tree's scripts/ copied in
 * and committed as the base), then tenant edits in its working tree, planned against the base
 * through a real git worktree and child process, as the PR workflow does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentFor } from "../../stacks/environments";
import { costDiff, dedicatedModelsOf, monthlyCost } from "./cost";
import { signedEur } from "./cost-render";
import { planAtRef } from "./plan-base";
import { type PlanClone, planClone } from "./plan-clone";
import type { PlanDocument } from "./plan-render";

let clone: string;
let repo: PlanClone;

const git = (...args: string[]) => repo.git(...args);
const plan = (...args: string[]) => repo.plan(...args);

beforeAll(() => {
  repo = planClone();
  clone = repo.dir;
});

afterAll(() => repo.cleanup());

describe("plan against a git base", () => {
  it("names exactly the added tenant, the changed quota and the cost difference", () => {
    const muster = path.join(clone, "tenants/dev/muster-gmbh.ts");
    const source = fs.readFileSync(muster, "utf8");
    fs.writeFileSync(muster, source.replace(/quotaGb: 50/, "quotaGb: 80"));
    fs.writeFileSync(
      path.join(clone, "tenants/dev/neu-gmbh.ts"),
      source
        .replace(/slug: "muster-gmbh"/, 'slug: "neu-gmbh"')
        .replace(/displayName: "Muster GmbH"/, 'displayName: "Neu GmbH"')
        // OCIS space names are unique in a cell (the validation refuses copies).
        .replace(/name: "(Muster|Finanzen|Handbuch)"/g, 'name: "Neu $1"'),
    );

    const result = plan("--stack", "dev", "--base", "HEAD", "--format", "markdown");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const md = result.stdout;
    expect(md).toContain("<!-- dezky-plan:dev -->");
    expect(md).toContain("tenants: 1 added, 1 changed, 0 removed");
    expect(md).toMatch(/➕ added `neu-gmbh` \(plan business, active, 160 GB in 3 space\(s\)\)/);
    const changed = md.split("\n").filter((l) => l.includes("✏️ changed"));
    expect(changed).toEqual([
      "- ✏️ changed `muster-gmbh`: `quotas.finance`: 50 → 80; `storageGb`: 160 → 190",
    ]);

    // Resource changes, whatever the program registers by now, belong to those two tenants only.
    const rows = md.split("\n").filter((l) => /^\| (➕|✏️|♻️|➖) /.test(l));
    for (const row of rows) {
      if (row.startsWith("| ➕")) expect(row).toMatch(/neu-gmbh/);
      else if (row.startsWith("| ✏️")) expect(row).toMatch(/muster-gmbh/);
      else throw new Error(`unexpected destructive change: ${row}`);
    }
    expect(md).toMatch(/\*\*0\*\* to replace, \*\*0\*\* to delete/);

    // The cost section is the difference of the two plans' priced inventories.
    const after = JSON.parse(plan("--stack", "dev", "--format", "json").stdout) as PlanDocument;
    const before = planAtRef(clone, "HEAD", "dev");
    expect(after.tenants.map((t) => t.slug)).toEqual(
      [...before.tenants.map((t) => t.slug), "neu-gmbh"].sort(),
    );
    for (const other of before.tenants.filter((t) => t.slug !== "muster-gmbh")) {
      expect(md).not.toContain(`\`${other.slug}\``); // unchanged tenants are not reported
    }
    const options = { dedicatedModels: dedicatedModelsOf(environmentFor("dev")) };
    const cost = costDiff(
      monthlyCost(before.resources, options),
      monthlyCost(after.resources, options),
    );
    expect(md).toContain(
      `| **total** | **${cost.beforeEur.toFixed(2)} EUR** | **${cost.afterEur.toFixed(2)} EUR** | **${signedEur(cost.diffEur)}** |`,
    );
    // The temporary worktrees are gone.
    expect(git("worktree", "list").trim().split("\n")).toHaveLength(1);
  }, 300_000); // three full offline plans of the stack

  it("refuses deleting an active tenant's file with the offboarding steps, printing no document", () => {
    git("checkout", "-q", "--", ".");
    git("clean", "-qfd", "tenants");
    fs.rmSync(path.join(clone, "tenants/dev/muster-gmbh.ts"));
    const result = plan("--stack", "dev", "--format", "json");
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      "tenants/dev/muster-gmbh.ts: (file): removing it deletes the tenant's data, but at HEAD it is active",
    );
    expect(result.stderr).toContain('offboard in one change (status: "offboarded"');
    expect(result.stderr).toContain("remove the file in a change after the purge was deployed");
    expect(result.stderr).not.toMatch(/\n\s+at\s/);
    expect(git("worktree", "list").trim().split("\n")).toHaveLength(1);
  }, 300_000);
});
