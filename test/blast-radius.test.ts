/**
 * Blast radius: adding a tenant, or changing one tenant's quota, changes only that tenant's
 * resources. Every other registered resource keeps identical inputs, including the serialized
 * `__provider` of dynamic resources (compared by the sha256 digest the plan shows). Each variant runs the real program in its own process.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanDocument } from "../scripts/lib/plan-render";
import { tsNodeArgs } from "../scripts/lib/ts-runner";

const root = path.resolve(__dirname, "..");
const schema = JSON.stringify(path.join(root, "tenants", "schema"));

function tenantsDir(edit?: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-blast-"));
  for (const stack of ["dev", "staging", "prod"]) {
    fs.mkdirSync(path.join(dir, stack));
    for (const f of fs.readdirSync(path.join(root, "tenants", stack))) {
      const body = fs.readFileSync(path.join(root, "tenants", stack, f), "utf8");
      fs.writeFileSync(path.join(dir, stack, f), body.replace('"../schema"', schema));
    }
  }
  edit?.(dir);
  return dir;
}

function plan(dir: string): Promise<PlanDocument> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      tsNodeArgs(path.join(root, "scripts", "plan.ts"), "--stack", "dev", "--format", "json"),
      { cwd: root, env: { ...process.env, DEZKY_TENANTS_DIR: dir }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${error.message}\n${stderr}`))
          : resolve(JSON.parse(stdout) as PlanDocument),
    ),
  );
}

const NEW_TENANT = `import { defineTenant } from ${schema};
export default defineTenant({
  slug: "neu-gmbh", displayName: "Neu GmbH", plan: "starter",
  mailDomains: [{ name: "neu-gmbh.de" }],
  branding: { primaryColor: "#335577", logoUrl: "https://neu.example/logo.png" },
  spaces: [{ key: "main", name: "Neu", quotaGb: 50 }],
  admins: ["it@neu.example"],
});
`;

const byUrn = (doc: PlanDocument) => new Map(doc.resources.map((r) => [r.urn, r]));
let base: PlanDocument;
let added: PlanDocument;
let changed: PlanDocument;

beforeAll(async () => {
  [base, added, changed] = await Promise.all([
    plan(tenantsDir()),
    plan(tenantsDir((dir) => fs.writeFileSync(path.join(dir, "dev", "neu-gmbh.ts"), NEW_TENANT))),
    plan(
      tenantsDir((dir) => {
        const file = path.join(dir, "dev", "muster-gmbh.ts");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("quotaGb: 50", "quotaGb: 60"));
      }),
    ),
  ]);
}, 600_000);

/** URNs whose inputs differ between two plans (added and removed included). */
function differing(a: PlanDocument, b: PlanDocument): string[] {
  const before = byUrn(a);
  const after = byUrn(b);
  const urns = new Set([...before.keys(), ...after.keys()]);
  return [...urns]
    .filter(
      (urn) => JSON.stringify(before.get(urn)?.inputs) !== JSON.stringify(after.get(urn)?.inputs),
    )
    .sort();
}

describe("blast radius of one tenant", () => {
  it("the base stack registers dynamic resources with serialized providers", () => {
    const dynamic = base.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.length).toBeGreaterThan(10);
    expect(
      dynamic.every(
        (r) =>
          typeof r.inputs.__provider === "string" &&
          /^sha256:[0-9a-f]{64}$/.test(r.inputs.__provider),
      ),
    ).toBe(true);
  });

  it("adding a tenant only adds that tenant's resources", () => {
    const diff = differing(base, added);
    expect(diff.length).toBeGreaterThan(10);
    expect(diff.filter((urn) => !urn.includes("tenant-neu-gmbh"))).toEqual([]);
    expect(diff.every((urn) => !byUrn(base).has(urn))).toBe(true);
  });

  it("changing one tenant's quota changes only that tenant's space", () => {
    expect(differing(base, changed)).toEqual([
      expect.stringMatching(
        /dezky:tenant:TenantFiles\$pulumi-nodejs:dynamic\/ocis:Space::dev-tenant-muster-gmbh-files-space-finance$/,
      ),
    ]);
  });

  it("removing a tenant (the added one, as the base) touches no other resource", () => {
    const diff = differing(added, base);
    expect(diff.filter((urn) => !urn.includes("tenant-neu-gmbh"))).toEqual([]);
  });
});
