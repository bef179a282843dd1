import { describe, expect, it } from "vitest";
import { measureApiRequests, meanRequests, totalRequests } from "../../scripts/lib/bench-api";
import { firstDifference, planSummary } from "../../scripts/lib/bench-pr-plan";
import {
  areaOf,
  type CpuProfile,
  selfTimeByArea,
  selfTimes,
  shortLocation,
} from "../../scripts/lib/bench-profile";
import {
  apiRows,
  cellsRows,
  renderReadmeSection,
  renderReport,
} from "../../scripts/lib/bench-report";
import { treeOf } from "../../scripts/lib/bench-rss";
import { benchTenant } from "../../scripts/lib/bench-tenants";
import { tenantSchema } from "../../tenants/schema";

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 } },
    {
      id: 2,
      callFrame: {
        functionName: "serializeProperty",
        url: "file:///r/node_modules/@pulumi/pulumi/runtime/rpc.js",
        lineNumber: 9,
      },
    },
    {
      id: 3,
      callFrame: {
        functionName: "Tenant",
        url: "file:///r/components/tenant/tenant.ts",
        lineNumber: 0,
      },
    },
    { id: 4, callFrame: { functionName: "", url: "node:internal/fs", lineNumber: 4 } },
  ],
  samples: [2, 2, 3, 2, 4, 1],
  timeDeltas: [1000, 1000, 2000, 1000, 500, 500],
};

describe("CPU profile summary", () => {
  it("adds self time per function, largest first, with percentages", () => {
    const top = selfTimes(profile, 2);
    expect(top).toEqual([
      { name: "serializeProperty (@pulumi/pulumi/runtime/rpc.js:10)", selfMs: 3, percent: 50 },
      { name: "Tenant (components/tenant/tenant.ts:1)", selfMs: 2, percent: (100 * 2) / 6 },
    ]);
  });

  it("groups by package or repository folder", () => {
    expect(selfTimeByArea(profile).map((a) => [a.name, a.selfMs])).toEqual([
      ["@pulumi/pulumi", 3],
      ["components/", 2],
      ["node internals", 0.5],
      ["(root)", 0.5],
    ]);
    expect(shortLocation("file:///x/node_modules/zod/v4/core.js")).toBe("zod/v4/core.js");
    expect(
      areaOf({ functionName: "f", url: "file:///x/node_modules/zod/a.js", lineNumber: 0 }),
    ).toBe("zod");
  });
});

describe("plan output parsing", () => {
  it("reads the plan's summary line", () => {
    expect(
      planSummary(
        "### Offline plan\n\n**0** to create, **3** to update, **0** to replace, **0** to delete\n",
      ),
    ).toBe("0 to create, 3 to update, 0 to replace, 0 to delete");
    expect(planSummary("no plan here")).toBeUndefined();
  });

  it("compares two PR views but for the line naming the path", () => {
    const fast = "# Plan\n\n_Fast path: only tenant files changed._\n\n**0** to create\n";
    const full =
      "# Plan\n\n_Full plan: the whole stack on both sides (--full)._\n\n**0** to create\n";
    expect(firstDifference(fast, full)).toBeUndefined();
    expect(firstDifference(fast, full.replace("**0**", "**1**"))).toBe(
      "line 5: **0** to create | **1** to create",
    );
    expect(firstDifference(fast, `${full}extra`)).toBe("line 6:  | extra");
    expect(firstDifference(`${fast}more\n`, full)).toBe("line 6: more | ");
    expect(firstDifference(fast.trimEnd(), full)).toBe("line 6: (none) | ");
  });
});

describe("process tree memory", () => {
  it("takes the root and every descendant, not its siblings", () => {
    const parentOf = new Map([
      [10, 1],
      [11, 10],
      [12, 10],
      [13, 12],
      [20, 1],
    ]);
    expect(treeOf(10, parentOf).sort()).toEqual([10, 11, 12, 13]);
    expect(treeOf(20, parentOf)).toEqual([20]);
  });
});

