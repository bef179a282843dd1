import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatMs,
  formatRatio,
  MAIN_HEADERS,
  mainRows,
  ratio,
  renderMarkdownTable,
  renderTable,
  resourcesPerTenant,
  type SizeResult,
  stateBytesPerTenant,
  timePerResourceMs,
} from "../../scripts/lib/bench-format";
import type { ApiRequestsResult } from "../../scripts/lib/bench-api";
import type { PrPlanResult } from "../../scripts/lib/bench-pr-plan";
import {
  apiTargets,
  programTargets as checkTargets,
  prPlanTargets,
  renderTargets,
} from "../../scripts/lib/bench-targets";

const MiB = 1024 * 1024;

function size(
  tenants: number,
  resources: number,
  programMs: number,
  floorMs: number,
  programMiB: number,
  floorMiB: number,
): SizeResult {
  return {
    tenants,
    program: { resources, wallMs: programMs, maxRssBytes: programMiB * MiB },
    floor: { resources, wallMs: floorMs, maxRssBytes: floorMiB * MiB },
  };
}

describe("ratios and figures", () => {
  it("divides, and a zero floor gives NaN rather than a flattering number", () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(formatRatio(ratio(3, 0))).toBe("-");
    expect(formatRatio(1.234)).toBe("1.23x");
  });

  it("time per resource", () => {
    expect(timePerResourceMs({ resources: 400, wallMs: 1000, maxRssBytes: 0 })).toBe(2.5);
  });

  it("formats durations and sizes at each scale", () => {
    expect(formatMs(0.25)).toBe("250 µs");
    expect(formatMs(2.345)).toBe("2.35 ms");
    expect(formatMs(42.4)).toBe("42 ms");
    expect(formatMs(1234)).toBe("1.23 s");
    expect(formatMs(61_000)).toBe("61.0 s");
    expect(formatBytes(300 * MiB)).toBe("300 MiB");
    expect(formatBytes(1536 * MiB)).toBe("1.50 GiB");
    expect(formatBytes(200 * 1024)).toBe("200 KiB");
  });

  it("state bytes per tenant is the slope over the sets that measured it", () => {
    const withState = (r: SizeResult, bytes?: number): SizeResult => ({ ...r, stateBytes: bytes });
    expect(
      stateBytesPerTenant([
        withState(size(10, 1, 1, 1, 1, 1), 2_000_000),
        withState(size(100, 1, 1, 1, 1, 1), 11_000_000),
        withState(size(1000, 1, 1, 1, 1, 1)),
      ]),
    ).toBe(100_000);
    expect(stateBytesPerTenant([withState(size(10, 1, 1, 1, 1, 1), 5)])).toBeNaN();
  });

  it("resources per tenant is the slope, so the cell's fixed resources do not count", () => {
    const results = [size(1000, 20_050, 1, 1, 1, 1), size(10, 250, 1, 1, 1, 1)];
    expect(resourcesPerTenant(results)).toBe(20);
    expect(resourcesPerTenant([size(10, 250, 1, 1, 1, 1)])).toBeNaN();
  });
});

