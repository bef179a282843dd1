/**
 * The bench's state figures (issue 19): serialized provider code per dynamic resource, and the
 * estimated checkpoint bytes per tenant, from a real recording of the program.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Recording, STRING_TAG } from "../../scripts/lib/bench-replay";
import { estimateState, renderStateEstimate } from "../../scripts/lib/bench-state";
import { writeBenchTenants } from "../../scripts/lib/bench-tenants";

const REPO = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-state-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Issue 19's limit on the code Pulumi stores per dynamic resource. */
const STUB_LIMIT = 2048;

describe("estimateState (pure)", () => {
  const code = "x".repeat(600);
  const rec: Recording = {
    stack: "dev",
    strings: [code],
    registrations: [
      {
        type: "dezky:tenant:Tenant",
        name: "dev-tenant-acme",
        kind: "component",
        inputs: {},
        opts: {},
      },
      {
        type: "pulumi-nodejs:dynamic/ocis:Space",
        name: "dev-tenant-acme-files-space-main",
        kind: "custom",
        parent: 0,
        inputs: { __provider: { [STRING_TAG]: 0 }, tenant: "acme" },
        opts: {},
      },
      {
        type: "pulumi-nodejs:dynamic/readiness:ApiReadiness",
        name: "dev-platform-ocis-ready",
        kind: "custom",
        inputs: { __provider: { [STRING_TAG]: 0 } },
        opts: {},
      },
    ],
  };

  it("counts provider code per type and attributes resources to their tenant", () => {
    const s = estimateState(rec);
    expect(s.providerCode).toEqual([
      { type: "ocis:Space", resources: 1, min: 600, max: 600 },
      { type: "readiness:ApiReadiness", resources: 1, min: 600, max: 600 },
    ]);
    expect(s.tenantBytes.tenants).toBe(1);
    // The tenant's space stores its code twice (inputs and outputs); the gate is not the tenant's.
    expect(s.tenantBytes.mean).toBeGreaterThan(1200);
    expect(s.tenantBytes.mean).toBeLessThan(2400);
    expect(s.providerShare).toBeGreaterThan(0.4);
    expect(renderStateEstimate(s).join("\n")).toContain("ocis:Space: 600 bytes (1 resources)");
  });
});

describe("the program's recording", () => {
  it(`stores at most ${STUB_LIMIT} bytes of provider code per dynamic resource, every type`, () => {
    const root = path.join(tmp, "tenants");
    writeBenchTenants(root, "dev", 3);
    const recording = path.join(tmp, "recording.json");
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(REPO, "scripts/lib/bench-child.ts"),
        "record",
        "dev",
        root,
        recording,
      ],
      { cwd: REPO, encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const s = estimateState(JSON.parse(fs.readFileSync(recording, "utf8")) as Recording);
    const types = s.providerCode.map((p) => p.type);
    for (const t of ["authentik:Group", "ocis:Space", "ocis:SpaceMember", "stalwart:MailDomain"]) {
      expect(types).toContain(t);
    }
    for (const p of s.providerCode) expect(p.max, p.type).toBeLessThanOrEqual(STUB_LIMIT);
    expect(s.tenantBytes.tenants).toBe(3);
    expect(s.tenantBytes.min).toBeGreaterThan(0);
  }, 300_000);
});
