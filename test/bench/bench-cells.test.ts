import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  cellEnvironment,
  cellStackName,
  parseCells,
  writeCells,
} from "../../scripts/lib/bench-cells";
import { loadConfiguration } from "../../stacks/configuration";
import { environmentFor } from "../../stacks/environments";
import { tenantsOf } from "../../tenants/load";

const REPO = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-bench-cells-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the cells bench", () => {
  it("reads cells x tenants", () => {
    expect(parseCells("10x100")).toEqual({ cells: 10, tenants: 100 });
    expect(() => parseCells("10")).toThrow("bad --cells 10: give cells x tenants, such as 10x100");
    expect(() => parseCells("0x5")).toThrow("bad --cells");
  });

  it("names cells as production cells are named", () => {
    expect([0, 1, 25, 26].map(cellStackName)).toEqual([
      "prod-fsn1-a",
      "prod-fsn1-b",
      "prod-fsn1-z",
      "prod-fsn1-c26",
    ]);
  });

  it("writes cells the configuration accepts as they are: one file and a tenant folder each", async () => {
    const layout = writeCells(tmp, environmentFor("prod"), 3, 2, REPO);
    expect(fs.readdirSync(layout.stacksDir).sort()).toEqual(
      layout.stacks.map((s) => `${s}.ts`).sort(),
    );
    const config = await loadConfiguration({
      stacksDir: layout.stacksDir,
      tenantsRoot: layout.tenantsRoot,
    });
    // The canary first, then the other cells; each cell with its own two tenants.
    expect(config.order).toEqual(["prod-fsn1-a", "prod-fsn1-b", "prod-fsn1-c"]);
    expect(config.byStack.get("prod-fsn1-a")?.env.canary).toBe(true);
    expect(config.byStack.get("prod-fsn1-b")?.env.canary).toBe(false);
    const slugs = layout.stacks.map((s) => tenantsOf(config.tenants, s).map((t) => t.slug));
    expect(slugs).toEqual([
      ["bench-t00000", "bench-t00001"],
      ["bench-t00002", "bench-t00003"],
      ["bench-t00004", "bench-t00005"],
    ]);
  }, 120_000);

  it("gives each cell what must be unique across cells", () => {
    const prod = environmentFor("prod");
    const [a, b] = [cellEnvironment(prod, 0), cellEnvironment(prod, 1)];
    expect(a.cell).not.toBe(b.cell);
    expect(a.domain).not.toBe(b.domain);
    expect(a.objectStorage.buckets.ocis).not.toBe(b.objectStorage.buckets.ocis);
    expect(a.host).not.toEqual(b.host);
  });
});
