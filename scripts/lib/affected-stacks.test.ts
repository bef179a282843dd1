import { describe, expect, it } from "vitest";
import { affectedStacks, stacksForPath } from "./affected-stacks";

const STACKS = ["dev", "staging", "prod"];

describe("affectedStacks", () => {
  it.each([
    ["tenants/prod/kanzlei-weber.ts", ["prod"]],
    ["tenants/staging/new.ts", ["staging"]],
    ["stacks/dev.ts", ["dev"]],
    ["stacks/Pulumi.prod.yaml", ["prod"]],
    ["stacks/schema.ts", STACKS],
    ["stacks/index.ts", STACKS],
    ["stacks/versions.ts", STACKS],
    ["tenants/schema.ts", STACKS],
    ["components/host/cloud-init.ts", STACKS],
    ["policies/rules/cost.ts", STACKS],
    ["package.json", STACKS],
    ["package-lock.json", STACKS],
    ["Pulumi.yaml", STACKS],
    ["README.md", []],
    ["docs/pr-flow.md", []],
    ["components/dns/records.test.ts", []],
    ["tenants/unknown-stack/x.ts", []],
    [".github/workflows/deploy.yml", []],
    ["scripts/plan.ts", []],
  ])("%s -> %j", (path, expected) => {
    expect(stacksForPath(path, STACKS)).toEqual(expected);
  });

  it("unions paths and keeps the promotion order", () => {
    expect(affectedStacks(["tenants/prod/a.ts", "stacks/dev.ts", "docs/x.md"], STACKS)).toEqual([
      "dev",
      "prod",
    ]);
    expect(affectedStacks(["README.md", ""], STACKS)).toEqual([]);
  });
});
