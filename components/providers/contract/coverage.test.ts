/** Every resource type of the package runs the contract suite: none may be added without. */
import { describe, expect, it } from "vitest";
import { RESOURCE_TYPES } from "../registry";
import { authentikCases } from "./authentik.cases";
import { ocisCases } from "./ocis.cases";
import { readinessCases } from "./readiness.cases";
import { robotCases } from "./robot.cases";
import { s3Cases } from "./s3.cases";
import { stalwartCases } from "./stalwart.cases";

const cases = [
  ...authentikCases,
  ...ocisCases,
  ...stalwartCases,
  ...s3Cases,
  ...robotCases,
  ...readinessCases,
];

describe("the contract suite", () => {
  it("has a case for every resource type of the package, and only those", () => {
    expect(cases.map((c) => c.type).sort()).toEqual([...RESOURCE_TYPES].sort());
  });

  it("says why a behaviour does not apply wherever a case leaves one out", () => {
    for (const c of cases) {
      if (!c.createCall) expect(c.notApplicable?.lostResponse, c.type).toBeTruthy();
      if (!c.foreign) expect(c.notApplicable?.foreign, c.type).toBeTruthy();
      if (!c.remove) expect(c.notApplicable?.remove, c.type).toBeTruthy();
    }
  });
});