describe("API requests per tenant create (simulators)", () => {
  it("counts every tenant object's requests; a warm tenant needs no more than a cold one of its shape", async () => {
    // Tenants 4 and 40 have the same shape (business plan, 2 domains, 2 spaces).
    const tenants = [benchTenant(4), benchTenant(40)].map((t) => tenantSchema.parse(t));
    expect(tenants[1].mailDomains.length).toBe(tenants[0].mailDomains.length);
    expect(tenants[1].spaces.length).toBe(tenants[0].spaces.length);
    const { tenants: measured } = await measureApiRequests(tenants, "dezky-dev.eu");
    expect(measured.map((m) => m.slug)).toEqual(tenants.map((t) => t.slug));
    const [cold, warm] = measured;
    const t = tenants[0];
    expect(cold.objects).toEqual({
      authentik: 3 + t.departments.length,
      ocis: 1 + t.departments.length + 2 * t.spaces.length,
      // The tenant subdomain and the file's domains, each with its DNS records read.
      stalwart: 2 * (1 + t.mailDomains.length),
    });
    for (const k of ["authentik", "ocis", "stalwart"] as const) {
      expect(cold.requests[k]).toBeGreaterThanOrEqual(cold.objects[k]);
      expect(warm.requests[k]).toBeGreaterThanOrEqual(warm.objects[k]);
    }
    expect(warm.requests.authentik).toBeLessThanOrEqual(cold.requests.authentik);
    const rows = apiRows({ tenants: measured });
    expect(rows[0][0]).toBe(`${t.slug} (cold)`);
    expect(rows.at(-1)?.slice(3)).toEqual([
      String(warm.requests.authentik),
      String(warm.requests.ocis),
      String(warm.requests.stalwart),
      String(totalRequests(warm.requests)),
    ]);
    expect(meanRequests([cold.requests, warm.requests]).ocis).toBe(
      (cold.requests.ocis + warm.requests.ocis) / 2,
    );
  });
});

describe("report", () => {
  const report = {
    machine: "2 cores",
    stack: "dev",
    repeat: 1,
    runner: "tsc",
    results: [
      {
        tenants: 100,
        program: { resources: 100, wallMs: 10_000, maxRssBytes: 100 },
        floor: { resources: 100, wallMs: 8_000, maxRssBytes: 100 },
        stateBytes: 1_000_000,
      },
      {
        tenants: 1000,
        program: { resources: 1000, wallMs: 130_000, maxRssBytes: 100 },
        floor: { resources: 1000, wallMs: 100_000, maxRssBytes: 100 },
        stateBytes: 10_000_000,
      },
    ],
    cells: {
      cells: 2,
      tenantsPerCell: 100,
      runs: [
        { stack: "a", resources: 100, wallMs: 11_000, maxRssBytes: 2 * 1024 ** 2 },
        { stack: "b", resources: 100, wallMs: 13_000, maxRssBytes: 3 * 1024 ** 2 },
      ],
    },
    plan: {
      tenants: 1000,
      stack: "dev",
      change: "bench-t00500: displayName",
      fast: { exitCode: 0, wallMs: 20_000, peakTreeRssBytes: 1024 ** 3, path: "Fast path: x" },
      full: { exitCode: 0, wallMs: 200_000, peakTreeRssBytes: 8 * 1024 ** 3 },
      equal: true,
    },
    targets: [
      {
        name: "time ratio program/floor at 1000",
        value: 1.3,
        limit: 1.2,
        ok: false,
        unit: "ratio" as const,
      },
      {
        name: "one-tenant PR plan at 1000: wall time",
        value: 20_000,
        limit: 60_000,
        ok: true,
        unit: "ms" as const,
      },
    ],
    totalMs: 1000,
  };

  it("cells: the sum, mean and slowest of the cells' runs, the mean against a lone cell", () => {
    expect(cellsRows(report.cells, report.results)).toEqual([
      ["2 x 100", "200", "24.0 s", "12.0 s", "13.0 s", "3 MiB", "1.20x"],
    ]);
  });

  it("prints every section and each target's verdict", () => {
    const text = renderReport(report);
    expect(text).toContain("State per tenant: 10 KiB"); // (10 MB - 1 MB) / 900 tenants
    expect(text).toContain("2 production cells of 100 tenants");
    expect(text).toContain("as the preview workflow runs it: exit 0, 20.0 s, peak 1.00 GiB");
    expect(text).toContain("Both PR views are equal but for the line naming the path.");
    expect(text).toContain("MISSED time ratio program/floor at 1000: 1.30x (target <= 1.20x)");
    expect(text).toContain(
      "met    one-tenant PR plan at 1000: wall time: 20.0 s (target <= 60.0 s)",
    );
  });

  it("the README section has the heading, the command, the machine and the verdicts", () => {
    const text = renderReadmeSection(report);
    expect(text.startsWith("## Performance\n")).toBe(true);
    expect(text).toContain("`npm run bench` run: 2 cores");
    expect(text).toContain("| 2 x 100 | 200 |");
    expect(text).toContain(
      "- **missed**: time ratio program/floor at 1000 = 1.30x (target <= 1.20x)",
    );
    expect(text).toContain(
      "- met: one-tenant PR plan at 1000: wall time = 20.0 s (target <= 60.0 s)",
    );
  });
});
