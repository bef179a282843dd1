/** Reads the GitHub workflows as data, for the tests that check the PR and deploy flow. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "../..");
export const WORKFLOW_DIR = path.join(ROOT, ".github/workflows");
export const REUSABLE = "./.github/workflows/pulumi-stack.yml";

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
export interface Job {
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  permissions?: Record<string, string>;
  strategy?: {
    "fail-fast"?: boolean;
    "max-parallel"?: number;
    matrix?: Record<string, unknown>;
  };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps?: Step[];
}
export interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  jobs: Record<string, Job>;
}

export function workflowFiles(): string[] {
  return fs.readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f));
}

export function loadWorkflow(name: string): Workflow {
  return parse(fs.readFileSync(path.join(WORKFLOW_DIR, name), "utf8")) as Workflow;
}

export const needsOf = (job: Job): string[] =>
  Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : [];

export const stepsOf = (job: Job): Step[] => job.steps ?? [];

/** The jobs of a workflow that call the shared "run Pulumi for a stack" workflow. */
export function stackJobs(wf: Workflow): Array<[string, Job]> {
  return Object.entries(wf.jobs).filter(([, j]) => j.uses === REUSABLE);
}

/** `${{ fromJSON(needs.<job>.outputs.<name>) }}` -> [job, name]. */
export function matrixSource(job: Job): [string, string] | undefined {
  const m = /^\$\{\{\s*fromJSON\(needs\.([\w-]+)\.outputs\.([\w-]+)\)\s*\}\}$/.exec(
    String(job.strategy?.matrix?.stack ?? ""),
  );
  return m ? [m[1], m[2]] : undefined;
}

/** Substitutes `${{ matrix.stack }}` as Actions would for one matrix entry. */
export function forStack(value: unknown, stack: string): string {
  return String(value).replace(/\$\{\{\s*matrix\.stack\s*\}\}/g, stack);
}
