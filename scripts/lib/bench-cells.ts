/**
 * Many cells: K production cells of N tenants each, as a grown platform has them. Each cell is
 * what issue 22 says a new cell is: one environment file (here generated from prod's, with its
 * own cell id, domain, buckets and adopted server) plus its tenant folder. The bench writes
 * them into a scratch stacks folder (DEZKY_STACKS_DIR) and tenants folder, then runs the program
 * once per cell, each in its own process, as each cell's deploy does: every run loads and checks
 * the whole configuration (all cells' tenants), then registers its own cell.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Environment } from "../../stacks/schema";
import type { RunMeasure } from "./bench-format";
import { writeBenchTenants } from "./bench-tenants";

export interface CellsLayout {
  stacksDir: string;
  tenantsRoot: string;
  stacks: string[];
}

export interface CellsResult {
  cells: number;
  tenantsPerCell: number;
  /** One measurement per cell, in order. */
  runs: (RunMeasure & { stack: string })[];
}

/** Stack name of the i-th generated cell: prod-fsn1-a, -b, ... then prod-fsn1-c26, ... */
export function cellStackName(i: number): string {
  return `prod-fsn1-${i < 26 ? String.fromCharCode(97 + i) : `c${i}`}`;
}

/** The i-th cell's environment: prod's, with what must be unique across cells made unique. */
export function cellEnvironment(prod: Environment, i: number): Environment {
  const stack = cellStackName(i);
  if (prod.host.kind !== "dedicated")
    throw new Error("the cells bench expects prod on a dedicated host");
  return {
    ...prod,
    stack,
    cell: stack,
    canary: i === 0,
    // A registrable domain of its own: Hetzner Cloud DNS creates no subdomain zones.
    domain: `dezky-${stack}.eu`,
    host: {
      ...prod.host,
      robotServerNumber: prod.host.robotServerNumber + i,
      ipv4: `198.51.${100 + Math.floor(i / 200)}.${24 + (i % 200)}`,
      ipv6Net: `2a01:4f8:10a:${(0x1f00 + i).toString(16)}::/64`,
    },
    objectStorage: {
      ...prod.objectStorage,
      buckets: { ocis: `dezky-${stack}-ocis`, etcd: `dezky-${stack}-etcd` },
    },
  };
}

/** An environment file for `env`, importing defineEnvironment from `schemaPath`. */
export function renderEnvironmentFile(env: Environment, schemaPath: string): string {
  return [
    `import { defineEnvironment } from ${JSON.stringify(schemaPath)};`,
    "",
    `export default defineEnvironment(${JSON.stringify(env, null, 2)});`,
    "",
  ].join("\n");
}

/**
 * Writes `cells` environment files and `tenantsPerCell` tenants for each (globally unique
 * slugs: cell c holds tenants c*N .. c*N+N-1) under `dir`.
 */
export function writeCells(
  dir: string,
  prod: Environment,
  cells: number,
  tenantsPerCell: number,
  repoRoot: string,
): CellsLayout {
  const stacksDir = path.join(dir, "stacks");
  const tenantsRoot = path.join(dir, "tenants");
  fs.mkdirSync(stacksDir, { recursive: true });
  const schema = path.join(repoRoot, "stacks", "schema");
  const stacks: string[] = [];
  for (let c = 0; c < cells; c++) {
    const env = cellEnvironment(prod, c);
    fs.writeFileSync(path.join(stacksDir, `${env.stack}.ts`), renderEnvironmentFile(env, schema));
    writeBenchTenants(
      tenantsRoot,
      env.stack,
      tenantsPerCell,
      path.join(repoRoot, "tenants", "schema"),
      c * tenantsPerCell,
    );
    stacks.push(env.stack);
  }
  return { stacksDir, tenantsRoot, stacks };
}

/** Sum, mean and largest of the per-cell runs. */
export function cellsSummary(result: CellsResult): {
  totalMs: number;
  meanMs: number;
  maxMs: number;
  maxRssBytes: number;
  resources: number;
} {
  const ms = result.runs.map((r) => r.wallMs);
  const totalMs = ms.reduce((a, b) => a + b, 0);
  return {
    totalMs,
    meanMs: totalMs / (ms.length || Number.NaN),
    maxMs: Math.max(...ms),
    maxRssBytes: Math.max(...result.runs.map((r) => r.maxRssBytes)),
    resources: result.runs.reduce((n, r) => n + r.resources, 0),
  };
}

/** "10x100" -> 10 cells of 100 tenants. */
export function parseCells(spec: string): { cells: number; tenants: number } {
  const m = /^(\d+)x(\d+)$/.exec(spec.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
    throw new Error(`bad --cells ${spec}: give cells x tenants, such as 10x100`);
  }
  return { cells: Number(m[1]), tenants: Number(m[2]) };
}
