/**
 * The stacks (cells) and their environments, discovered from the environment files: every
 * `stacks/<stack>.ts` that calls defineEnvironment is one cell. A new cell is one such file plus
 * its tenant folder (tenants/<stack>/); nothing else registers it.
 *
 * All environment files are checked together before any is used: each type-checks, each parses
 * strictly (unknown keys refused), its `stack` matches its file name, and what must be unique
 * across cells is (cell ids, domains, buckets, adopted servers, one canary). Problems of every
 * file are reported at once as a ConfigurationError.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type LoadedEnvironment, environmentSetProblems } from "./environment-rules";
import { ConfigurationError, formatIssues, isConfigurationError, problem } from "./issues";
import { type Environment, environmentSchema } from "./schema";
import { type ConfigSource, typeCheckProblems } from "./typecheck";

/** The folder environment files live in: DEZKY_STACKS_DIR (tests) or this folder. */
export function stacksDir(): string {
  return process.env.DEZKY_STACKS_DIR ?? __dirname;
}

/** A file that imports defineEnvironment: an environment file (schema.ts only defines it). */
const CALLS_DEFINE = /\bimport\s*\{[^}]*\bdefineEnvironment\b[^}]*\}\s*from\b/;
/** Script files in stacks/ that TypeScript would not load as an environment: refused. */
const NOT_LOADED = /\.(tsx|mts|cts|js|mjs|cjs)$/;

export interface EnvironmentFile extends ConfigSource {
  stack: string;
}

/** Environment files of a folder, and the files there that look like one but would not load. */
export function listEnvironmentFiles(dir: string = stacksDir()): {
  files: EnvironmentFile[];
  refused: string[];
} {
  const files: EnvironmentFile[] = [];
  const refused: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const absolute = path.join(dir, name);
    const rel = `stacks/${name}`;
    if (NOT_LOADED.test(name) && CALLS_DEFINE.test(fs.readFileSync(absolute, "utf8"))) {
      refused.push(
        problem(
          rel,
          "(file)",
          `is not loaded (only .ts files are); rename it to ${name.replace(NOT_LOADED, ".ts")}`,
        ),
      );
      continue;
    }
    if (!name.endsWith(".ts") || name.endsWith(".test.ts") || name.endsWith(".d.ts")) continue;
    if (!CALLS_DEFINE.test(fs.readFileSync(absolute, "utf8"))) continue;
    files.push({ file: rel, absolute, stack: name.slice(0, -3) });
  }
  return { files, refused };
}

/** Loads a .ts module synchronously; registers the project's compiler where none is (vitest). */
function requireTypeScript(absolute: string): unknown {
  if (!require.extensions[".ts"]) require("../scripts/lib/register-typescript.cjs");
  return require(absolute);
}

/** The problems of one environment file, or its environment. */
function loadOne(f: EnvironmentFile): { env?: Environment; problems: string[] } {
  let mod: { default?: unknown };
  try {
    mod = requireTypeScript(f.absolute) as { default?: unknown };
  } catch (error) {
    const e = error as Error & { zodError?: Parameters<typeof formatIssues>[1] };
    if (e?.name === "EnvironmentFileError" && e.zodError) {
      return { problems: formatIssues(f.file, e.zodError, environmentSchema) };
    }
    if (isConfigurationError(error)) return { problems: error.problems };
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      problems: [problem(f.file, "(file)", `does not load: ${message}; correct the file`)],
    };
  }
  if (mod.default === undefined) {
    return {
      problems: [
        problem(
          f.file,
          "(file)",
          "has no default export; end it with export default defineEnvironment({...})",
        ),
      ],
    };
  }
  const env = mod.default as Environment;
  if (env.stack !== f.stack) {
    return {
      problems: [
        problem(
          f.file,
          "stack",
          `"${env.stack}" must be the file's name; set stack: "${f.stack}" or rename the file to stacks/${env.stack}.ts`,
        ),
      ],
    };
  }
  return { env, problems: [] };
}

export interface Environments {
  /** By stack name. */
  byStack: Map<string, { file: string; env: Environment }>;
  /** Stack names: non-production cells first, then production (canary first), each by name. */
  order: string[];
}

/** Orders stacks as they are deployed: non-production, then the canary, then other cells. */
export function deployOrder(envs: Environment[]): string[] {
  const rank = (e: Environment) => (!e.production ? 0 : e.canary ? 1 : 2);
  return [...envs]
    .sort((a, b) => rank(a) - rank(b) || a.stack.localeCompare(b.stack))
    .map((e) => e.stack);
}

