/**
 * A scratch copy of the repository's configuration (stacks/<env>.ts and tenants/<stack>/*.ts)
 * in a temporary folder, with imports pointing back at this checkout's schema, so a test can
 * edit files as an operator would and run the real loader on the result.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "..", "..");

/** The repository's environment files (name -> text), imports made absolute. */
export function repoEnvironmentFiles(): Record<string, string> {
  const dir = path.join(REPO, "stacks");
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(".ts") || name.endsWith(".test.ts")) continue;
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    if (!/import\s*\{[^}]*\bdefineEnvironment\b/.test(text)) continue;
    files[name] = absoluteImports(text, dir);
  }
  return files;
}

/** The repository's tenant files (stack/name -> text), imports made absolute. */
export function repoTenantFiles(): Record<string, string> {
  const root = path.join(REPO, "tenants");
  const files: Record<string, string> = {};
  for (const stack of fs.readdirSync(root, { withFileTypes: true })) {
    if (!stack.isDirectory()) continue;
    for (const name of fs.readdirSync(path.join(root, stack.name))) {
      const text = fs.readFileSync(path.join(root, stack.name, name), "utf8");
      files[`${stack.name}/${name}`] = absoluteImports(text, path.join(root, stack.name));
    }
  }
  return files;
}

/** Rewrites relative import specifiers to absolute paths from `dir`. */
export function absoluteImports(text: string, dir: string): string {
  return text.replace(
    /from "(\.{1,2}\/[^"]+)"/g,
    (_m, spec: string) => `from ${JSON.stringify(path.resolve(dir, spec))}`,
  );
}

/** An import line for the tenant schema, usable from any folder. */
export const TENANT_IMPORT = `import { defineTenant } from ${JSON.stringify(path.join(REPO, "tenants", "schema"))};`;
/** Import lines an environment file needs, usable from any folder. */
export const ENV_IMPORTS = [
  `import { defineEnvironment } from ${JSON.stringify(path.join(REPO, "stacks", "schema"))};`,
  `import { operators } from ${JSON.stringify(path.join(REPO, "stacks", "operators"))};`,
  `import { platformVersions } from ${JSON.stringify(path.join(REPO, "stacks", "versions"))};`,
].join("\n");

export interface ScratchConfig {
  stacksDir: string;
  tenantsRoot: string;
  /** Path inside the scratch tree -> text: `stacks/x.ts`, `tenants/prod/x.ts`. */
  write(rel: string, text: string): void;
  read(rel: string): string;
  remove(rel: string): void;
  /** Replaces `from` (which must occur) in a file. */
  edit(rel: string, from: string | RegExp, to: string): void;
  cleanup(): void;
}

/** A scratch tree holding a copy of the repository's environments and tenants. */
export function scratchConfig(): ScratchConfig {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-config-"));
  const abs = (rel: string) => path.join(root, rel);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
    fs.writeFileSync(abs(rel), text);
  };
  for (const [name, text] of Object.entries(repoEnvironmentFiles())) write(`stacks/${name}`, text);
  for (const [name, text] of Object.entries(repoTenantFiles())) write(`tenants/${name}`, text);
  const read = (rel: string) => fs.readFileSync(abs(rel), "utf8");
  return {
    stacksDir: abs("stacks"),
    tenantsRoot: abs("tenants"),
    write,
    read,
    remove: (rel) => fs.rmSync(abs(rel), { recursive: true, force: true }),
    edit(rel, from, to) {
      const text = read(rel);
      const next = text.replace(from, to);
      if (next === text) throw new Error(`fixture edit: ${String(from)} not found in ${rel}`);
      write(rel, next);
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** A valid tenant value for a new file; fields may be overridden or removed (undefined). */
export function tenantValue(
  slug: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const value: Record<string, unknown> = {
    slug,
    displayName: `Tenant ${slug}`,
    plan: "business",
    branding: { primaryColor: "#112233", logoUrl: "https://example.com/logo.png" },
    departments: [{ slug: "finance", name: "Finance" }],
    spaces: [
      { key: "main", name: `Main ${slug}`, quotaGb: 50 },
      { key: "finance", name: `Finance ${slug}`, quotaGb: 20, grantTo: "finance" },
    ],
    admins: [`admin@${slug}.example`],
    ...extra,
  };
  for (const [k, v] of Object.entries(value)) if (v === undefined) delete value[k];
  return value;
}

/** The text of a tenant file for a value. */
export function tenantText(value: unknown): string {
  return `${TENANT_IMPORT}\n\nexport default defineTenant(${JSON.stringify(value, null, 2)});\n`;
}
