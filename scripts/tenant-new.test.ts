import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stackDomains } from "../stacks/program";
import { loadAllTenants } from "../tenants/load";

const root = path.resolve(__dirname, "..");

function copyTenants(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-new-"));
  for (const stack of ["dev", "staging", "prod"]) {
    fs.mkdirSync(path.join(dir, stack));
    for (const f of fs.readdirSync(path.join(root, "tenants", stack))) {
      const body = fs.readFileSync(path.join(root, "tenants", stack, f), "utf8");
      fs.writeFileSync(
        path.join(dir, stack, f),
        body.replace('"../schema"', JSON.stringify(path.join(root, "tenants", "schema"))),
      );
    }
  }
  return dir;
}

function run(
  dir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      path.join(root, "node_modules", ".bin", "tsx"),
      [path.join(root, "scripts", "tenant-new.ts"), ...args],
      { cwd: root, env: { ...process.env, DEZKY_TENANTS_DIR: dir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );
}

describe("npm run tenant:new", () => {
  it("scaffolds a tenant file that validates and prints the next steps", async () => {
    const dir = copyTenants();
    const result = await run(dir, [
      "acme",
      "--stack",
      "staging",
      "--plan",
      "business",
      "--domain",
      "Acme.de",
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Wrote tenants/staging/acme.ts (business).");
    expect(result.stdout).toContain("npm run plan -- --stack staging");
    const all = await loadAllTenants(stackDomains(), dir);
    const acme = all.find((t) => t.tenant.slug === "acme");
    expect(acme?.stack).toBe("staging");
    expect(acme?.tenant.mailDomains).toEqual([{ name: "acme.de", dns: "external" }]);
  });

  it("refuses a slug that exists on another stack and writes nothing", async () => {
    const dir = copyTenants();
    const result = await run(dir, ["dezky", "--stack", "dev"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'tenants/dev/dezky.ts: slug: "dezky" is also the slug of tenants/prod/dezky.ts; slugs are unique across all stacks, choose another',
    );
    expect(fs.existsSync(path.join(dir, "dev", "dezky.ts"))).toBe(false);
  });

  it("refuses a domain another tenant claims", async () => {
    const dir = copyTenants();
    const result = await run(dir, ["weber2", "--stack", "prod", "--domain", "kanzlei-weber.de"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "Invalid configuration (nothing was deployed):",
      '  tenants/prod/weber2.ts: mailDomains.0.name: "kanzlei-weber.de" is also claimed by tenants/prod/kanzlei-weber.ts; a domain belongs to one tenant',
    ]);
  });
});
