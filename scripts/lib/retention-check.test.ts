/**
 * The retention rules over real git history: a throwaway repository where each commit is one
 * merged change of a tenant file, checked as the deploy workflow checks it (the last deployed
 * commit against the change) and as a PR preview does (the PR's base against it).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkRetention } from "./retention-check";

const TODAY = "2026-11-30";
let repo: string;

function git(...args: string[]): string {
  const r = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Writes tenants/prod/acme.ts with these fields (plan business: 90 days minimum). */
function acme(fields: Record<string, unknown>): void {
  const value = { slug: "acme", displayName: "Acme", plan: "business", ...fields };
  const file = path.join(repo, "tenants", "prod", "acme.ts");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `import { defineTenant } from "../schema";\n\nexport default defineTenant(${JSON.stringify(value, null, 2)});\n`,
  );
}

/** Commits the working tree as one merged change; returns the commit. */
function merge(message: string): string {
  git("add", "-A");
  git("commit", "-q", "--allow-empty", "-m", message);
  return git("rev-parse", "HEAD");
}

function check(base: string, head?: string, date = TODAY) {
  return checkRetention({ root: repo, base, head, date }).problems;
}

beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-retention-"));
  git("init", "-q");
  git("config", "user.email", "test@dezky.invalid");
  git("config", "user.name", "retention test");
  acme({ status: "active" });
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

describe("retention against history", () => {
  it("the two-PR bypass is refused: offboard+past date+purge at once, then delete", () => {
    const deployed = merge("acme active");
    // PR 1: everything at once, as if retention were a field of the file alone.
    acme({ status: "offboarded", retainUntil: "2026-01-31", purge: true });
    expect(check(deployed)).toEqual([
      "tenants/prod/acme.ts: retainUntil: 2026-01-31 is -303 days from today; data is kept at least 90 days after offboarding on the business plan, set retainUntil to 2027-02-28 or later",
      `tenants/prod/acme.ts: purge: needs the tenant offboarded with its retention passed at ${deployed} (there it is active); remove purge and offboard in one change (status: "offboarded", retainUntil at least the plan's minimum ahead), set purge: true in a later change after that date, and remove the file in a change after the purge was deployed`,
    ]);
    // Say PR 1 was merged anyway (an admin override) but, refused, never deployed.
    const pr1 = merge("PR 1");
    // PR 2 deletes the file. Its preview base (PR 1) looks purged, but the deploy compares
    // with the last deployed commit, which still has the tenant active.
    fs.rmSync(path.join(repo, "tenants", "prod", "acme.ts"));
    expect(check(pr1)).toEqual([]);
    expect(check(deployed)).toEqual([
      `tenants/prod/acme.ts: (file): removing it deletes the tenant's data, but at ${deployed} it is active; restore the file and offboard in one change (status: "offboarded", retainUntil at least the plan's minimum ahead), set purge: true in a later change after that date, and remove the file in a change after the purge was deployed`,
    ]);
  });

  it("the legitimate path: offboard, wait, purge, then remove, each a deployed change", () => {
    let deployed = merge("acme active");
    acme({ status: "offboarded", retainUntil: "2027-03-01" });
    expect(check(deployed)).toEqual([]);
    deployed = merge("offboard acme");
    // Before the date, purge is refused; after it, allowed.
    acme({ status: "offboarded", retainUntil: "2027-03-01", purge: true });
    expect(check(deployed)).toHaveLength(1);
    expect(check(deployed, undefined, "2027-03-02")).toEqual([]);
    // Removing the file in the same change as the purge is refused: purge must be deployed first.
    const purge = merge("purge acme");
    fs.rmSync(path.join(repo, "tenants", "prod", "acme.ts"));
    expect(check(deployed, undefined, "2027-03-02")).toHaveLength(1);
    expect(check(purge, undefined, "2027-03-02")).toEqual([]);
    // The same, commit to commit, as a deploy of several merged changes would see them.
    const removed = merge("remove acme");
    expect(check(purge, removed, "2027-03-02")).toEqual([]);
    expect(check(deployed, removed, "2027-03-02")).toHaveLength(1);
  });

  it("the retention minimum counts from offboarding and cannot be shortened later", () => {
    const active = merge("acme active");
    // Downgrading the plan in the offboarding change does not shorten the business minimum.
    acme({ status: "offboarded", plan: "starter", retainUntil: "2027-01-15" });
    expect(check(active)).toEqual([
      "tenants/prod/acme.ts: retainUntil: 2027-01-15 is 46 days from today; data is kept at least 90 days after offboarding on the business plan, set retainUntil to 2027-02-28 or later",
    ]);
    acme({ status: "offboarded", retainUntil: "2027-03-01" });
    const offboarded = merge("offboard acme");
    acme({ status: "offboarded", retainUntil: "2027-02-01" });
    expect(check(offboarded)).toEqual([
      "tenants/prod/acme.ts: retainUntil: moves from 2027-03-01 to 2027-02-01; once offboarded the retention date may only move later, set it back to 2027-03-01 or later",
    ]);
    acme({ status: "offboarded", retainUntil: "2027-06-01" });
    expect(check(offboarded)).toEqual([]);
  });

  it("a rename (renamedFrom) is the same tenant, not a removal", () => {
    const deployed = merge("acme active");
    fs.rmSync(path.join(repo, "tenants", "prod", "acme.ts"));
    const file = path.join(repo, "tenants", "prod", "acme-gmbh.ts");
    fs.writeFileSync(
      file,
      `import { defineTenant } from "../schema";\nexport default defineTenant(${JSON.stringify({ slug: "acme-gmbh", renamedFrom: ["acme"], plan: "business", status: "active" })});\n`,
    );
    expect(check(deployed)).toEqual([]);
    // Without renamedFrom the old tenant's removal is refused.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(',"renamedFrom":["acme"]', ""));
    expect(check(deployed)).toHaveLength(1);
  });

  it("an unknown base is a clear error", () => {
    merge("acme active");
    expect(() => check("no-such-ref")).toThrow(
      /no-such-ref is not a commit in .*; pass the last deployed commit/,
    );
  });
});
