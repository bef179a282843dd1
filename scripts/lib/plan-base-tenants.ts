/**
 * The base's tenant set for the fast path, without a checkout of the base: the working tree's
 * checked tenants with the changed files put back as the base has them. The changed files are
 * read from git and checked exactly as the loader checks files on disk (type check, imports,
 * schema), then the whole base set across files and stacks, as the base's own plan would. Any
 * problem means the fast path cannot stand in for the base's plan.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isConfigurationError } from "../../stacks/issues";
import { readTenantFiles } from "../../tenants/load";
import {
  type StackDomains,
  type ValidTenant,
  crossFileProblems,
  validateTenantFiles,
} from "../../tenants/validate";

/** The contents of `paths` at `commit`; absent paths are missing from the map. */
export function filesAtCommit(root: string, commit: string, paths: string[]): Map<string, string> {
  const result = new Map<string, string>();
  if (!paths.length) return result;
  const r = spawnSync("git", ["cat-file", "--batch"], {
    cwd: root,
    input: paths.map((p) => `${commit}:${p}\n`).join(""),
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`git cat-file failed: ${r.stderr.toString().trim()}`);
  const out = r.stdout;
  let at = 0;
  for (const p of paths) {
    const headerEnd = out.indexOf(10, at);
    const header = out.subarray(at, headerEnd).toString("utf8");
    if (header.endsWith(" missing")) {
      at = headerEnd + 1;
      continue;
    }
    const size = Number(header.split(" ")[2]);
    result.set(p, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString("utf8"));
    at = headerEnd + 1 + size + 1;
  }
  return result;
}

export type BaseTenants = { ok: true; tenants: ValidTenant[] } | { ok: false; reason: string };

/**
 * The base's valid tenants: `head` (the working tree's, checked) without the changed files,
 * plus the changed files as `commit` has them, each checked alone and the set checked together.
 */
export async function baseTenantSet(options: {
  root: string;
  commit: string;
  head: ValidTenant[];
  changedPaths: string[];
  domains: StackDomains;
}): Promise<BaseTenants> {
  const changed = new Set(options.changedPaths);
  const texts = filesAtCommit(options.root, options.commit, options.changedPaths);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-plan-base-tenants-"));
  try {
    const tenantsDir = path.join(tmp, "tenants");
    fs.mkdirSync(tenantsDir);
    // The files import "../schema": the same module, from this checkout.
    const schema = path.join(options.root, "tenants", "schema");
    fs.writeFileSync(
      path.join(tenantsDir, "schema.ts"),
      `export * from ${JSON.stringify(schema)};\n`,
    );
    for (const [file, text] of texts) {
      const target = path.join(tmp, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    }
    const read = await readTenantFiles(tenantsDir);
    if (read.problems.length) {
      return { ok: false, reason: `at the base, ${read.problems[0]}` };
    }
    let baseChanged: ValidTenant[];
    try {
      baseChanged = validateTenantFiles(read.files, options.domains);
    } catch (error) {
      if (!isConfigurationError(error)) throw error;
      return { ok: false, reason: `at the base, ${error.problems[0]}` };
    }
    const tenants = [...options.head.filter((t) => !changed.has(t.file)), ...baseChanged];
    const problems = crossFileProblems(tenants, options.domains);
    if (problems.length) return { ok: false, reason: `at the base, ${problems[0]}` };
    return { ok: true, tenants };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
