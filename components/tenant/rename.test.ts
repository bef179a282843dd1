/**
 * Renaming a tenant keeps its data: the prod plan of kanzlei-weber and of the same tenant
 * renamed to kanzlei-weber-partner (renamedFrom) differ by no delete and no replace of anything
 * holding data. URNs move by Pulumi aliases (matched here as Pulumi matches them), external
 * names keep the first slug, and the former subdomain keeps receiving mail.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { allAliases } from "@pulumi/pulumi/resource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffPlans, formerUrns } from "../../scripts/lib/plan-diff";
import type { PlanDocument } from "../../scripts/lib/plan-render";
import { tsNodeArgs } from "../../scripts/lib/ts-runner";
import { absoluteImports } from "../../test/config/fixture";

const REPO = path.resolve(__dirname, "..", "..");
const DATA = [
  "pulumi-nodejs:dynamic/ocis:Space",
  "pulumi-nodejs:dynamic/ocis:Group",
  "pulumi-nodejs:dynamic/authentik:Group",
  "pulumi-nodejs:dynamic/stalwart:MailDomain",
  "hcloud:index/zone:Zone",
];
let tmp: string;
let before: PlanDocument;
let after: PlanDocument;

/** A tenants folder with the repository's prod tenants, kanzlei-weber edited by `edit`. */
function tenants(dir: string, edit: (text: string) => { name: string; text: string }): string {
  const root = path.join(tmp, dir);
  fs.mkdirSync(path.join(root, "prod"), { recursive: true });
  for (const name of fs.readdirSync(path.join(REPO, "tenants", "prod"))) {
    const source = path.join(REPO, "tenants", "prod", name);
    const text = absoluteImports(fs.readFileSync(source, "utf8"), path.dirname(source));
    const out = name === "kanzlei-weber.ts" ? edit(text) : { name, text };
    fs.writeFileSync(path.join(root, "prod", out.name), out.text);
  }
  return root;
}

function plan(root: string): Promise<PlanDocument> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      tsNodeArgs(path.join(REPO, "scripts", "plan.ts"), "--stack", "prod", "--format", "json"),
      { cwd: REPO, env: { ...process.env, DEZKY_TENANTS_DIR: root }, maxBuffer: 256 << 20 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-rename-"));
  const original = tenants("before", (text) => ({ name: "kanzlei-weber.ts", text }));
  const renamed = tenants("after", (text) => ({
    name: "kanzlei-weber-partner.ts",
    text: text.replace(
      'slug: "kanzlei-weber",',
      'slug: "kanzlei-weber-partner",\n  renamedFrom: ["kanzlei-weber"],',
    ),
  }));
  [before, after] = await Promise.all([plan(original), plan(renamed)]);
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("renaming a tenant", () => {
  it("deletes and replaces nothing that holds data; the tenant shows as one changed slug", () => {
    const diff = diffPlans(before, after);
    expect(diff.tenants.added).toEqual([]);
    expect(diff.tenants.removed).toEqual([]);
    expect(diff.tenants.changed.map((c) => c.fields[0])).toEqual([
      { path: "slug", before: "kanzlei-weber", after: "kanzlei-weber-partner" },
    ]);
    expect(diff.resources.delete).toEqual([]);
    // Only the subdomain's own address records (A, and AAAA where the cell has IPv6) move.
    expect(diff.resources.replace.length).toBeGreaterThan(0);
    for (const r of diff.resources.replace) {
      expect(`${r.type} ${r.replaceReasons.join(",")}`).toBe(
        "hcloud:index/zoneRrset:ZoneRrset name",
      );
      expect(r.name).toMatch(/-tenant-kanzlei-weber-partner-subdomain-(a|aaaa)$/);
    }
    // Created: the new subdomain's mail domain (and its records); no other data-bearing object.
    const created = diff.resources.create.filter((r) => DATA.includes(r.type));
    expect(created.map((r) => r.name)).toEqual([
      "prod-fsn1-a-tenant-kanzlei-weber-partner-mail-kanzlei-weber-partner-dezky-eu",
    ]);
  });

  it("keeps every data-bearing object with the same inputs, former subdomain included", () => {
    const old = before.resources.filter(
      (r) => DATA.includes(r.type) && r.name.includes("-tenant-kanzlei-weber"),
    );
    expect(old.length).toBeGreaterThanOrEqual(6);
    const renames = [{ from: "kanzlei-weber", to: "kanzlei-weber-partner" }];
    for (const b of old) {
      const now = after.resources.find((r) => formerUrns(r.urn, renames).includes(b.urn));
      expect(now, b.urn).toBeDefined();
      // External names keep the first slug. Mock ids derive from names (a real alias keeps
      // the id), so references to other resources are compared by shape.
      const ids = (v: unknown) =>
        JSON.stringify(v).replace(/"(mock-(group|drive)-)?[0-9a-f]{12}"/g, '"<mock id>"');
      expect(ids(now!.inputs), b.name).toEqual(ids(b.inputs));
      expect([now!.protect, now!.retainOnDelete]).toEqual([true, true]);
    }
  });

  it("matches URNs as Pulumi's inherited child aliases do", async () => {
    // A direct child of the tenant: its alias is the parent's alias with the name prefix swapped.
    const oldName = "prod-fsn1-a-tenant-kanzlei-weber";
    const newName = "prod-fsn1-a-tenant-kanzlei-weber-partner";
    const child = after.resources.find((r) => r.name === `${newName}-files`)!;
    const oldChild = before.resources.find((r) => r.name === `${oldName}-files`)!;
    const parentAlias = before.resources.find((r) => r.name === oldName)!.urn;
    // allAliases is what a child's constructor calls with its parent; the parent carries its alias.
    const parent = { __aliases: [pulumi.output(parentAlias)] } as unknown as pulumi.Resource;
    const [alias] = allAliases([], child.name, child.type, parent, newName);
    const urn = await (alias as unknown as { promise(): Promise<string> }).promise();
    expect(urn).toBe(oldChild.urn);
    expect(formerUrns(child.urn, [{ from: "kanzlei-weber", to: "kanzlei-weber-partner" }])).toEqual(
      [urn],
    );
  });
});
