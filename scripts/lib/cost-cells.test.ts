import { describe, expect, it } from "vitest";
import { type CostReport, monthlyCost } from "./cost";
import { cellsCost, renderCellsCostMarkdown, renderCellsCostText } from "./cost-cells";

/** A cell priced by the real price table: one Cloud server or an adopted AX41. */
function cellReport(serverType?: string): CostReport {
  const resources = serverType
    ? [{ urn: "urn:s", type: "hcloud:index/server:Server", name: "host", inputs: { serverType } }]
    : [];
  return monthlyCost(resources, { dedicatedModels: serverType ? [] : ["AX41-NVMe"] });
}

describe("cellsCost", () => {
  const dev = cellReport("cx23");
  const ax41 = cellReport();
  const cells = [
    { stack: "dev", production: false, report: dev },
    ...Array.from({ length: 10 }, (_, i) => ({
      stack: `prod-fsn1-${"abcdefghij"[i]}`,
      production: true,
      report: ax41,
    })),
  ];
  const total = cellsCost(cells);

  it("adds up any number of cells, production apart", () => {
    expect(total.cells).toHaveLength(11);
    expect(total.productionEur).toBeCloseTo(ax41.totalEur * 10, 2);
    expect(total.totalEur).toBeCloseTo(dev.totalEur + ax41.totalEur * 10, 2);
    expect(ax41.totalEur).toBeGreaterThan(0);
  });

  it("renders one row per cell and the total", () => {
    const md = renderCellsCostMarkdown(total).split("\n");
    expect(md.filter((l) => l.startsWith("| prod-fsn1-"))).toHaveLength(10);
    expect(md).toContain(`| **total** | | **${total.totalEur.toFixed(2)} EUR** | |`);
    const text = renderCellsCostText(total);
    expect(text).toContain(`Monthly cost across 11 stack(s): ${total.totalEur.toFixed(2)} EUR`);
    expect(text).toMatch(/prod-fsn1-j\s+production\s+\d+\.\d\d EUR/);
  });

  it("counts lines the price table does not know", () => {
    const unknown = monthlyCost([
      { urn: "urn:x", type: "hcloud:index/loadBalancer:LoadBalancer", name: "lb", inputs: {} },
    ]);
    const c = cellsCost([{ stack: "x", production: false, report: unknown }]);
    expect(c.unpriced).toBe(1);
    expect(renderCellsCostMarkdown(c)).toContain("| x |  | 0.00 EUR | 1 not priced |");
  });
});
