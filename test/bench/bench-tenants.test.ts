import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  benchSlug,
  benchTenant,
  benchTenants,
  renderBenchTenantFile,
  schemaImportPath,
  writeBenchTenants,
} from "../../scripts/lib/bench-tenants";
import { stackDomains } from "../../stacks/program";
import { loadTenants } from "../../tenants/load";
import { PLAN_NAMES, PLANS } from "../../tenants/plans";
import { tenantSchema } from "../../tenants/schema";
import { type TenantFile, validateTenantFiles } from "../../tenants/validate";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tenants-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function asFiles(n: number, stack = "dev"): TenantFile[] {
  return benchTenants(n).map((value) => ({
    file: `tenants/${stack}/${value.slug}.ts`,
    stack,
    value,
  }));
}

describe("generated tenant sets", () => {
  it("1000 tenants pass the per-file and cross-file validation of tenants/validate.ts", () => {
    const valid = validateTenantFiles(asFiles(1000), stackDomains());
    expect(valid).toHaveLength(1000);
    expect(new Set(valid.map((v) => v.tenant.slug)).size).toBe(1000);
  });

  it("spread over every plan, with 1-3 mail domains and 1-4 spaces within each plan's quotas", () => {
    const tenants = benchTenants(1000).map((t) => tenantSchema.parse(t));
    expect(new Set(tenants.map((t) => t.plan))).toEqual(new Set(PLAN_NAMES));
    const domainCounts = new Set(tenants.map((t) => t.mailDomains.length));
    const spaceCounts = new Set(tenants.map((t) => t.spaces.length));
    expect([...domainCounts].sort()).toEqual([1, 2, 3]);
    expect([...spaceCounts].sort()).toEqual([1, 2, 3, 4]);
    for (const t of tenants) {
      const plan = PLANS[t.plan];
      expect(t.mailDomains.length).toBeLessThanOrEqual(plan.maxMailDomains);
      expect(t.spaces.length).toBeLessThanOrEqual(plan.maxSpaces);
      expect(t.spaces.reduce((sum, s) => sum + s.quotaGb, 0)).toBeLessThanOrEqual(plan.storageGb);
    }
    // Every plan reaches its largest shape somewhere in the set.
    for (const plan of PLAN_NAMES) {
      const ofPlan = tenants.filter((t) => t.plan === plan);
      expect(Math.max(...ofPlan.map((t) => t.mailDomains.length))).toBe(
        Math.min(3, PLANS[plan].maxMailDomains),
      );
      expect(Math.max(...ofPlan.map((t) => t.spaces.length))).toBe(
        Math.min(4, PLANS[plan].maxSpaces),
      );
    }
  });

  it("is deterministic, so every child process sees the same set", () => {
    expect(benchTenant(417)).toEqual(benchTenant(417));
    expect(benchSlug(7)).toBe("bench-t00007");
    expect(benchTenants(3).map((t) => t.slug)).toEqual([benchSlug(0), benchSlug(1), benchSlug(2)]);
  });

  it("a broken generator would be caught: an over-quota tenant fails the same validation", () => {
    const [first] = asFiles(1);
    const value = { ...benchTenant(0), spaces: [{ key: "main", name: "x", quotaGb: 10_000 }] };
    expect(() => validateTenantFiles([{ ...first, value }], stackDomains())).toThrow(
      /quotas add up/,
    );
  });

  it("written files import defineTenant by absolute path and load through the real loader", async () => {
    const root = path.join(tmp, "set");
    const files = writeBenchTenants(root, "dev", 6);
    expect(files).toHaveLength(6);
    const text = fs.readFileSync(files[0], "utf8");
    expect(text).toContain(`from ${JSON.stringify(schemaImportPath())}`);
    expect(path.isAbsolute(schemaImportPath())).toBe(true);
    const loaded = await loadTenants("dev", stackDomains(), root);
    expect(loaded.map((t) => t.slug)).toEqual(benchTenants(6).map((t) => t.slug));
    expect(loaded[2]).toEqual(tenantSchema.parse(benchTenant(2)));
  });

  it("renders a relative import when asked (tenant files inside a checkout)", () => {
    expect(renderBenchTenantFile(benchTenant(1), "../schema")).toMatch(
      /^import \{ defineTenant \} from "\.\.\/schema";/,
    );
  });
});
