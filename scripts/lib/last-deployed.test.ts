import { describe, expect, it } from "vitest";
import { lastDeployedCommit } from "./last-deployed";

const A = "a".repeat(40);
const B = "b".repeat(40);
/** Shaped as `pulumi stack history --json` prints it (updateInfoJSON, newest first). */
const entry = (version: number, kind: string, result: string, head?: string) => ({
  version,
  kind,
  startTime: "2026-11-30T10:00:00.000Z",
  message: "deploy",
  environment: head ? { "git.head": head, "git.headName": "refs/heads/main" } : {},
  config: {},
  result,
});

describe("lastDeployedCommit", () => {
  it("takes the newest successful update, skipping failed updates and refreshes", () => {
    const history = [
      entry(5, "refresh", "succeeded", B),
      entry(4, "update", "failed", B),
      entry(3, "update", "in-progress", B),
      entry(2, "update", "succeeded", A),
      entry(1, "update", "succeeded", B),
    ];
    expect(lastDeployedCommit(JSON.stringify(history))).toEqual({
      kind: "commit",
      commit: A,
      version: 2,
    });
  });

  it("a stack never deployed has no base", () => {
    expect(lastDeployedCommit("")).toEqual({ kind: "never" });
    expect(lastDeployedCommit("null\n")).toEqual({ kind: "never" });
    expect(lastDeployedCommit("[]")).toEqual({ kind: "never" });
    expect(lastDeployedCommit(JSON.stringify([entry(1, "update", "failed", A)]))).toEqual({
      kind: "never",
    });
  });

  it("deploys without a recorded commit are an error, not a silent skip", () => {
    const result = lastDeployedCommit(JSON.stringify([entry(1, "update", "succeeded")]));
    expect(result.kind).toBe("unknown");
    expect(lastDeployedCommit("not json").kind).toBe("unknown");
    expect(lastDeployedCommit('{"version":1}').kind).toBe("unknown");
  });

  it("ignores a git.head that is not a full commit id", () => {
    const history = [entry(2, "update", "succeeded", "main"), entry(1, "update", "succeeded", A)];
    expect(lastDeployedCommit(JSON.stringify(history))).toMatchObject({ commit: A });
  });
});
