/**
 * Cost of `npm run plan -- --stack <s> --base HEAD` for a one-tenant change on a large stack.
 * plan.ts plans the base in a git worktree of the tenants/ folder that is committed, so this
 * makes a scratch clone of the repository (HEAD, node_modules linked), commits N generated
 * tenants under tenants/<stack>/ there, edits one of them and times the plan in a child process
 * (`npm run plan`, so it follows package.json; peak RSS via /usr/bin/time -v when present: the
 * largest of the plan and its base child).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { benchTenant, renderBenchTenantFile, writeBenchTenants } from "./bench-tenants";

export interface BasePlanResult {
  tenants: number;
  stack: string;
  /** The changed tenant and what changed. */
  change: string;
  exitCode: number;
  wallMs: number;
  /** Largest peak RSS of the plan process and its children, when /usr/bin/time is available. */
  maxRssBytes?: number;
  /** The plan's summary line (create/update/replace/delete counts), when found. */
  summary?: string;
  /** Last lines of stderr when the plan failed. */
  error?: string;
}

const GIT_IDENTITY = ["-c", "user.name=dezky-bench", "-c", "user.email=bench@dezky.invalid"];

function run(cwd: string, cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** Peak RSS in bytes from `/usr/bin/time -v` output ("Maximum resident set size (kbytes): N"). */
export function parseTimeMaxRss(stderr: string): number | undefined {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** stderr without the report /usr/bin/time -v appends. */
export function withoutTimeReport(stderr: string): string {
  const at = stderr.search(/^\s*Command being timed:/m);
  return (at >= 0 ? stderr.slice(0, at) : stderr).trim();
}

/** The plan's "**a** to create, **b** to update, ..." line, markdown emphasis removed. */
export function planSummary(markdown: string): string | undefined {
  const line = markdown.split("\n").find((l) => /to create, .* to update/.test(l));
  return line?.replace(/\*\*/g, "").trim();
}

/** Scratch clone with `n` committed tenants and one edited; runs the --base plan there. */
export function measureBasePlan(
  repoRoot: string,
  stack: string,
  n: number,
  timeoutMs = 300_000,
): BasePlanResult {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-bench-plan-"));
  const clone = path.join(tmp, "repo");
  try {
    run(tmp, "git", ["clone", "--quiet", "--shared", repoRoot, clone]);
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(clone, "node_modules"), "dir");
    writeBenchTenants(path.join(clone, "tenants"), stack, n, "../schema");
    run(clone, "git", ["add", `tenants/${stack}`]);
    run(clone, "git", [...GIT_IDENTITY, "commit", "--quiet", "-m", `bench: ${n} tenants`]);

    // The one-tenant change: a new display name and a larger main space for one tenant.
    const index = Math.floor(n / 2);
    const tenant = benchTenant(index);
    const changed = {
      ...tenant,
      displayName: `${tenant.displayName} (renamed)`,
      spaces: tenant.spaces.map((s) => (s.key === "main" ? { ...s, quotaGb: s.quotaGb + 1 } : s)),
    };
    fs.writeFileSync(
      path.join(clone, "tenants", stack, `${tenant.slug}.ts`),
      renderBenchTenantFile(changed, "../schema"),
    );

    // Through npm, so the bench follows however package.json runs the plan.
    const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const planArgs = [
      "run",
      "--silent",
      "plan",
      "--",
      "--stack",
      stack,
      "--base",
      "HEAD",
      "--format",
      "markdown",
    ];
    const env = { ...process.env };
    delete env.DEZKY_TENANTS_DIR;
    const start = performance.now();
    const r = timeBin
      ? spawnSync(timeBin, ["-v", npm, ...planArgs], {
          cwd: clone,
          env,
          encoding: "utf8",
          maxBuffer: 256 * 1024 * 1024,
          timeout: timeoutMs,
          killSignal: "SIGKILL",
        })
      : spawnSync(npm, planArgs, {
          cwd: clone,
          env,
          encoding: "utf8",
          maxBuffer: 256 * 1024 * 1024,
          timeout: timeoutMs,
          killSignal: "SIGKILL",
        });
    const wallMs = performance.now() - start;
    const exitCode = r.status ?? 1;
    if (r.signal) {
      return {
        tenants: n,
        stack,
        change: `${tenant.slug}: displayName and main space quota`,
        exitCode,
        wallMs,
        summary: `did not finish: killed after ${Math.round(timeoutMs / 1000)} s (${r.signal})`,
        error: withoutTimeReport(r.stderr ?? "")
          .split("\n")
          .slice(-8)
          .join("\n"),
      };
    }
    return {
      tenants: n,
      stack,
      change: `${tenant.slug}: displayName and main space quota`,
      exitCode,
      wallMs,
      maxRssBytes: timeBin ? parseTimeMaxRss(r.stderr ?? "") : undefined,
      summary: planSummary(r.stdout ?? ""),
      ...(exitCode === 0 || exitCode === 3
        ? {}
        : {
            error: withoutTimeReport(r.stderr ?? "")
              .split("\n")
              .slice(-15)
              .join("\n"),
          }),
    };
  } finally {
    spawnSync("git", ["worktree", "prune"], { cwd: clone });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
