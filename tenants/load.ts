/**
 * Reads tenant files from disk (tenants/<stack>/<slug>.ts) and validates the whole set.
 * Nothing in a stack folder is ignored: a file the loader would not load (acme.tsx, a README,
 * a sub-folder such as archive/) is refused, so no tenant silently drops out of a plan. Files
 * are type-checked before they run and may import only the tenant schema (they are data).
 * The directory can be overridden (DEZKY_TENANTS_DIR) so benchmarks and tests load generated sets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { ConfigurationError, problem } from "../stacks/issues";
import { type ConfigSource, typeCheckProblems } from "../stacks/typecheck";
import type { Tenant } from "./schema";
import {
  type StackDomains,
  type TenantFile,
  type ValidTenant,
  type ValidateOptions,
  validateTenantFiles,
} from "./validate";

/** The folder tenant files live in: DEZKY_TENANTS_DIR or this folder. */
export function tenantsRoot(): string {
  return process.env.DEZKY_TENANTS_DIR ?? __dirname;
}

/** `<slug>.ts`: what the loader loads (the schema then checks the slug itself). */
const TENANT_FILE = /^[a-z0-9][a-z0-9-]*\.ts$/;
/** Script files a tenant could have been written as by mistake. */
const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
/** Kept so an empty stack folder exists in git. */
const ALLOWED_EXTRA = new Set([".gitkeep"]);

export interface TenantEntry extends ConfigSource {
  stack: string;
}

/** Why a file in a stack folder is not a tenant file, and how to fix it. */
function refusal(rel: string, name: string, isDir: boolean): string {
  if (isDir) {
    return problem(
      `${rel}/`,
      "(folder)",
      "tenant files sit directly in tenants/<stack>/, sub-folders are not loaded; move an archived tenant out of tenants/ (git keeps its history) or its file up one level",
    );
  }
  const stem = name.replace(/\..*$/, "");
  const fix = SCRIPT.test(name)
    ? `rename it to ${stem.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}.ts or remove it`
    : "move it out of tenants/<stack>/ (notes belong in the tenant file's comments or in docs/)";
  return problem(rel, "(file)", `is not loaded (tenant files are <slug>.ts, lower case); ${fix}`);
}

/** Tenant files under every stack folder, and everything there that would not be loaded. */
export function listTenantFiles(root: string = tenantsRoot()): {
  files: TenantEntry[];
  refused: string[];
} {
  const files: TenantEntry[] = [];
  const refused: string[] = [];
  for (const stack of fs.readdirSync(root, { withFileTypes: true })) {
    if (!stack.isDirectory() || stack.name === "node_modules") continue;
    const dir = path.join(root, stack.name);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = `tenants/${stack.name}/${entry.name}`;
      if (ALLOWED_EXTRA.has(entry.name) && !entry.isDirectory()) continue;
      if (entry.isFile() && TENANT_FILE.test(entry.name) && !entry.name.endsWith(".test.ts")) {
        files.push({ file: rel, stack: stack.name, absolute: path.join(dir, entry.name) });
      } else {
        refused.push(refusal(rel, entry.name, entry.isDirectory()));
      }
    }
  }
  files.sort((a, b) => a.file.localeCompare(b.file));
  return { files, refused: refused.sort() };
}

/** The one module a tenant file may import (this checkout's, or the source tree's from a build). */
function isTenantSchema(resolved: string): boolean {
  return resolved.replace(/\.ts$/, "").endsWith(`${path.sep}tenants${path.sep}schema`);
}

/** Imports other than the tenant schema: tenant files are data and import nothing else. */
export function importProblems(entry: TenantEntry, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .filter(({ fileName }) => !isTenantSchema(path.resolve(path.dirname(entry.absolute), fileName)))
    .map(({ fileName }) =>
      problem(
        entry.file,
        "(file)",
        `imports "${fileName}"; a tenant file imports only defineTenant from "../schema" (it is data), remove the import`,
      ),
    );
}

/** Imports every checkable tenant file's default export; problems for the others. */
export async function readTenantFiles(
  root: string = tenantsRoot(),
  options: { typeErrors?: Map<string, string[]> } = {},
): Promise<{ files: TenantFile[]; problems: string[] }> {
  const { files: entries, refused } = listTenantFiles(root);
  const problems = [...refused];
  const typeErrors = options.typeErrors ?? typeCheckProblems(entries);
  const files: TenantFile[] = [];
  for (const entry of entries) {
    const errors = [
      ...importProblems(entry, fs.readFileSync(entry.absolute, "utf8")),
      ...(typeErrors.get(entry.absolute) ?? []),
    ];
    if (errors.length) {
      problems.push(...errors);
      continue;
    }
    let mod: { default?: unknown };
    try {
      mod = (await import(entry.absolute)) as { default?: unknown };
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      problems.push(problem(entry.file, "(file)", `does not load: ${message}; correct the file`));
      continue;
    }
    // CommonJS interop may nest the default export once.
    const value = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default;
    files.push({ file: entry.file, stack: entry.stack, value });
  }
  return { files, problems };
}

/** All valid tenants of all stacks; throws a ConfigurationError with every problem at once. */
export async function loadAllTenants(
  stackDomains: StackDomains,
  root?: string,
  options: ValidateOptions = {},
): Promise<ValidTenant[]> {
  const { files, problems } = await readTenantFiles(root);
  try {
    const valid = validateTenantFiles(files, stackDomains, options);
    if (problems.length) throw new ConfigurationError(problems);
    return valid;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ConfigurationError([...problems, ...error.problems]);
  }
}

/** The tenants placed on one stack, sorted by slug. Validation covers all stacks. */
export async function loadTenants(
  stack: string,
  stackDomains: StackDomains,
  root?: string,
): Promise<Tenant[]> {
  return tenantsOf(await loadAllTenants(stackDomains, root), stack);
}

/** One stack's tenants from a validated set, sorted by slug. */
export function tenantsOf(all: ValidTenant[], stack: string): Tenant[] {
  return all
    .filter((t) => t.stack === stack)
    .map((t) => t.tenant)
    .sort((a, b) => a.slug.localeCompare(b.slug));
}
