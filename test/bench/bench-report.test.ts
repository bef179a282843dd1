import { describe, expect, it } from "vitest";
import { measureApiRequests, meanRequests, totalRequests } from "../../scripts/lib/bench-api";
import { parseTimeMaxRss, planSummary, withoutTimeReport } from "../../scripts/lib/bench-plan";
import {
  areaOf,
  type CpuProfile,
  selfTimeByArea,
  selfTimes,
  shortLocation,
} from "../../scripts/lib/bench-profile";
import { apiRows, renderReadmeSection } from "../../scripts/lib/bench-report";
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
  it("reads peak RSS from /usr/bin/time -v and the plan's summary line", () => {
    expect(parseTimeMaxRss("\tMaximum resident set size (kbytes): 2048\n")).toBe(2048 * 1024);
    expect(parseTimeMaxRss("nothing")).toBeUndefined();
    expect(
      withoutTimeReport('FATAL ERROR: heap\n\tCommand being timed: "node"\n\tExit status: 0\n'),
    ).toBe("FATAL ERROR: heap");
    expect(
      planSummary(
        "### Offline plan\n\n**0** to create, **3** to update, **0** to replace, **0** to delete\n",
      ),
    ).toBe("0 to create, 3 to update, 0 to replace, 0 to delete");
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

describe("README section", () => {
  it("has the heading, the command, the machine and each target's verdict", () => {
    const text = renderReadmeSection({
      machine: "2 cores",
      stack: "dev",
      repeat: 1,
      runner: "tsc",
      results: [
        {
          tenants: 1000,
          program: { resources: 100, wallMs: 130, maxRssBytes: 100 },
          floor: { resources: 100, wallMs: 100, maxRssBytes: 100 },
        },
      ],
      targets: [{ name: "time ratio program/floor at 1000", value: 1.3, limit: 1.2, ok: false }],
      totalMs: 1000,
    });
    expect(text.startsWith("## Performance\n")).toBe(true);
    expect(text).toContain("`npm run bench`");
    expect(text).toContain("Machine: 2 cores.");
    expect(text).toContain(
      "- **missed**: time ratio program/floor at 1000 = 1.30x (target <= 1.20x)",
    );
  });
});
