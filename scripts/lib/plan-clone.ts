/**
 * Test support: a throwaway clone of this repository with the working tree's scripts/ copied
 * in and committed, where tests edit files and run `npm run plan` as the PR workflow does.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");

export interface PlanClone {
  dir: string;
  git(...args: string[]): string;
  plan(...args: string[]): { status: number | null; stdout: string; stderr: string };
  cleanup(): void;
}

export function planClone(): PlanClone {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-plan-e2e-"));
  const dir = path.join(tmp, "repo");
  const run = (cmd: string, args: string[], cwd = dir) => {
    const env = { ...process.env };
    delete env.DEZKY_TENANTS_DIR; // the clone's own tenant files
    delete env.DEZKY_RETENTION_BASE;
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const git = (...args: string[]) => {
    const r = run("git", args);
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  run("git", ["clone", "-q", "--no-hardlinks", REPO, dir], tmp);
  fs.cpSync(path.join(REPO, "scripts"), path.join(dir, "scripts"), { recursive: true });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  git("config", "user.email", "test@dezky.invalid");
  git("config", "user.name", "plan test");
  git("add", "scripts");
  git("commit", "-q", "--allow-empty", "-m", "base");
  const tsx = path.join(REPO, "node_modules", "tsx", "dist", "cli.mjs");
  return {
    dir,
    git,
    plan: (...args) => run(process.execPath, [tsx, "scripts/plan.ts", ...args]),
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}
