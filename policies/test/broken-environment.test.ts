import { describe, expect, it } from "vitest";
import { runStackUnderMocks } from "../../scripts/lib/mock-run";
import prod from "../../stacks/prod";
import { evaluatePolicies, policiesPass } from "../evaluate";

describe("a broken environment fixture", () => {
  it("a prod environment whose ceiling is below the adopted host's price fails cost-ceiling", async () => {
    const env = { ...prod, costCeilingEur: 10 };
    const inventory = await runStackUnderMocks("prod", { env });
    const results = await evaluatePolicies(inventory, { env });
    const cost = results.find((r) => r.name === "cost-ceiling");
    expect(cost?.enforcementLevel).toBe("advisory");
    expect(cost?.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(/^Estimated \d+(\.\d+)? EUR\/month exceeds the ceiling of 10 EUR/),
    ]);
    // The same inventory against the real prod ceiling (120 EUR) is within budget.
    const real = await evaluatePolicies(inventory);
    expect(real.find((r) => r.name === "cost-ceiling")?.violations).toEqual([]);
    // Advisory only: it does not block.
    expect(policiesPass(results.filter((r) => r.name === "cost-ceiling"))).toBe(true);
  });
});