export interface InspectedEnvironments extends Environments {
  /** Every problem of every environment file (empty when all are valid). */
  problems: string[];
  /** Stacks whose environment file exists but has a problem. */
  broken: string[];
}

/** Checks every environment file of a folder and keeps what is valid; never throws for bad input. */
export function inspectEnvironments(
  dir: string = stacksDir(),
  typeErrors?: Map<string, string[]>,
): InspectedEnvironments {
  const { files, refused } = listEnvironmentFiles(dir);
  const problems = [...refused];
  const errorsByFile = typeErrors ?? typeCheckProblems(files);
  const loaded: LoadedEnvironment[] = [];
  const byStack = new Map<string, { file: string; env: Environment }>();
  const broken: string[] = [];
  for (const f of files) {
    const one = errorsByFile.has(f.absolute)
      ? { problems: errorsByFile.get(f.absolute)! }
      : loadOne(f);
    problems.push(...one.problems);
    if (one.env) {
      loaded.push({ file: f.file, env: one.env });
      byStack.set(f.stack, { file: f.file, env: one.env });
    } else {
      broken.push(f.stack);
    }
  }
  problems.push(...environmentSetProblems(loaded));
  return { byStack, order: deployOrder(loaded.map((l) => l.env as Environment)), problems, broken };
}

/** Checks and loads every environment file of a folder; throws with every problem at once. */
export function checkEnvironments(dir: string = stacksDir()): Environments {
  const { byStack, order, problems } = inspectEnvironments(dir);
  if (problems.length) throw new ConfigurationError(problems);
  return { byStack, order };
}

const loadedByDir = new Map<string, Environments | ConfigurationError>();

/** Records environments checked elsewhere (loadConfiguration), so they are not checked twice. */
export function rememberEnvironments(dir: string, environments: Environments): void {
  loadedByDir.set(dir, environments);
}

/** The checked environments of the stacks folder, once per process. */
export function loadEnvironments(dir: string = stacksDir()): Environments {
  let result = loadedByDir.get(dir);
  if (!result) {
    try {
      result = checkEnvironments(dir);
    } catch (error) {
      if (!isConfigurationError(error)) throw error;
      result = error;
    }
    loadedByDir.set(dir, result);
  }
  if (result instanceof Error) throw result;
  return result;
}

/** Names of the environment files, without loading them (the fallback order when one is broken). */
function stackNamesOnDisk(): string[] {
  return listEnvironmentFiles().files.map((f) => f.stack);
}

/**
 * The known stacks in deploy order (see deployOrder). Loaded on first use; when an environment
 * file is broken the names still list (from the file names) and environmentFor reports why.
 */
export const STACKS: readonly string[] = lazyList(() => {
  try {
    return loadEnvironments().order;
  } catch {
    return stackNamesOnDisk();
  }
});

/** An array filled on first use, so importing this module never loads or throws. */
function lazyList(fill: () => string[]): readonly string[] {
  const target: string[] = [];
  let filled = false;
  const ensure = () => {
    if (!filled) {
      filled = true;
      target.push(...fill());
    }
    return target;
  };
  return new Proxy(target, {
    get: (_t, key) => Reflect.get(ensure(), key),
    has: (_t, key) => Reflect.has(ensure(), key),
    ownKeys: () => Reflect.ownKeys(ensure()),
    getOwnPropertyDescriptor: (_t, key) => Reflect.getOwnPropertyDescriptor(ensure(), key),
  });
}

/** The environment of a stack; an unknown stack is a clear error naming the known ones. */
export function environmentFor(stack: string): Environment {
  const { byStack, order } = loadEnvironments();
  const found = byStack.get(stack);
  if (!found) {
    throw new ConfigurationError([
      problem(
        `stacks/${stack}.ts`,
        "(file)",
        `Unknown stack "${stack}": known stacks are ${order.join(", ")}; a new cell is one file, stacks/${stack}.ts ending in export default defineEnvironment({ stack: "${stack}", ... }), plus its tenant folder tenants/${stack}/`,
      ),
    ]);
  }
  return found.env;
}

/** Platform domain per known stack, for tenant validation. */
export function stackDomains(): Record<string, string> {
  const { byStack, order } = loadEnvironments();
  return Object.fromEntries(order.map((s) => [s, byStack.get(s)!.env.domain]));
}
