/**
 * The lifecycle fields of every tenant file at a git commit (or in the working tree), for the
 * retention rules: what was deployed decides whether data may be deleted, not the file alone.
 *
 * Files of any age are read the same way: transpiled and run in an empty VM context whose only
 * module is a stand-in for the schema (`defineTenant` returns its argument). Tenant files are
 * data and import nothing else (the loader enforces it), so this needs no checkout of the commit.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import ts from "typescript";

/** What the retention rules read from a tenant file. */
export interface TenantState {
  /** tenants/<stack>/<slug>.ts */
  file: string;
  stack: string;
  slug: string;
  plan: string;
  status: string;
  retainUntil?: string;
  purge: boolean;
  /** Former slugs (a rename keeps the data under the old names). */
  renamedFrom: string[];
}

/** Key of a tenant in a state map: `<stack>/<slug>`. */
export type StateKey = string;

const TENANT_PATH = /^tenants\/([^/]+)\/([^/]+)\.ts$/;

/** Runs a tenant file's text with a stand-in schema; returns its default export. */
export function evaluateTenantText(text: string, file: string): unknown {
  const { outputText } = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: file,
  });
  const module = { exports: {} as Record<string, unknown> };
  const schema = { defineTenant: (value: unknown) => value };
  const sandbox = {
    module,
    exports: module.exports,
    require: (spec: string) => {
      if (/(^|\/)schema$/.test(spec.replace(/\.ts$/, ""))) return schema;
      throw new Error(`${file} imports ${spec}; tenant files import only the schema`);
    },
  };
  vm.runInNewContext(outputText, sandbox, { filename: file, timeout: 1000 });
  return (module.exports as { default?: unknown }).default;
}

/** The state of one tenant file's value, read leniently (old files may predate fields). */
export function stateOf(file: string, value: unknown): TenantState | undefined {
  const match = TENANT_PATH.exec(file);
  if (!match || !value || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  return {
    file,
    stack: match[1],
    slug: typeof v.slug === "string" ? v.slug : match[2],
    plan: typeof v.plan === "string" ? v.plan : "enterprise",
    status: typeof v.status === "string" ? v.status : "active",
    retainUntil: typeof v.retainUntil === "string" ? v.retainUntil : undefined,
    purge: v.purge === true,
    renamedFrom: Array.isArray(v.renamedFrom)
      ? v.renamedFrom.filter((s): s is string => typeof s === "string")
      : [],
  };
}

function collect(entries: Array<{ file: string; text: string }>): Map<StateKey, TenantState> {
  const states = new Map<StateKey, TenantState>();
  for (const { file, text } of entries) {
    let value: unknown;
    try {
      value = evaluateTenantText(text, file);
    } catch {
      continue; // a file that does not run holds no state the rules could trust
    }
    const state = stateOf(file, value);
    if (state) states.set(`${state.stack}/${state.slug}`, state);
  }
  return states;
}

function git(root: string, args: string[], input?: string) {
  const r = spawnSync("git", args, {
    cwd: root,
    encoding: "utf8",
    input,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`git ${args.join(" ")} failed in ${root}: ${(r.stderr ?? "").trim()}`);
  }
  return r.stdout;
}

/** The top folder of the git checkout containing `dir`, or undefined outside git. */
export function gitRootOf(dir: string): string | undefined {
  const r = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: dir, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The commit a ref names; a clear error when it names none. */
export function resolveCommit(root: string, ref: string): string {
  const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    throw new Error(
      `${ref} is not a commit in ${root}; pass the last deployed commit (git log shows them)`,
    );
  }
  return r.stdout.trim();
}

/** Tenant states at a commit, read with one `git cat-file --batch`. */
export function tenantStatesAt(root: string, ref: string): Map<StateKey, TenantState> {
  const commit = resolveCommit(root, ref);
  const files = git(root, ["ls-tree", "-r", "--name-only", commit, "--", "tenants"])
    .split("\n")
    .filter((f) => TENANT_PATH.test(f));
  if (files.length === 0) return new Map();
  const out = Buffer.from(
    git(root, ["cat-file", "--batch"], files.map((f) => `${commit}:${f}\n`).join("")),
    "utf8",
  );
  const entries: Array<{ file: string; text: string }> = [];
  let at = 0;
  for (const file of files) {
    const headerEnd = out.indexOf(10, at);
    const size = Number(out.subarray(at, headerEnd).toString("utf8").split(" ")[2]);
    const body = out.subarray(headerEnd + 1, headerEnd + 1 + size).toString("utf8");
    entries.push({ file, text: body });
    at = headerEnd + 1 + size + 1;
  }
  return collect(entries);
}

/** Tenant states of the working tree under `root` (the files as they are now). */
export function tenantStatesOnDisk(root: string): Map<StateKey, TenantState> {
  const tenants = path.join(root, "tenants");
  const entries: Array<{ file: string; text: string }> = [];
  for (const stack of fs.readdirSync(tenants, { withFileTypes: true })) {
    if (!stack.isDirectory()) continue;
    for (const name of fs.readdirSync(path.join(tenants, stack.name))) {
      const file = `tenants/${stack.name}/${name}`;
      if (TENANT_PATH.test(file)) {
        entries.push({ file, text: fs.readFileSync(path.join(tenants, stack.name, name), "utf8") });
      }
    }
  }
  return collect(entries);
}
