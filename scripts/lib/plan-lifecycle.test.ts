/**
 * The tenant lifecycle through `npm run plan` on the production stack, over real git history:
 * a purge shows as changes (protection lifted, the zone's deleteProtection off), removing a
 * purged tenant exits 3 in every format (json too), and the two-PR bypass is refused with the
 * refusal alone, no document.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PlanClone, planClone } from "./plan-clone";
import type { PlanDocument } from "./plan-render";

let clone: PlanClone;
let tenantFile: string;
let original: string;

/** Rewrites tenants/prod/dezky.ts with lifecycle fields after the slug. */
function dezky(fields: string): void {
  fs.writeFileSync(tenantFile, original.replace('slug: "dezky",', `slug: "dezky",\n  ${fields}`));
}

beforeAll(() => {
  clone = planClone();
  tenantFile = path.join(clone.dir, "tenants/prod/dezky.ts");
  original = fs.readFileSync(tenantFile, "utf8");
});
afterAll(() => clone.cleanup());

describe("production tenant lifecycle through the plan", () => {
  it("the two-PR bypass is refused: offboarded, past date and purge in one change", () => {
    dezky('status: "offboarded",\n  retainUntil: "2026-01-31",\n  purge: true,');
    const result = clone.plan("--stack", "prod", "--format", "json");
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("tenants/prod/dezky.ts: retainUntil: 2026-01-31 is");
    expect(result.stderr).toContain(
      "tenants/prod/dezky.ts: purge: needs the tenant offboarded with its retention passed at HEAD (there it is active)",
    );
    expect(result.stderr).not.toMatch(/\n\s+at\s/);
  }, 300_000);

  it("a purge after the deployed retention date shows as changes, nothing deleted", () => {
    // The deployed commit: offboarded, its retention date passed.
    dezky('status: "offboarded",\n  retainUntil: "2026-01-31",');
    clone.git("commit", "-qam", "dezky offboarded until 2026-01-31");
    dezky('status: "offboarded",\n  retainUntil: "2026-01-31",\n  purge: true,');
    const result = clone.plan("--stack", "prod", "--format", "markdown");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const rows = result.stdout.split("\n").filter((l) => l.startsWith("| ✏️ update"));
    const row = (name: string) => rows.find((r) => r.includes(`\`${name}\``)) ?? "";
    const cell = "prod-fsn1-a-tenant-dezky";
    for (const name of [
      `${cell}-files-space-main`,
      `${cell}-mail-dezky-de`,
      `${cell}-identity-group`,
      `${cell}-files-group`,
    ]) {
      expect(row(name)).toContain("`options.protect`: true → false");
      expect(row(name)).toContain("`options.retainOnDelete`: true → false");
    }
    expect(row(`${cell}-zone-dezky-de`)).toContain("`deleteProtection`: true → false");
    expect(row(`${cell}-files-space-main`)).toContain("`purgeOnDelete`: false → true");
    expect(result.stdout).toMatch(/\*\*0\*\* to replace, \*\*0\*\* to delete/);
  }, 300_000);

  it("removing the purged tenant exits 3 in json and markdown alike", () => {
    clone.git("commit", "-qam", "dezky purged");
    fs.rmSync(tenantFile);
    const json = clone.plan("--stack", "prod", "--format", "json");
    expect(json.status).toBe(3);
    const doc = JSON.parse(json.stdout) as PlanDocument;
    expect(doc.tenants.map((t) => t.slug)).toEqual(["kanzlei-weber"]);
    expect(json.stderr).toMatch(
      /resource\(s\) would be deleted or replaced in production stack prod/,
    );
    const markdown = clone.plan("--stack", "prod", "--format", "markdown");
    expect(markdown.status).toBe(3);
    expect(markdown.stdout).toContain("- ➖ removed `dezky`");
  }, 600_000);
});
