/**
 * The base's tenant set the fast path plans against, built without a checkout of the base: the
 * changed files as git has them at the base, checked as the loader checks files on disk, and
 * the whole set checked together. A base the fast path cannot reproduce is refused with the
 * reason (the plan then takes the full path).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfiguration } from "../../stacks/configuration";
import { stackDomains } from "../../stacks/environments";
import { benchTenant, renderBenchTenantFile } from "./bench-tenants";
import { type PlanClone, planClone } from "./plan-clone";
import { baseTenantSet, filesAtCommit } from "./plan-base-tenants";

const STACK = "dev";
let clone: PlanClone;
let base: string;

const rel = (slug: string) => `tenants/${STACK}/${slug}.ts`;
function write(tenant: Record<string, unknown> & { slug: string }): void {
  fs.writeFileSync(
    path.join(clone.dir, rel(tenant.slug)),
    renderBenchTenantFile(tenant as never, "../schema"),
  );
}

/** The working tree's checked tenants, as the plan loads them. */
async function head() {
  const config = await loadConfiguration({
    stacksDir: path.join(clone.dir, "stacks"),
    tenantsRoot: path.join(clone.dir, "tenants"),
  });
  return config.tenants;
}

beforeAll(() => {
  clone = planClone();
  for (const i of [0, 1, 2]) write(benchTenant(i));
  clone.git("add", "tenants");
  clone.git("commit", "-qm", "three tenants");
  base = clone.git("rev-parse", "HEAD").trim();
});
afterAll(() => clone.cleanup());

describe("files at the base commit", () => {
  it("reads several files in one call, byte for byte, and leaves out the absent ones", () => {
    const paths = [rel("bench-t00001"), rel("bench-t09999"), rel("bench-t00002")];
    const files = filesAtCommit(clone.dir, base, paths);
    expect([...files.keys()]).toEqual([rel("bench-t00001"), rel("bench-t00002")]);
    for (const p of files.keys()) {
      expect(files.get(p)).toBe(fs.readFileSync(path.join(clone.dir, p), "utf8"));
    }
    expect(filesAtCommit(clone.dir, base, []).size).toBe(0);
  });
});

describe("the base's tenant set", () => {
  it("is the working tree's set with the changed files as the base has them", async () => {
    const t = benchTenant(1);
    write({ ...t, displayName: "Renamed" });
    write(benchTenant(3)); // added by the change: absent at the base
    const tenants = await head();
    const result = await baseTenantSet({
      root: clone.dir,
      commit: base,
      head: tenants,
      changedPaths: [rel("bench-t00001"), rel("bench-t00003")],
      domains: stackDomains(),
    });
    if (!result.ok) throw new Error(result.reason);
    const mine = result.tenants
      .filter((x) => x.stack === STACK && x.tenant.slug.startsWith("bench-"))
      .map((x) => [x.tenant.slug, x.tenant.displayName]);
    expect(mine.sort()).toEqual([
      ["bench-t00000", "Bench Tenant 0"],
      ["bench-t00001", "Bench Tenant 1"],
      ["bench-t00002", "Bench Tenant 2"],
    ]);
    clone.git("checkout", "-q", "--", "tenants");
    fs.rmSync(path.join(clone.dir, rel("bench-t00003")));
  }, 120_000);

  it("refuses a base whose changed file does not check, naming the file", async () => {
    const t = benchTenant(2);
    write({ ...t, plan: "platinum" });
    clone.git("commit", "-qam", "broken at the base");
    const broken = clone.git("rev-parse", "HEAD").trim();
    write(t); // the change repairs it
    const result = await baseTenantSet({
      root: clone.dir,
      commit: broken,
      head: await head(),
      changedPaths: [rel("bench-t00002")],
      domains: stackDomains(),
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^at the base, tenants\/dev\/bench-t00002\.ts/);
    clone.git("reset", "-q", "--hard", base);
  }, 120_000);

  it("refuses a base set that conflicts across files", async () => {
    // At the base, tenant 2 claimed tenant 0's mail domain; the change gives it its own.
    const t0 = benchTenant(0);
    const t2 = benchTenant(2);
    write({ ...t2, mailDomains: [t0.mailDomains![0]] });
    clone.git("commit", "-qam", "conflict at the base");
    const conflicting = clone.git("rev-parse", "HEAD").trim();
    write(t2);
    const result = await baseTenantSet({
      root: clone.dir,
      commit: conflicting,
      head: await head(),
      changedPaths: [rel("bench-t00002")],
      domains: stackDomains(),
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(t0.mailDomains![0].name);
    clone.git("reset", "-q", "--hard", base);
  }, 120_000);
});
