/**
 * Reads tenant files from disk (tenants/<stack>/<slug>.ts) and validates the whole set.
 * The directory can be overridden (DEZKY_TENANTS_DIR) so benchmarks and tests load generated sets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Tenant } from "./schema";
import {
  type StackDomains,
  type TenantFile,
  type ValidTenant,
  validateTenantFiles,
} from "./validate";

/** The folder tenant files live in: DEZKY_TENANTS_DIR or this folder. */
export function tenantsRoot(): string {
  return process.env.DEZKY_TENANTS_DIR ?? __dirname;
}

const TENANT_FILE = /^[^.].*\.(ts|js)$/;

/** Lists tenant files under every stack folder (non-recursive inside a stack). */
export function listTenantFiles(
  root: string = tenantsRoot(),
): Array<{ file: string; stack: string; absolute: string }> {
  const entries: Array<{ file: string; stack: string; absolute: string }> = [];
  for (const stack of fs.readdirSync(root, { withFileTypes: true })) {
    if (!stack.isDirectory() || stack.name === "node_modules") continue;
    for (const name of fs.readdirSync(path.join(root, stack.name)).sort()) {
      if (!TENANT_FILE.test(name) || name.endsWith(".d.ts") || name.endsWith(".test.ts")) continue;
      if (
        name.endsWith(".js") &&
        fs.existsSync(path.join(root, stack.name, name.replace(/\.js$/, ".ts")))
      )
        continue;
      entries.push({
        file: `tenants/${stack.name}/${name}`,
        stack: stack.name,
        absolute: path.join(root, stack.name, name),
      });
    }
  }
  return entries;
}

/** Imports every tenant file's default export. */
export async function readTenantFiles(root: string = tenantsRoot()): Promise<TenantFile[]> {
  const files: TenantFile[] = [];
  for (const entry of listTenantFiles(root)) {
    let mod: { default?: unknown };
    try {
      mod = (await import(entry.absolute)) as { default?: unknown };
    } catch (error) {
      throw new Error(
        `${entry.file}: (file): does not load: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // CommonJS interop may nest the default export once.
    const value = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default;
    files.push({ file: entry.file, stack: entry.stack, value });
  }
  return files;
}

/** All valid tenants of all stacks; throws with every problem when any file is invalid. */
export async function loadAllTenants(
  stackDomains: StackDomains,
  root?: string,
): Promise<ValidTenant[]> {
  return validateTenantFiles(await readTenantFiles(root), stackDomains);
}

/** The tenants placed on one stack, sorted by slug. Validation covers all stacks. */
export async function loadTenants(
  stack: string,
  stackDomains: StackDomains,
  root?: string,
): Promise<Tenant[]> {
  const all = await loadAllTenants(stackDomains, root);
  return all
    .filter((t) => t.stack === stack)
    .map((t) => t.tenant)
    .sort((a, b) => a.slug.localeCompare(b.slug));
}
