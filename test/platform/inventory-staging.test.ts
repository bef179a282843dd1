import { beforeAll, describe, expect, it } from "vitest";
import { runStackUnderMocks, type Inventory } from "../support/harness";
import staging from "../../stacks/staging";
import { expectPlatform } from "./inventory-checks";

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
      (r) =>
        r.type === "kubernetes:helm.sh/v3:Release" &&
        r.inputs.chart === "oci://ghcr.io/zulip/helm-charts/zulip",
    );
    expect(JSON.stringify(zulip?.inputs.values)).toContain(
      `https://auth.${staging.domain}/application/o/zulip/`,
    );
    const zone = inv.resources.find(
      (r) => r.type === "hcloud:index/zone:Zone" && r.inputs.name === staging.domain,
    );
    expect(zone?.protect).toBe(false);
  });

  it("issues trusted certificates in staging too (Let's Encrypt production, its own account)", () => {
    const issuers = inv.resources.filter(
      (r) => r.type === "kubernetes:cert-manager.io/v1:ClusterIssuer",
    );
    expect(issuers.length).toBe(2);
    for (const issuer of issuers) {
      const acme = (issuer.inputs.spec as { acme: { server: string } }).acme;
      // Staging's roots are in no trust store: Node fetch and in-cluster OIDC would fail.
      expect(acme.server).toBe("https://acme-v02.api.letsencrypt.org/directory");
    }
  });
});
