import { describe, expect, it } from "vitest";
import { HETZNER_PRICES } from "../prices/hetzner-2026-11";
import { costDiff, monthlyCost, resourcePrice } from "./cost";
import { renderCostDiffMarkdown } from "./cost-render";

const res = (name: string, type: string, inputs: Record<string, unknown>) => ({
  urn: `urn:pulumi:dev::dezky::${type}::${name}`,
  type,
  name,
  inputs,
});
const server = (name: string, serverType: string, extra: Record<string, unknown> = {}) =>
  res(name, "hcloud:index/server:Server", { serverType, location: "nbg1", ...extra });

describe("price table", () => {
  it("is dated, net, and has the types the stacks use", () => {
    expect(HETZNER_PRICES.date).toMatch(/^2026-11-\d\d$/);
    expect(HETZNER_PRICES.basis).toMatch(/net/);
    expect(HETZNER_PRICES.cloudServers.cx33).toBeGreaterThan(0);
    expect(HETZNER_PRICES.cloudServers.cx43).toBeGreaterThan(HETZNER_PRICES.cloudServers.cx33);
    expect(HETZNER_PRICES.dedicatedServers["AX41-NVMe"].monthly).toBe(39);
  });
});

describe("monthlyCost", () => {
  it("prices a Cloud server with its primary IPv4, a storage box and one object storage base", () => {
    const report = monthlyCost([
      server("dev-host", "cx33"),
      res("dev-backup-primary", "hcloud:index/storageBox:StorageBox", {
        storageBoxType: "BX11",
        location: "fsn1",
      }),
      res("dev-ocis", "pulumi-nodejs:dynamic/s3:Bucket", { name: "dezky-dev-ocis" }),
      res("dev-etcd", "pulumi-nodejs:dynamic/s3:Bucket", { name: "dezky-dev-etcd" }),
      res("dev-zone", "hcloud:index/zone:Zone", { name: "dezky-dev.eu" }),
      res("acme-space", "pulumi-nodejs:dynamic/ocis:Space", { quotaBytes: 1 }),
    ]);
    expect(report.lines.map((l) => [l.item, l.monthlyEur])).toEqual([
      ["server cx33", HETZNER_PRICES.cloudServers.cx33],
      ["primary IPv4", HETZNER_PRICES.primaryIpv4],
      ["storage box bx11", 3.2],
      ["base price (1 TB incl.)", 4.99],
    ]);
    expect(report.totalEur).toBeCloseTo(HETZNER_PRICES.cloudServers.cx33 + 0.5 + 3.2 + 4.99, 2);
    expect(report.unpriced).toEqual([]);
  });

  it("skips the IPv4 line when the server has no public IPv4", () => {
    const report = monthlyCost([
      server("s", "cx43", { publicNets: [{ ipv4Enabled: false, ipv6Enabled: true }] }),
    ]);
    expect(report.lines.map((l) => l.item)).toEqual(["server cx43"]);
  });

  it("lists unknown billable hcloud types and unknown server types as unpriced, never free", () => {
    const report = monthlyCost([
      server("big", "ccx63"),
      res("lb", "hcloud:index/loadBalancer:LoadBalancer", { loadBalancerType: "lb11" }),
    ]);
    expect(report.unpriced.map((l) => l.item)).toEqual(["server ccx63", "LoadBalancer"]);
  });

  it("adds the adopted dedicated host once", () => {
    const report = monthlyCost([], { dedicatedModels: ["AX41-NVMe"] });
    expect(report.totalEur).toBe(39);
    expect(report.lines[0].note).toMatch(/setup/);
    const withResource = monthlyCost(
      [res("host", "dezky:host:Dedicated", { model: "AX41-NVMe" })],
      {
        dedicatedModels: ["AX41-NVMe"],
      },
    );
    expect(withResource.totalEur).toBe(39);
  });

  it("prices single resources for the policy pack", () => {
    expect(
      resourcePrice({
        type: "hcloud:index/server:Server",
        name: "s",
        props: { serverType: "cx23" },
      }),
    ).toBe(Math.round((HETZNER_PRICES.cloudServers.cx23 + 0.5) * 100) / 100);
    expect(resourcePrice({ type: "hcloud:index/zone:Zone", name: "z", props: {} })).toBeUndefined();
  });
});

describe("costDiff", () => {
  it("shows only changed lines with before, after and diff", () => {
    const before = monthlyCost([server("host", "cx33"), server("worker", "cx23")]);
    const after = monthlyCost([server("host", "cx43"), server("extra", "cx23")]);
    const diff = costDiff(before, after);
    const p = HETZNER_PRICES.cloudServers;
    expect(diff.rows).toEqual([
      { resource: "host", item: "server cx33", before: p.cx33, after: undefined, diff: -p.cx33 },
      { resource: "worker", item: "server cx23", before: p.cx23, after: undefined, diff: -p.cx23 },
      { resource: "worker", item: "primary IPv4", before: 0.5, after: undefined, diff: -0.5 },
      { resource: "host", item: "server cx43", before: undefined, after: p.cx43, diff: p.cx43 },
      { resource: "extra", item: "server cx23", before: undefined, after: p.cx23, diff: p.cx23 },
      { resource: "extra", item: "primary IPv4", before: undefined, after: 0.5, diff: 0.5 },
    ]);
    expect(diff.diffEur).toBeCloseTo(p.cx43 - p.cx33, 2);
    const md = renderCostDiffMarkdown(diff);
    expect(md).toContain("| resource | before | after | diff |");
    expect(md).toContain(`increases by **+${(p.cx43 - p.cx33).toFixed(2)} EUR**`);
  });
});
