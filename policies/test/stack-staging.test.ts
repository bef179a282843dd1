import { describe, expect, it } from "vitest";
import { runStackUnderMocks } from "../../scripts/lib/mock-run";
import { expectStackPasses } from "./all-stacks";

describe("stack staging through every policy", () => {
  it("passes every mandatory rule", async () => {
    const inventory = await runStackUnderMocks("staging");
    expect(inventory.resources.length).toBeGreaterThanOrEqual(1);
    const results = await expectStackPasses(inventory);
    expect(results.map((r) => r.name)).toContain("tenant-isolation");
  });
});
