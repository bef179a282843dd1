import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stackDomains } from "../stacks/program";
import { tsNodeArgs } from "../scripts/lib/ts-runner";
import { loadAllTenants, loadTenants } from "./load";

const root = path.resolve(__dirname, "..");

function tempTenants(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-tenants-"));
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

const schemaImport = JSON.stringify(path.join(root, "tenants", "schema"));

describe("tenant files in the repository", () => {
  it("load and validate for every stack", async () => {
    const all = await loadAllTenants(stackDomains());
    expect(all.map((t) => `${t.stack}/${t.tenant.slug}`).sort()).toEqual([
      "dev/alt-verein",
      "dev/muster-gmbh",
      "prod/dezky",
      "prod/kanzlei-weber",
      "staging/baeckerei-schmidt",
    ]);
  });

  it("ship the platform's own tenant on prod", async () => {
    const prod = await loadTenants("prod", stackDomains());
    expect(prod.find((t) => t.slug === "dezky")?.plan).toBe("enterprise");
  });
});

describe("npm run plan with a bad tenant file", () => {
  it("fails, naming the file, the field and the fix", async () => {
    const dir = tempTenants({
      "prod/acme.ts": `import { defineTenant } from ${schemaImport};
export default defineTenant({
  slug: "acme", displayName: "Acme", plan: "starter",
  branding: { primaryColor: "#123456", logoUrl: "https://acme.example/logo.png" },
  spaces: [{ key: "main", name: "Main", quotaGb: 500 }],
  admins: ["it@acme.example"],
});
`,
    });
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        tsNodeArgs(path.join(root, "scripts", "plan.ts"), "--stack", "prod"),
        { cwd: root, env: { ...process.env, DEZKY_TENANTS_DIR: dir } },
        (error, _out, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
      ),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "tenants/prod/acme.ts: spaces: quotas add up to 500 GB, over the starter plan's 100 GB; lower a quota or change plan",
    );
  });
});
