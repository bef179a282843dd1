import { beforeAll, describe, expect, it } from "vitest";
import { runStackUnderMocks, type Inventory } from "../support/harness";
import staging from "../../stacks/staging";
import {
  expectPlatform,
  plainSecretLeaks,
  secretValues,
  workloadProblems,
} from "./inventory-checks";

let inv: Inventory;
beforeAll(async () => {
  inv = await runStackUnderMocks("staging");
});

describe("staging platform inventory", () => {
  it("contains every platform service with the environment's pins, hosts in the zone and readiness gates", () => {
    expectPlatform(inv, staging);
  });

  it("runs Zulip with Authentik login where the environment turns it on", () => {
    const zulip = inv.resources.find(
      (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "zulip",
    );
    expect(JSON.stringify(zulip?.inputs.values)).toContain(
      `https://auth.${staging.domain}/application/o/zulip/`,
    );
    const zone = inv.resources.find(
      (r) => r.type === "hcloud:index/zone:Zone" && r.inputs.name === staging.domain,
    );
    expect(zone?.protect).toBe(false);
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
});
