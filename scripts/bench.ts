/**
 * npm run bench [-- --quick --sizes 10,100,1000 --cells 10x100 --stack dev --repeat 1
 *                  --runner tsc|tsx --heap-mb 16384 --plan-timeout 600 --profile --markdown
 *                  --skip-api --skip-plan --skip-plan-full --skip-cells --json out.json]
 *
 * For each tenant count: generates valid tenants in a temporary folder, runs the program for one
 * stack under Pulumi's mock runtime (child process: time, peak RSS, resources), records its
 * registrations (and the state bytes they would leave) and replays them as raw resources in a
 * fresh child (the floor), and prints program/floor ratios. Then K cells of N tenants, each cell
 * run on its own; API requests per tenant create (against the simulators); the one-tenant
 * pull-request plan on the largest set and, for equivalence, the same with --full. Every target
 * of issue 22 is printed as met or missed. `--quick` is 10 and 100 tenants and 3 cells of 10.
 * Not part of npm test.
 *
 * Runner: by default the children run the program compiled by tsc (into .bench/dist, as
 * `pulumi up` runs CommonJS from tsc): under tsx, `import * as ak from "@goauthentik/api"`
 * becomes an interop copy that Pulumi cannot recognise as a node module, so every Authentik
 * dynamic resource carries the whole client by value (1.27 MB of __provider) and 1000 tenants
 * exhaust the heap. `--runner tsx` measures the source as npm run plan runs it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { environmentFor } from "../stacks/environments";
import type { Environment } from "../stacks/schema";
import { tenantSchema } from "../tenants/schema";
import { type ApiRequestsResult, measureApiRequests } from "./lib/bench-api";
import { RESULT_PREFIX } from "./lib/bench-child";
import { type CellsResult, parseCells, writeCells } from "./lib/bench-cells";
import {
  formatBytes,
  formatMs,
  type RunMeasure,
  type SizeResult,
  renderTable,
} from "./lib/bench-format";
import { measurePrPlan, type PrPlanResult } from "./lib/bench-pr-plan";
import { type CpuProfile, selfTimeByArea, selfTimes } from "./lib/bench-profile";
import {
  API_HEADERS,
  apiRows,
  machineLine,
  planLines,
  renderReadmeSection,
  renderReport,
} from "./lib/bench-report";
import { apiTargets, prPlanTargets, programTargets } from "./lib/bench-targets";
import { estimateState, renderStateEstimate } from "./lib/bench-state";
import { benchTenant, writeBenchTenants } from "./lib/bench-tenants";
import { createProgress } from "./lib/progress";

const REPO = path.resolve(__dirname, "..");
const BUILD_DIR = path.join(REPO, ".bench", "dist");
let childScript = path.join(__dirname, "lib", "bench-child.ts");
let heapFlags: string[] = [];

const progress = createProgress("bench");

function log(message: string): void {
  progress.end();
  process.stderr.write(`${message}\n`);
}

/**
 * Runs one measurement child; node flags (e.g. --cpu-prof) go before the script. The compiled
 * program (.bench/dist) reads the environment files from the source tree, or from `stacksDir`.
 */
