/**
 * Adding a production cell needs no workflow edit: the tests below take the real stacks plus
 * new cells, compute the outputs the workflows' first job prints (the same functions
 * `npm run -s stacks` and `affected-stacks --waves` run), and walk deploy, preview and drift
 * as Actions would: which stacks each job's matrix gets, in which order, in which
 * GitHub Environment and concurrency group.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { environmentFor, STACKS } from "../../stacks/environments";
import {
  deployWaves,
  type StackInfo,
  stackInfo,
  wavesOutputs,
} from "../../scripts/lib/affected-stacks-waves";
import {
  forStack,
  type Job,
  loadWorkflow,
  matrixSource,
  needsOf,
  ROOT,
  stackJobs,
  stepsOf,
  type Workflow,
} from "./load";

interface Run {
  job: string;
  stack: string;
  environment: string;
  concurrency: string;
}

/** Every stack job's matrix expanded against the first job's outputs. */
function expand(wf: Workflow, outputs: Record<string, string[]>): Run[] {
  return stackJobs(wf).flatMap(([name, job]) => {
    const source = matrixSource(job);
    if (!source) throw new Error(`${name}: matrix not read from a job's outputs`);
    const [from, output] = source;
    // The first job maps its outputs 1:1 to the step that prints them.
    expect(wf.jobs[from].outputs?.[output]).toMatch(
      new RegExp(`^\\$\\{\\{ steps\\.[\\w-]+\\.outputs\\.${output} \\}\\}$`),
    );
    expect(Object.keys(outputs), `${name} reads ${output}`).toContain(output);
    return outputs[output].map((stack) => ({
      job: name,
      stack,
      environment: forStack(job.with?.environment, stack),
      concurrency: forStack(job.with?.["concurrency-group"], stack),
    }));
  });
}

/** Jobs each job waits for, transitively. */
function before(wf: Workflow, job: string): Set<string> {
  const seen = new Set<string>();
  const visit = (j: string) => {
    for (const n of needsOf(wf.jobs[j] as Job)) {
      if (seen.has(n)) continue;
      seen.add(n);
      visit(n);
    }
  };
  visit(job);
  return seen;
}

const realStacks = (): StackInfo[] =>
  STACKS.map((s) => stackInfo(environmentFor(s))).map((s) =>
    s.stack === "prod" ? { ...s, canary: true } : s,
  );
const withCells = (n: number): StackInfo[] => [
  ...realStacks(),
  ...Array.from({ length: n }, (_, i) => ({
    stack: `prod-fsn1-${String.fromCharCode(98 + i)}`,
    production: true,
    canary: false,
  })),
];

describe.each([
  ["today's stacks", realStacks()],
  ["one new cell", withCells(1)],
  ["ten more cells", withCells(10)],
])("deploy.yml with %s", (_, stacks) => {
  const wf = loadWorkflow("deploy.yml");
  const outputs = wavesOutputs(deployWaves(stacks));
  const runs = expand(wf, outputs);
  const production = stacks.filter((s) => s.production).map((s) => s.stack);

  it("deploys every stack exactly once", () => {
    expect(runs.map((r) => r.stack).sort()).toEqual(stacks.map((s) => s.stack).sort());
  });

  it("deploys production cells only behind the prod gate, each serialised on itself", () => {
    for (const r of runs) {
      expect(r.environment).toBe(production.includes(r.stack) ? "prod" : r.stack);
      expect(r.concurrency).toBe(`pulumi-${r.stack}`);
    }
  });

  it("deploys dev, then staging, then the canary cell, then the other cells", () => {
    const jobOf = (stack: string) => runs.find((r) => r.stack === stack)!.job;
    const canary = runs.filter((r) => r.job === "canary");
    expect(canary.map((r) => r.stack)).toEqual(["prod"]);
    expect(before(wf, jobOf("staging"))).toContain(jobOf("dev"));
    expect(before(wf, "canary")).toEqual(new Set(["changes", "dev", "staging"]));
    for (const cell of production.filter((s) => s !== "prod")) {
      expect(jobOf(cell)).toBe("cells");
      expect(before(wf, "cells")).toContain("canary");
    }
  });
});

describe("preview.yml and drift.yml with ten more cells", () => {
  const stacks = withCells(10);
  const outputs = wavesOutputs(deployWaves(stacks));

  it("the offline plan covers every affected stack, forks included", () => {
    const job = loadWorkflow("preview.yml").jobs["offline-plan"];
    expect(matrixSource(job)).toEqual(["changes", "stacks"]);
    expect(outputs.stacks).toHaveLength(stacks.length);
  });

  it("every production cell's preview waits for a reviewer, the others do not", () => {
    const runs = expand(loadWorkflow("preview.yml"), outputs);
    expect(runs.map((r) => r.stack).sort()).toEqual(stacks.map((s) => s.stack).sort());
    for (const r of runs) {
      const production = stacks.find((s) => s.stack === r.stack)!.production;
      expect(r.environment).toBe(production ? "preview-prod" : `preview-${r.stack}`);
    }
  });

  it("drift checks every stack nightly", () => {
    const runs = expand(loadWorkflow("drift.yml"), outputs);
    expect(runs.map((r) => r.stack).sort()).toEqual(stacks.map((s) => s.stack).sort());
  });
});

describe("the first job of each workflow prints what the matrices read", () => {
  const printed = (args: string[]) => {
    const r = spawnSync("npx", ["tsx", ...args, "--format", "github"], {
      cwd: ROOT,
      encoding: "utf8",
      input: "tenants/prod/acme.ts\n",
    });
    expect(r.stderr).toBe("");
    return Object.fromEntries(
      r.stdout
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), JSON.parse(l.slice(l.indexOf("=") + 1))]),
    ) as Record<string, string[]>;
  };

  it("npm run -s stacks prints every output, from the environment files", () => {
    const all = printed(["scripts/list-stacks.ts"]);
    expect(all).toEqual(wavesOutputs(deployWaves(STACKS.map((s) => stackInfo(environmentFor(s))))));
    expect(all.stacks.sort()).toEqual([...STACKS].sort());
  });

  it("affected-stacks --waves prints the same outputs, restricted to the change", () => {
    const affected = printed(["scripts/affected-stacks.ts", "--waves"]);
    expect(Object.keys(affected)).toEqual(Object.keys(wavesOutputs(deployWaves(realStacks()))));
    expect(affected.stacks).toEqual(["prod"]);
    expect(affected.production).toEqual(["prod"]);
  });

  it("the workflows call exactly these commands", () => {
    const runOf = (file: string, job: string) =>
      stepsOf(loadWorkflow(file).jobs[job])
        .map((s) => s.run ?? "")
        .join("\n");
    expect(runOf("deploy.yml", "changes")).toContain("npm run -s stacks -- --format github");
    expect(runOf("deploy.yml", "changes")).toContain(
      "npm run -s affected-stacks -- --waves --format github",
    );
    expect(runOf("preview.yml", "changes")).toContain(
      "npm run -s affected-stacks -- --waves --format github",
    );
    expect(runOf("drift.yml", "stacks")).toContain("npm run -s stacks -- --format github");
  });
});
