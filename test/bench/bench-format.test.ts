import { describe, expect, it } from "vitest";
import {
  checkTargets,
  formatBytes,
  formatMs,
  formatRatio,
  MAIN_HEADERS,
  mainRows,
  ratio,
  renderMarkdownTable,
  renderTable,
  renderTargets,
  resourcesPerTenant,
  type SizeResult,
  timePerResourceMs,
} from "../../scripts/lib/bench-format";

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