function child(
  args: string[],
  nodeFlags: string[] = [],
  stacksDir = path.join(REPO, "stacks"),
): RunMeasure {
  const flags = [...heapFlags, ...nodeFlags, "--import", "tsx"];
  const r = spawnSync(process.execPath, [...flags, childScript, ...args], {
    cwd: REPO,
    env: { ...process.env, DEZKY_STACKS_DIR: stacksDir },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  if (r.status !== 0 || !line) {
    throw new Error(`bench child ${args[0]} failed (exit ${r.status}):\n${r.stderr}`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as RunMeasure;
}

/** Compiles the program with tsc into .bench/dist (type errors are typecheck's business). */
function buildWithTsc(): void {
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(
    process.execPath,
    [tsc, "-p", path.join(REPO, "tsconfig.build.json"), "--outDir", BUILD_DIR],
    { cwd: REPO, encoding: "utf8" },
  );
  const built = path.join(BUILD_DIR, "scripts", "lib", "bench-child.js");
  if (!fs.existsSync(built)) throw new Error(`tsc build failed:\n${r.stdout}${r.stderr}`);
  childScript = built;
}

function best(runs: RunMeasure[]): RunMeasure {
  return {
    resources: runs[0].resources,
    wallMs: Math.min(...runs.map((r) => r.wallMs)),
    maxRssBytes: Math.min(...runs.map((r) => r.maxRssBytes)),
  };
}

function measureSize(tmp: string, stack: string, n: number, repeat: number): SizeResult {
  const root = path.join(tmp, `tenants-${n}`);
  writeBenchTenants(root, stack, n);
  const recording = path.join(tmp, `recording-${n}.json`);
  const recorded = child(["record", stack, root, recording]);
  const program: RunMeasure[] = [];
  const floor: RunMeasure[] = [];
  for (let i = 0; i < repeat; i++) {
    program.push(child(["program", stack, root]));
    floor.push(child(["floor", stack, recording]));
  }
  const result: SizeResult = {
    tenants: n,
    program: best(program),
    floor: best(floor),
    stateBytes: recorded.stateBytes,
  };
  if (
    result.program.resources !== recorded.resources ||
    result.floor.resources !== recorded.resources
  ) {
    throw new Error(
      `resource counts differ at ${n} tenants: record ${recorded.resources}, program ${result.program.resources}, floor ${result.floor.resources}`,
    );
  }
  log(
    `  ${n} tenants: ${result.program.resources} resources, program ${formatMs(result.program.wallMs)} / ${formatBytes(result.program.maxRssBytes)}, floor ${formatMs(result.floor.wallMs)} / ${formatBytes(result.floor.maxRssBytes)}`,
  );
  return result;
}

/** K cells of N tenants, each cell's program in its own child, one after the other. */
function measureCells(tmp: string, spec: { cells: number; tenants: number }): CellsResult {
  const prod = environmentFor("prod") as Environment;
  const layout = writeCells(path.join(tmp, "cells"), prod, spec.cells, spec.tenants, REPO);
  const runs = layout.stacks.map((stack, i) => {
    progress.phase(`${spec.cells} cells of ${spec.tenants}: cell ${i + 1}/${spec.cells}`);
    return { stack, ...child(["program", stack, layout.tenantsRoot], [], layout.stacksDir) };
  });
  const slowest = Math.max(...runs.map((r) => r.wallMs));
  log(`  ${spec.cells} cells of ${spec.tenants} tenants: slowest cell ${formatMs(slowest)}`);
  return { cells: spec.cells, tenantsPerCell: spec.tenants, runs };
}

function profile(tmp: string, stack: string, n: number): string {
  const root = path.join(tmp, `tenants-${n}`);
  const recording = path.join(tmp, `recording-${n}.json`);
  const sections: string[] = [];
  for (const [label, args] of [
    ["program", ["program", stack, root]],
    ["floor", ["floor", stack, recording]],
  ] as const) {
    const dir = fs.mkdtempSync(path.join(tmp, `prof-${label}-`));
    child([...args], ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) continue;
    const prof = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const fmt = (rows: ReturnType<typeof selfTimes>) =>
      renderTable(
        ["function", "self", "%"],
        rows.map((r) => [r.name, formatMs(r.selfMs), r.percent.toFixed(1)]),
      );
    sections.push(
      `CPU profile, ${label} at ${n} tenants (self time, whole process):\n${fmt(selfTimes(prof, 15))}\n\nBy package/folder:\n${fmt(selfTimeByArea(prof).slice(0, 10))}`,
    );
  }
  return sections.join("\n\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      sizes: { type: "string" },
      cells: { type: "string" },
      stack: { type: "string", default: "dev" },
      repeat: { type: "string", default: "1" },
      runner: { type: "string", default: "tsc" },
      "heap-mb": { type: "string", default: "16384" },
      "plan-timeout": { type: "string", default: "600" },
      profile: { type: "boolean", default: false },
      markdown: { type: "boolean", default: false },
      "skip-api": { type: "boolean", default: false },
      "skip-plan": { type: "boolean", default: false },
      "skip-plan-full": { type: "boolean", default: false },
      "skip-cells": { type: "boolean", default: false },
      json: { type: "string" },
    },
  });
  const sizesSpec = values.sizes ?? (values.quick ? "10,100" : "10,100,1000");
  const sizes = sizesSpec.split(",").map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bad --sizes ${sizesSpec}`);
  const cellsSpec = parseCells(values.cells ?? (values.quick ? "3x10" : "10x100"));
  const stack = values.stack;
  const repeat = Math.max(1, Number(values.repeat) || 1);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-bench-"));
  const started = performance.now();
  const machine = machineLine();
  log(`dezky bench on ${machine}`);
  heapFlags = [`--max-old-space-size=${Number(values["heap-mb"]) || 16384}`];
  if (values.runner === "tsc") {
    log("  compiling with tsc into .bench/dist...");
    buildWithTsc();
  } else if (values.runner !== "tsx") {
    throw new Error(`--runner must be tsc or tsx, not ${values.runner}`);
  }
  try {
    const results: SizeResult[] = [];
    for (const [i, n] of sizes.entries()) {
      progress.phase(`${n} tenants: program and floor (size ${i + 1}/${sizes.length})`);
      results.push(measureSize(tmp, stack, n, repeat));
    }

    const cells = values["skip-cells"] ? undefined : measureCells(tmp, cellsSpec);

    let api: ApiRequestsResult | undefined;
    if (!values["skip-api"]) {
      log("  API requests per tenant create (simulators)...");
      // One cold tenant, then three warm ones of growing shape: business with 2 domains and
      // 2 spaces, enterprise with 3 and 3, enterprise with 1 domain and 4 spaces.
      api = await measureApiRequests(
        [0, 4, 8, 11].map((i) => tenantSchema.parse(benchTenant(i))),
        environmentFor(stack).domain,
      );
      log(`  ${renderTable(API_HEADERS, apiRows(api)).split("\n").join("\n  ")}`);
    }

    const largest = Math.max(...sizes);
    // What each tenant adds to Pulumi state (issue 19), from the largest size's recording.
    const state = estimateState(
      JSON.parse(fs.readFileSync(path.join(tmp, `recording-${largest}.json`), "utf8")),
    );
    let plan: PrPlanResult | undefined;
    if (!values["skip-plan"]) {
      progress.phase(`one-tenant PR plan at ${largest} tenants`);
      plan = await measurePrPlan({
        repoRoot: REPO,
        stack,
        tenants: largest,
        withFull: !values["skip-plan-full"],
        timeoutMs: Number(values["plan-timeout"]) * 1000,
      });
      log(`  ${planLines(plan).join("\n  ")}`);
    }

    const targets = [
      ...programTargets(results),
      ...(plan ? prPlanTargets(plan) : []),
      ...(api ? apiTargets(api) : []),
    ];
    if (values.profile) progress.phase(`CPU profiles at ${largest} tenants`);
    const profiles = values.profile ? profile(tmp, stack, largest) : undefined;
    const totalMs = performance.now() - started;
    const report = {
      machine,
      stack,
      repeat,
      runner: values.runner,
      results,
      cells,
      api,
      plan,
      targets,
      totalMs,
    };
    progress.end();
    const out = [renderReport(report), "", ...renderStateEstimate(state)];
    if (profiles) out.push("", profiles);
    if (values.markdown) out.push("", renderReadmeSection(report));
    process.stdout.write(`${out.join("\n")}\n`);
    if (values.json) fs.writeFileSync(values.json, JSON.stringify({ ...report, state }, null, 2));
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
