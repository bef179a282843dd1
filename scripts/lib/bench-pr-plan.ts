/**
 * The pull-request plan on a large stack, as the preview workflow runs it:
 * `npm run plan -- --stack <s> --base HEAD --format markdown` in a scratch clone of this
 * repository (HEAD, node_modules linked) with N generated tenants committed and one of them
 * edited. Timed with the summed memory of the plan's process tree (its partial programs run in
 * children at once). Then, for equivalence, the same with `--full` (the whole stack on both
 * sides): both PR views must be equal but for the line that names the path.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sampleTreeRss } from "./bench-rss";
import { benchTenant, renderBenchTenantFile, writeBenchTenants } from "./bench-tenants";

export interface PlanRun {
  exitCode: number;
  wallMs: number;
  /** Peak of the summed RSS of the plan and its children. */
  peakTreeRssBytes: number;
  /** "Fast path: ..." or "Full plan: ...", as the PR view says. */
  path?: string;
  summary?: string;
  /** Last lines of stderr when the plan failed or was killed. */
  error?: string;
  stdout: string;
}

export interface PrPlanResult {
  tenants: number;
  stack: string;
  change: string;
  fast: Omit<PlanRun, "stdout">;
  full?: Omit<PlanRun, "stdout">;
  /** Both PR views equal but for the path line (undefined when --full was not run or failed). */
  equal?: boolean;
  /** The first differing line, when not equal. */
  firstDifference?: string;
}

const GIT_IDENTITY = ["-c", "user.name=dezky-bench", "-c", "user.email=bench@dezky.invalid"];
const PATH_LINE = /^_((Fast path|Full plan): .*)_$/m;

/** The plan's "**a** to create, **b** to update, ..." line, markdown emphasis removed. */
export function planSummary(markdown: string): string | undefined {
  const line = markdown.split("\n").find((l) => /to create, .* to update/.test(l));
  return line?.replace(/\*\*/g, "").trim();
}

function git(cwd: string, args: string[]): void {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
}

/** Runs `npm run plan` in `cwd`, sampling the tree's memory; killed after `timeoutMs`. */
function runPlan(cwd: string, args: string[], timeoutMs: number): Promise<PlanRun> {
  const env = { ...process.env };
  delete env.DEZKY_TENANTS_DIR;
  delete env.DEZKY_RETENTION_BASE;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const start = performance.now();
  // Its own process group, so a timeout kills the plan's children too.
  const child = spawn(npm, ["run", "--silent", "plan", "--", ...args], {
    cwd,
    env,
    detached: true,
  });
  const rss = sampleTreeRss(child.pid!);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), timeoutMs);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const peakTreeRssBytes = rss.stop();
      const exitCode = code ?? 1;
      const failed = signal !== null || (exitCode !== 0 && exitCode !== 3);
      resolve({
        exitCode,
        wallMs: performance.now() - start,
        peakTreeRssBytes,
        path: PATH_LINE.exec(stdout)?.[1],
        summary: signal
          ? `did not finish: killed after ${Math.round(timeoutMs / 1000)} s`
          : planSummary(stdout),
        ...(failed ? { error: stderr.trim().split("\n").slice(-12).join("\n") } : {}),
        stdout,
      });
    });
  });
}

function withoutStdout({ stdout: _stdout, ...rest }: PlanRun): Omit<PlanRun, "stdout"> {
  return rest;
}

/** The first line where two PR views differ (the path line left out), or undefined. */
export function firstDifference(a: string, b: string): string | undefined {
  const left = a.replace(PATH_LINE, "").split("\n");
  const right = b.replace(PATH_LINE, "").split("\n");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i])
      return `line ${i + 1}: ${left[i] ?? "(none)"} | ${right[i] ?? "(none)"}`;
  }
  return undefined;
}

/** Scratch clone with `n` committed tenants and one edited; the PR plan, then --full. */
export async function measurePrPlan(options: {
  repoRoot: string;
  stack: string;
  tenants: number;
  withFull: boolean;
  timeoutMs: number;
}): Promise<PrPlanResult> {
  const { stack, tenants: n } = options;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-bench-pr-"));
  const clone = path.join(tmp, "repo");
  try {
    git(tmp, ["clone", "--quiet", "--shared", options.repoRoot, clone]);
    fs.symlinkSync(
      path.join(options.repoRoot, "node_modules"),
      path.join(clone, "node_modules"),
      "dir",
    );
    writeBenchTenants(path.join(clone, "tenants"), stack, n, "../schema");
    git(clone, ["add", `tenants/${stack}`]);
    git(clone, [...GIT_IDENTITY, "commit", "--quiet", "-m", `bench: ${n} tenants`]);

    // The one-tenant change: a new display name and a larger main space.
    const tenant = benchTenant(Math.floor(n / 2));
    const changed = {
      ...tenant,
      displayName: `${tenant.displayName} (renamed)`,
      spaces: tenant.spaces.map((s) => (s.key === "main" ? { ...s, quotaGb: s.quotaGb + 1 } : s)),
    };
    fs.writeFileSync(
      path.join(clone, "tenants", stack, `${tenant.slug}.ts`),
      renderBenchTenantFile(changed, "../schema"),
    );
    const args = ["--stack", stack, "--base", "HEAD", "--format", "markdown"];
    const fast = await runPlan(clone, args, options.timeoutMs);
    const result: PrPlanResult = {
      tenants: n,
      stack,
      change: `${tenant.slug}: displayName and main space quota`,
      fast: withoutStdout(fast),
    };
    if (options.withFull) {
      const full = await runPlan(clone, [...args, "--full"], options.timeoutMs);
      result.full = withoutStdout(full);
      // A --full run that failed or was killed proves nothing either way: not judged.
      if (full.error === undefined && fast.error === undefined) {
        const difference = firstDifference(fast.stdout, full.stdout);
        result.equal = !difference && fast.exitCode === full.exitCode;
        if (difference) result.firstDifference = difference;
      }
    }
    return result;
  } finally {
    spawnSync("git", ["worktree", "prune"], { cwd: clone });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
