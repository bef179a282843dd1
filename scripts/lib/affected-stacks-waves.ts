/**
 * The order deploys go in, from the environment files alone: development stacks, then
 * staging, then one production cell marked `canary: true`, then every other production cell
 * (in parallel, with a bound). Adding a cell is a new stacks/<stack>.ts: it lands in `cells`
 * and the workflows deploy it without being edited.
 */

/** What the waves need to know of one environment (read defensively: `canary` is optional). */
export interface StackInfo {
  stack: string;
  production: boolean;
  canary: boolean;
}

export interface DeployWaves {
  /** Non-production stacks other than staging: deployed first. */
  dev: string[];
  /** `staging` and `staging-*`: after dev. */
  staging: string[];
  /** The one production cell deployed before the others (empty or one stack). */
  canary: string[];
  /** The other production cells. */
  cells: string[];
}

export const WAVE_ORDER = ["dev", "staging", "canary", "cells"] as const satisfies ReadonlyArray<
  keyof DeployWaves
>;

/** The wave fields of an environment object; `canary` counts only when it is literally true. */
export function stackInfo(env: { stack: string; production: boolean }): StackInfo {
  const canary = (env as { canary?: unknown }).canary === true;
  return { stack: env.stack, production: env.production, canary };
}

const isStaging = (stack: string) => stack === "staging" || stack.startsWith("staging-");
const file = (stack: string) => `stacks/${stack}.ts`;

/** The deploy waves of all stacks; a clear error when the canary is not exactly one cell. */
export function deployWaves(stacks: readonly StackInfo[]): DeployWaves {
  const wrongCanary = stacks.filter((s) => s.canary && !s.production);
  if (wrongCanary.length) {
    throw new Error(
      `${file(wrongCanary[0].stack)}: canary: only a production cell can be the canary; remove canary or set production: true`,
    );
  }
  const production = stacks.filter((s) => s.production);
  const marked = production.filter((s) => s.canary);
  if (marked.length > 1) {
    throw new Error(
      `${marked.map((s) => file(s.stack)).join(", ")}: canary: ${marked.length} production cells are marked canary: true; keep it on exactly one`,
    );
  }
  // One production cell needs no marking: it is its own canary.
  const canary = marked[0] ?? (production.length === 1 ? production[0] : undefined);
  if (production.length > 1 && !canary) {
    throw new Error(
      `${production.map((s) => file(s.stack)).join(", ")}: canary: ${production.length} production cells and none is marked canary: true; set it on exactly one (it deploys first)`,
    );
  }
  const nonProduction = stacks.filter((s) => !s.production);
  return {
    dev: nonProduction.filter((s) => !isStaging(s.stack)).map((s) => s.stack),
    staging: nonProduction.filter((s) => isStaging(s.stack)).map((s) => s.stack),
    canary: canary ? [canary.stack] : [],
    cells: production.filter((s) => s !== canary).map((s) => s.stack),
  };
}

/** The waves restricted to `stacks` (e.g. the affected ones), keeping each wave's order. */
export function restrictWaves(waves: DeployWaves, stacks: readonly string[]): DeployWaves {
  const keep = (list: string[]) => list.filter((s) => stacks.includes(s));
  return {
    dev: keep(waves.dev),
    staging: keep(waves.staging),
    canary: keep(waves.canary),
    cells: keep(waves.cells),
  };
}

/**
 * What the workflows read: every wave, `stacks` (all, in wave order), `preprod` (dev and
 * staging) and `production` (canary and cells), each a JSON array.
 */
export function wavesOutputs(waves: DeployWaves): Record<string, string[]> {
  return {
    stacks: WAVE_ORDER.flatMap((w) => waves[w]),
    ...waves,
    preprod: [...waves.dev, ...waves.staging],
    production: [...waves.canary, ...waves.cells],
  };
}

/** One JSON object, or with format "github" one `name=<json>` line each, for $GITHUB_OUTPUT. */
export function renderWaves(waves: DeployWaves, format: "json" | "github"): string {
  const outputs = wavesOutputs(waves);
  if (format === "json") return JSON.stringify(outputs);
  return Object.entries(outputs)
    .map(([name, list]) => `${name}=${JSON.stringify(list)}`)
    .join("\n");
}

/** The --format option of the stack-listing scripts. */
export function wavesFormat(args: string[]): "json" | "github" {
  const i = args.indexOf("--format");
  const value = i >= 0 ? args[i + 1] : "json";
  if (value !== "json" && value !== "github") {
    throw new Error(`--format must be json or github, not ${value ?? "(nothing)"}`);
  }
  return value;
}
