import { beforeAll, describe, expect, it } from "vitest";
import { runStackUnderMocks, type Inventory } from "../support/harness";
import prod from "../../stacks/prod";
import {
  expectPlatform,
  plainSecretLeaks,
  secretValues,
  workloadProblems,
} from "./inventory-checks";

let inv: Inventory;
beforeAll(async () => {
  inv = await runStackUnderMocks("prod");
});

describe("prod platform inventory", () => {
  it("contains every platform service with the environment's pins, hosts in the zone and readiness gates", () => {
    expectPlatform(inv, prod);
  });

  it("protects the zone in production", () => {
    const zone = inv.resources.find(
      (r) => r.type === "hcloud:index/zone:Zone" && r.inputs.name === prod.domain,
    );
    expect(zone?.protect).toBe(true);
    expect(zone?.inputs.deleteProtection).toBe(true);
  });

  it("keeps every identity: the Authentik database is protected and retained", () => {
    const db = inv.resources.find(
      (r) =>
        r.type === "kubernetes:apps/v1:StatefulSet" && r.name.endsWith("-authentik-postgresql"),
    );
    expect(db?.protect).toBe(true);
    expect(db?.retainOnDelete).toBe(true);
  });

  it("would catch a leak and a workload without limits (the checks are not vacuous)", () => {
    const secret = secretValues(inv).find((s) => s.startsWith("mock-"))!;
    const leaky = {
      ...inv,
      resources: [
        ...inv.resources,
        { ...inv.resources[0], name: "leak", inputs: { env: [{ value: `x${secret}` }] } },
      ],
    };
    expect(plainSecretLeaks(leaky)).toHaveLength(1);
    const bare = {
      ...inv.resources[0],
      type: "kubernetes:apps/v1:Deployment",
      name: "bare",
      inputs: { spec: { template: { spec: { containers: [{ name: "c" }] } } } },
    };
    expect(workloadProblems({ ...inv, resources: [bare] })).toEqual([
      "bare/c: requests",
      "bare/c: limits",
      "bare/c: readinessProbe",
    ]);
  });

  it("lets a tenant's own domain wait for cert-manager's CRDs, the HTTP issuer and the portal namespace", () => {
    const urn = (type: string, suffix: string) =>
      inv.resources.find((r) => r.type === type && r.name.endsWith(suffix))?.urn;
    const needed = [
      urn("kubernetes:helm.sh/v3:Release", "-tls-chart"),
      urn("kubernetes:cert-manager.io/v1:ClusterIssuer", "-letsencrypt-http"),
      urn("kubernetes:core/v1:Namespace", "-portal-ns"),
    ];
    expect(needed.every(Boolean)).toBe(true);
    const certificates = inv.resources.filter(
      (r) =>
        r.type === "kubernetes:cert-manager.io/v1:Certificate" && r.urn.includes("dezky:tenant"),
    );
    expect(certificates.length).toBeGreaterThan(0);
    for (const c of certificates) expect(c.dependsOn).toEqual(expect.arrayContaining(needed));
  });
});
