/**
 * The fast path equals the full plan. In a throwaway clone with generated tenants on the
 * production stack, each one-tenant change (add, change, suspend, offboard, purge, remove,
 * rename, with the history the retention rules need) is planned twice as the PR workflow does,
 * `--format markdown`: once as it comes (the fast path) and once with --full (the whole stack on
 * both sides, the base in a git worktree). Exit code, stderr and the whole PR view must be the
 * same except the line that names the path. A change outside tenants/ takes the full path.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, today } from "../../components/tenant/lifecycle";
import { benchTenant, renderBenchTenantFile } from "./bench-tenants";
import { type PlanClone, planClone } from "./plan-clone";
import { tsNodeArgs } from "./ts-runner";

const STACK = "prod";
const GENERATED = 6;
let clone: PlanClone;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run plan` as package.json runs it (the project's compiler), in the clone. */
function plan(...args: string[]): Run {
  const env = { ...process.env };
  delete env.DEZKY_TENANTS_DIR;
  delete env.DEZKY_RETENTION_BASE;
  const r = spawnSync(
    process.execPath,
    tsNodeArgs("scripts/plan.ts", "--stack", STACK, "--format", "markdown", ...args),
    { cwd: clone.dir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PATH_LINE = /^_(Fast path|Full plan): .*_$/m;

/** Both paths for the working tree as it is; returns the fast run after comparing. */
function bothPaths(): { fast: Run; full: Run } {
  const fast = plan();
  const full = plan("--full");
  expect(full.stdout).toMatch(/^_Full plan: the whole stack on both sides \(--full\)\._$/m);
  expect(fast.stderr).toBe(full.stderr);
  expect(fast.status).toBe(full.status);
  expect(fast.stdout.replace(PATH_LINE, "")).toBe(full.stdout.replace(PATH_LINE, ""));
  return { fast, full };
}

function tenantFile(slug: string): string {
  return path.join(clone.dir, "tenants", STACK, `${slug}.ts`);
}

function writeTenant(i: number, edit: (t: ReturnType<typeof benchTenant>) => object = (t) => t) {
  const t = benchTenant(i);
  fs.writeFileSync(tenantFile(t.slug), renderBenchTenantFile(edit(t) as typeof t, "../schema"));
}

function reset(): void {
  clone.git("reset", "-q", "--hard");
  clone.git("clean", "-qfd", "--", "tenants");
}

beforeAll(() => {
  clone = planClone();
  for (let i = 0; i < GENERATED; i++) writeTenant(i);
  clone.git("add", "tenants");
  clone.git("commit", "-qm", "generated tenants");
});
afterAll(() => clone.cleanup());

describe("the fast path plans a one-tenant change as the full plan does", () => {
  it("add", () => {
    writeTenant(GENERATED);
    const { fast } = bothPaths();
    expect(fast.status).toBe(0);
    expect(fast.stdout).toMatch(/^_Fast path: .* evaluated the cell and 1 of 9 tenant/m);
    expect(fast.stdout).toContain("tenants: 1 added, 0 changed, 0 removed");
    // The stack-wide capacity finding counts every tenant's quota, not only the new one's.
    expect(fast.stdout).toMatch(/`cell-capacity`: Space quotas add up to/);
    reset();
  }, 600_000);

  it("change", () => {
    writeTenant(1, (t) => ({
      ...t,
      displayName: "Renamed GmbH",
      spaces: t.spaces.map((s) => (s.key === "main" ? { ...s, quotaGb: s.quotaGb + 5 } : s)),
    }));
    const { fast } = bothPaths();
    expect(fast.stdout).toContain("tenants: 0 added, 1 changed, 0 removed");
    expect(fast.stdout).toMatch(/✏️ update \| `prod-fsn1-a-tenant-bench-t00001-files-space-main`/);
    reset();
  }, 600_000);

  it("suspend", () => {
    writeTenant(2, (t) => ({ ...t, status: "suspended" }));
    const { fast } = bothPaths();
    expect(fast.stdout).toMatch(/`status`: active → suspended/);
    reset();
  }, 600_000);

  it("offboard", () => {
    writeTenant(3, (t) => ({ ...t, status: "offboarded", retainUntil: addDays(today(), 200) }));
    const { fast } = bothPaths();
    expect(fast.status).toBe(0);
    expect(fast.stdout).toMatch(/`status`: active → offboarded until/);
    reset();
  }, 600_000);

  it("purge, then remove, against the history the retention rules need", () => {
    // Deployed: offboarded, its retention date passed.
    const offboarded = (t: ReturnType<typeof benchTenant>) => ({
      ...t,
      status: "offboarded",
      retainUntil: "2026-01-31",
    });
    writeTenant(4, offboarded);
    clone.git("commit", "-qam", "bench-t00004 offboarded");
    writeTenant(4, (t) => ({ ...offboarded(t), purge: true }));
    const purge = bothPaths().fast;
    expect(purge.status).toBe(0);
    expect(purge.stdout).toContain("`options.protect`: true → false");

    clone.git("commit", "-qam", "bench-t00004 purged");
    fs.rmSync(tenantFile("bench-t00004"));
    const remove = bothPaths().fast;
    expect(remove.status).toBe(3); // a production stack deletes resources: extra review
    expect(remove.stdout).toContain("- ➖ removed `bench-t00004`");
    expect(remove.stdout).toMatch(/^_Fast path: /m);
    reset();
  }, 900_000);

  it("rename: the resources move by alias", () => {
    const t = benchTenant(5);
    fs.rmSync(tenantFile(t.slug));
    fs.writeFileSync(
      tenantFile("bench-renamed"),
      renderBenchTenantFile(
        { ...t, slug: "bench-renamed", renamedFrom: [t.slug] } as typeof t,
        "../schema",
      ),
    );
    const { fast } = bothPaths();
    expect(fast.stdout).toMatch(/`slug`: bench-t00005 → bench-renamed/);
    expect(fast.stdout).toMatch(/^_Fast path: .* evaluated the cell and 2 of 9 tenant/m);
    reset();
  }, 600_000);

  it("a change outside tenants/ takes the full path and says why", () => {
    const file = path.join(clone.dir, "components", "tenant", "dns.ts");
    fs.appendFileSync(file, "\n// a comment\n");
    writeTenant(1, (t) => ({ ...t, displayName: "With code" }));
    const run = plan();
    expect(run.stdout).toMatch(
      /^_Full plan: the whole stack on both sides \(components\/tenant\/dns\.ts changed\)\._$/m,
    );
    const full = plan("--full");
    expect(run.status).toBe(full.status);
    expect(run.stdout.replace(PATH_LINE, "")).toBe(full.stdout.replace(PATH_LINE, ""));
    reset();
  }, 600_000);
});
