/**
 * Every Helm release the program declares is checked against its chart's own contract at the
 * pinned version (values.schema.json, or the keys values.yaml/templates read). A misspelled or
 * unread key fails here instead of being silently ignored by Helm on a real deploy.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runStackUnderMocks, type Inventory } from "../support/harness";
import dev from "../../stacks/dev";
import prod from "../../stacks/prod";
import staging from "../../stacks/staging";
import { authentikValues } from "../../components/platform/authentik-values";
import { collaboraValues } from "../../components/platform/collabora-values";
import { zulipValues } from "../../components/platform/zulip-values";
import { certManagerValues } from "../../components/platform/cert-manager-values";
import { checkValues, loadContract } from "./chart-contract";

const chartName = (chart: unknown) => String(chart).split("/").pop() ?? "";

let inv: Inventory;
beforeAll(async () => {
  // staging runs every chart (Zulip included); all stacks share the same chart code.
  inv = await runStackUnderMocks("staging");
});

describe("Helm values against each chart's contract at the pinned version", () => {
  it("declares the five platform charts", () => {
    const names = inv.resources
      .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
      .map((r) => chartName(r.inputs.chart))
      .sort();
    expect(names).toEqual([
      "authentik",
      "cert-manager",
      "cert-manager-webhook-hetzner",
      "collabora-online",
      "zulip",
    ]);
  });

  it("passes every release's values through its chart's contract", () => {
    const problems = inv.resources
      .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
      .flatMap((r) => {
        const contract = loadContract(chartName(r.inputs.chart), String(r.inputs.version));
        return checkValues(contract, (r.inputs.values ?? {}) as Record<string, unknown>).map(
          (p) => `${chartName(r.inputs.chart)} ${String(r.inputs.version)}: ${p}`,
        );
      });
    expect(problems).toEqual([]);
  });

  it("has a recorded contract for every chart pin of every environment", () => {
    for (const env of [dev, staging, prod]) {
      const v = env.versions;
      const pins: [string, string][] = [
        ["cert-manager", v.certManager],
        ["cert-manager-webhook-hetzner", v.certManagerWebhookHetzner],
        ["authentik", v.authentik.chart],
        ["collabora-online", v.collabora.chart],
        ...(v.zulip ? [["zulip", v.zulip.chart] as [string, string]] : []),
      ];
      for (const [chart, version] of pins) expect(() => loadContract(chart, version)).not.toThrow();
    }
  });

  it("fails on a misspelled key, whichever kind of contract the chart has", () => {
    const domain = "dezky.eu";
    // values.yaml keys (Authentik ships no schema).
    const authentik = authentikValues({ domain, appVersion: "2026.8.3" });
    const typo = { ...authentik, server: { ...authentik.server, ingres: { enabled: true } } };
    expect(checkValues(loadContract("authentik", "2026.8.0"), typo)).toEqual([
      "server.ingres.enabled: not a key the chart reads",
    ]);
    // values.schema.json (cert-manager, Zulip).
    expect(
      checkValues(loadContract("cert-manager", "v1.19.1"), { ...certManagerValues(), crd: {} }),
    ).toEqual(["//crd: must NOT have additional properties"]);
    const zulip = zulipValues({ domain, appVersion: "12.1-0", adminEmail: "ops@dezky.eu" });
    expect(
      checkValues(loadContract("zulip", "2.1.0"), { ...zulip, readinessProbe: { enabled: true } }),
    ).toContain("//readinessProbe: must NOT have additional properties");
    // Our own record of the keys the chart reads (Collabora).
    const collabora = collaboraValues({ domain, appVersion: "25.04.6.2.1" });
    expect(
      checkValues(loadContract("collabora-online", "1.1.51"), {
        ...collabora,
        readinessProbe: { httpGet: { path: "/" } },
      }),
    ).toEqual(["readinessProbe.httpGet.path: not a key the chart reads"]);
  });

  it("refuses a chart version nobody recorded a contract for", () => {
    expect(() => loadContract("cert-manager-webhook-hetzner", "1.0.0")).toThrow(
      /no values contract for chart cert-manager-webhook-hetzner 1.0.0/,
    );
  });
});
