/**
 * The plan of a git ref: a temporary worktree of the ref with the repository's node_modules
 * linked in, where `scripts/plan.ts --format json` runs in a child process. Only the JSON
 * format is relied on, since the ref may predate newer plan options. The worktree is removed
 * afterwards, also on failure.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanDocument } from "./plan-render";
import { tsNodeArgs } from "./ts-runner";

/** Set in the child so the base's own plan does not look for a base again. */
export const NO_BASE_ENV = "DEZKY_PLAN_NO_BASE";

function git(cwd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** The top folder of the git checkout containing `dir`, or undefined outside git. */
export function gitRoot(dir: string): string | undefined {
  const r = git(dir, ["rev-parse", "--show-toplevel"]);
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Paths that differ between `ref` and the working tree, untracked files included. */
export function changedPaths(root: string, ref: string): string[] {
  const diff = git(root, ["diff", "--name-only", ref, "--"]);
  if (diff.status !== 0) throw new Error(`git diff against ${ref} failed: ${diff.stderr.trim()}`);
  const untracked = git(root, ["ls-files", "--others", "--exclude-standard"]);
  return [...diff.stdout.split("\n"), ...untracked.stdout.split("\n")].filter(Boolean);
}

function emptyPlan(stack: string): PlanDocument {
  return { stack, resources: [], tenants: [], outputs: {} };
}

/** Runs the JSON plan of `stack` at git `ref`. A stack the ref does not know yet is empty. */
export function planAtRef(root: string, ref: string, stack: string): PlanDocument {
  const commit = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (commit.status !== 0) throw new Error(`--base ${ref} is not a commit in ${root}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-plan-base-"));
  try {
    const added = git(root, ["worktree", "add", "--detach", tmp, commit.stdout.trim()]);
    if (added.status !== 0) throw new Error(`git worktree add failed: ${added.stderr.trim()}`);
    fs.symlinkSync(path.join(root, "node_modules"), path.join(tmp, "node_modules"), "dir");
    // The base's purges are judged against the base itself: what it deployed, it had allowed.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [NO_BASE_ENV]: "1",
      DEZKY_RETENTION_BASE: commit.stdout.trim(),
    };
    delete env.DEZKY_TENANTS_DIR;
    const run = spawnSync(
      process.execPath,
      tsNodeArgs("scripts/plan.ts", "--stack", stack, "--format", "json"),
      {
        cwd: tmp,
        env,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    if (run.status !== 0) {
      if (/Unknown stack/.test(run.stderr)) return emptyPlan(stack);
      throw new Error(`the plan of base ${ref} failed (exit ${run.status}):\n${run.stderr.trim()}`);
    }
    return JSON.parse(run.stdout) as PlanDocument;
  } finally {
    git(root, ["worktree", "remove", "--force", tmp]);
    fs.rmSync(tmp, { recursive: true, force: true });
    git(root, ["worktree", "prune"]);
  }
}