describe("targets", () => {
  it("meets all three when program is within 1.2x of the floor and growth is linear", () => {
    const checks = checkTargets([
      size(100, 2000, 1000, 900, 200, 180),
      size(1000, 20_000, 11_000, 10_000, 500, 450),
    ]);
    expect(checks.map((c) => c.ok)).toEqual([true, true, true]);
    expect(checks[0].value).toBeCloseTo(1.1);
    expect(checks[2].value).toBeCloseTo(1.1); // 0.55 ms vs 0.5 ms per resource
  });

  it("misses each one that is over, and says which", () => {
    const checks = checkTargets([
      size(100, 2000, 1000, 900, 200, 180),
      size(1000, 20_000, 30_000, 10_000, 900, 450),
    ]);
    expect(checks.map((c) => c.ok)).toEqual([false, false, false]);
    const text = renderTargets(checks);
    expect(text).toContain("MISS time ratio program/floor at 1000: 3.00x (target <= 1.20x)");
    expect(text).toContain("MISS memory ratio program/floor at 1000: 2.00x");
    expect(text).toContain("MISS time/resource at 1000 vs 100: 3.00x");
  });

  it("a missing floor is a miss, not a pass", () => {
    const [time] = checkTargets([size(1000, 10, 100, 0, 1, 1)]);
    expect(time.ok).toBe(false);
  });

  const run = (wallMs: number, gib: number) => ({
    exitCode: 0,
    wallMs,
    peakTreeRssBytes: gib * 1024 * MiB,
  });
  const plan = (fast: ReturnType<typeof run>, equal?: boolean): PrPlanResult => ({
    tenants: 1000,
    stack: "dev",
    change: "t: name",
    fast,
    ...(equal === undefined ? {} : { full: run(200_000, 8), equal }),
  });

  it("the PR plan meets 60 s and 3 GiB, and its view must equal --full's", () => {
    const met = prPlanTargets(plan(run(20_000, 1.8), true));
    expect(met.map((c) => c.ok)).toEqual([true, true, true]);
    const text = renderTargets(prPlanTargets(plan(run(61_000, 3.5), false)));
    expect(text).toContain("MISS one-tenant PR plan at 1000: wall time: 61.0 s (target <= 60.0 s)");
    expect(text).toContain(
      "MISS one-tenant PR plan at 1000: peak memory (process tree): 3.50 GiB (target <= 3.00 GiB)",
    );
    expect(text).toContain("MISS one-tenant PR plan at 1000: same PR view as --full: different");
    // Without --full the equivalence is not judged (the test suite proves it), not passed.
    expect(prPlanTargets(plan(run(1, 1)))).toHaveLength(2);
    // A --full run that did not finish: not judged, a miss.
    const killed = {
      ...plan(run(20_000, 1.8)),
      full: { ...run(600_000, 7), exitCode: 1, error: "killed" },
    };
    const same = prPlanTargets(killed)[2];
    expect(same.ok).toBe(false);
    expect(renderTargets([same])).toContain(
      "same PR view as --full: not judged (--full did not finish)",
    );
  });

  it("a failed PR plan misses its targets however fast it failed", () => {
    const failed = plan({ ...run(100, 0.1), exitCode: 1, error: "boom" } as ReturnType<typeof run>);
    expect(prPlanTargets(failed).map((c) => c.ok)).toEqual([false, false]);
  });

  it("API requests per warm tenant create: objects + 1 at most; the cold tenant is left out", () => {
    const tenant = (requests: number, objects: number) => ({
      slug: "t",
      plan: "starter",
      objects: { authentik: objects, ocis: 0, stalwart: 0 },
      requests: { authentik: requests, ocis: 0, stalwart: 0 },
    });
    const api = (...t: ReturnType<typeof tenant>[]): ApiRequestsResult => ({ tenants: t });
    expect(apiTargets(api(tenant(50, 8), tenant(9, 8), tenant(14, 13)))[0]).toMatchObject({
      value: 1,
      ok: true,
    });
    expect(apiTargets(api(tenant(9, 8), tenant(9, 8), tenant(30, 13)))[0]).toMatchObject({
      value: 17,
      ok: false,
    });
    expect(apiTargets(api(tenant(9, 8)))).toEqual([]);
  });
});

describe("tables", () => {
  it("aligns columns: first left, the rest right", () => {
    const text = renderTable(
      ["name", "n"],
      [
        ["a", "1"],
        ["bbb", "100"],
      ],
    );
    expect(text.split("\n")).toEqual(["name    n", "----  ---", "a       1", "bbb   100"]);
  });

  it("main rows carry program, floor and both ratios", () => {
    const [row] = mainRows([size(100, 2000, 1200, 1000, 300, 200)]);
    expect(row).toHaveLength(MAIN_HEADERS.length);
    expect(row).toEqual([
      "100",
      "2000",
      "1.20 s",
      "600 µs",
      "300 MiB",
      "1.00 s",
      "200 MiB",
      "1.20x",
      "1.50x",
    ]);
  });

  it("renders markdown with right-aligned numeric columns", () => {
    expect(renderMarkdownTable(["a", "b"], [["x", "1"]])).toBe(
      "| a | b |\n| --- | ---: |\n| x | 1 |",
    );
  });
});
