/**
 * The data guard (./data-guard.ts) in the prod plan: for every tenant, protected like its data
 * and depending on every object of the tenant that is not protected itself, so the engine's
 * first delete on a removed tenant file is the guard's, which fails (the engine suite's
 * removal step shows it under the real engine).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanDocument } from "../../scripts/lib/plan-render";
import { tsNodeArgs } from "../../scripts/lib/ts-runner";
import { TENANT_DATA_GUARD_TYPE } from "./data-guard";
import { TENANT_TYPE } from "./tenant";

const REPO = path.resolve(__dirname, "..", "..");
let plan: PlanDocument;

beforeAll(async () => {
  plan = await new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      tsNodeArgs(path.join(REPO, "scripts", "plan.ts"), "--stack", "prod", "--format", "json"),
      { cwd: REPO, maxBuffer: 256 << 20 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}, 600_000);

describe("the tenant data guard", () => {
  it("is protected in production and stands before every unprotected object of its tenant", () => {
    const tenants = plan.resources.filter((r) => r.type === TENANT_TYPE);
    expect(tenants.length).toBeGreaterThan(0);
    for (const tenant of tenants) {
      const guard = plan.resources.find(
        (r) => r.type === TENANT_DATA_GUARD_TYPE && r.parent === tenant.urn,
      );
      expect(guard, tenant.name).toBeDefined();
      expect(guard!.protect, guard!.name).toBe(true);
      // Everything of the tenant below one of the guard's dependencies (or one of them).
      const covered = new Set(guard!.dependsOn);
      let grew = true;
      while (grew) {
        grew = false;
        for (const r of plan.resources) {
          if (r.parent && covered.has(r.parent) && !covered.has(r.urn)) {
            covered.add(r.urn);
            grew = true;
          }
        }
      }
      const mine = (r: PlanDocument["resources"][number]): boolean =>
        r.parent === tenant.urn || plan.resources.some((p) => p.urn === r.parent && mine(p));
      const unguarded = plan.resources.filter(
        (r) => r.custom && mine(r) && !r.protect && !covered.has(r.urn),
      );
      expect(unguarded.map((r) => r.name)).toEqual([]);
    }
  });
});
