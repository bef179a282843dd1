/**
 * Type-checks configuration files (environment and tenant files) with the project's TypeScript
 * compiler and tsconfig before any of them runs: the plan loads them by transpiling alone, which
 * would run code that `tsc` rejects (a syntax error recovered into something else, a misspelt
 * key). Problems name the file, the field under the error and a fix.
 *
 * Cost: about 2 s cold (zod's types dominate). Checks of files outside the temporary folder keep
 * TypeScript's own incremental state in node_modules/.cache, so a warm check takes a fraction.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { problem, suggestKey } from "./issues";

export interface ConfigSource {
  /** Path relative to the repository, for messages. */
  file: string;
  absolute: string;
}

/** The nearest folder up from here with a tsconfig.json (the repository, also from a build). */
function findRepo(dir: string): string {
  if (fs.existsSync(path.join(dir, "tsconfig.json"))) return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error(`no tsconfig.json above ${__dirname}`);
  return findRepo(parent);
}

const REPO = findRepo(path.resolve(__dirname, ".."));

function compilerOptions(): ts.CompilerOptions {
  const configPath = path.join(REPO, "tsconfig.json");
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, REPO);
  return { ...options, noEmit: true, sourceMap: false, noUnusedLocals: false };
}

/** Library files parsed once per process (zod's and node's types are most of the work). */
const librarySources = new Map<string, ts.SourceFile>();

function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createIncrementalCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, create) => {
    if (!fileName.includes(`${path.sep}node_modules${path.sep}`)) {
      return read(fileName, language, onError, create);
    }
    const cached = librarySources.get(fileName);
    if (cached) return cached;
    const parsed = read(fileName, language, onError, create);
    if (parsed) librarySources.set(fileName, parsed);
    return parsed;
  };
  // Several processes may check at once: write the incremental state atomically.
  host.writeFile = (fileName, text) => {
    fs.mkdirSync(path.dirname(fileName), { recursive: true });
    const tmp = `${fileName}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, fileName);
  };
  return host;
}

/** Where the incremental state of this set of folders lives, or undefined for temporary files. */
function buildInfoFile(files: ConfigSource[]): string | undefined {
  const tmp = fs.realpathSync(os.tmpdir());
  const dirs = [...new Set(files.map((f) => path.dirname(f.absolute)))].sort();
  if (dirs.some((d) => d.startsWith(tmp) || d.startsWith(os.tmpdir()))) return undefined;
  const key = crypto.createHash("sha256").update(dirs.join("\n")).digest("hex").slice(0, 16);
  return path.join(REPO, "node_modules", ".cache", "dezky-typecheck", `${key}.tsbuildinfo`);
}

/** The innermost node containing `pos`. */
function nodeAt(source: ts.SourceFile, pos: number): ts.Node {
  let found: ts.Node = source;
  const visit = (node: ts.Node) => {
    if (pos >= node.getStart(source) && pos < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(source, visit);
  return found;
}

/** The object path (spaces.1.grantTo) of the property a position lies in. */
export function fieldPathAt(source: ts.SourceFile, pos: number): string {
  const parts: string[] = [];
  let node: ts.Node | undefined = nodeAt(source, pos);
  while (node && node !== source) {
    const parent: ts.Node | undefined = node.parent;
    if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))
    ) {
      parts.unshift(node.name.text);
    } else if (parent && ts.isArrayLiteralExpression(parent)) {
      parts.unshift(String(parent.elements.indexOf(node as ts.Expression)));
    }
    node = parent;
  }
  return parts.join(".") || "(file)";
}

/** What to do about a TypeScript error, by its code. */
function fixFor(code: number): string {
  if (code === 2353 || code === 2561) return "remove the field or correct its spelling";
  if (code === 2741 || code === 2739 || code === 2740) return "add the missing field";
  if (code === 2322 || code === 2345) return "give it a value of the expected type";
  if (code === 2304 || code === 2552) return "define the name or remove it (config files are data)";
  if (code === 2307) return "correct the import path";
  if (code < 2000) return "correct the syntax there";
  return "correct this TypeScript error (npm run typecheck shows it too)";
}

/** The top-level property names of an object type as TypeScript prints it: `{ a: x; b?: y; }`. */
export function keysOfTypeText(type: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === "{" || c === "(" || c === "[" || c === "<") {
      depth++;
      if (depth === 1) start = i + 1;
    } else if (c === "}" || c === ")" || c === "]" || c === ">") {
      depth--;
    } else if (depth === 1 && c === ";") {
      start = i + 1;
    } else if (depth === 1 && c === ":") {
      const key = type.slice(start, i).trim().replace(/\?$/, "");
      if (/^[A-Za-z_$][\w$]*$/.test(key)) keys.push(key);
      start = type.length;
    }
  }
  return keys;
}

/** A misspelt or unknown key, said shortly with a suggestion (TS2353/TS2561 print whole types). */
function unknownKeyText(text: string, code: number): string | undefined {
  const key = /'"?([^'"]+)"?' does not exist in type/.exec(text)?.[1];
  if (!key) return undefined;
  const typeText = /does not exist in type '(.*)'\./.exec(text)?.[1] ?? "";
  const known = keysOfTypeText(typeText);
  const tsSuggestion = /Did you mean to write '([^']+)'\?/.exec(text)?.[1];
  const suggestion = tsSuggestion ?? suggestKey(key, known);
  const fix = suggestion
    ? `did you mean "${suggestion}"? correct its spelling`
    : `remove the field${known.length ? ` (known fields here: ${known.join(", ")})` : ""}`;
  return `"${key}" is not a known field (TS${code}); ${fix}`;
}

/** Long printed types shortened, so a line stays readable. */
function shortTypes(text: string): string {
  return text.replace(/'([^']{80,})'/g, (_m, t: string) => `'${t.slice(0, 60)}…'`);
}

function formatDiagnostic(file: string, d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/\s+/g, " ");
  if (!d.file || d.start === undefined)
    return problem(file, "(file)", `${text}; ${fixFor(d.code)}`);
  const { line } = d.file.getLineAndCharacterOfPosition(d.start);
  // A syntax error is noticed at the next token: name the field written just before it.
  let at = d.start;
  if (d.code < 2000) while (at > 0 && /[\s,]/.test(d.file.text[at - 1])) at--;
  const field = fieldPathAt(d.file, d.code < 2000 ? Math.max(0, at - 1) : d.start);
  const unknown = d.code === 2353 || d.code === 2561 ? unknownKeyText(text, d.code) : undefined;
  if (unknown) return problem(file, field, `line ${line + 1}: ${unknown}`);
  return problem(
    file,
    field,
    `line ${line + 1}: ${shortTypes(text)} (TS${d.code}); ${fixFor(d.code)}`,
  );
}

/** Type errors per file (absolute path); files without errors are absent. */
export function typeCheckProblems(files: ConfigSource[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  if (files.length === 0) return result;
  const tsBuildInfoFile = buildInfoFile(files);
  const options = { ...compilerOptions(), incremental: Boolean(tsBuildInfoFile), tsBuildInfoFile };
  const host = cachingHost(options);
  const rootNames = files.map((f) => f.absolute);
  const builder = tsBuildInfoFile
    ? ts.createIncrementalProgram({ rootNames, options, host })
    : undefined;
  const program = builder?.getProgram() ?? ts.createProgram(rootNames, options, host);
  for (const f of files) {
    const source = program.getSourceFile(f.absolute);
    if (!source) continue;
    const diagnostics = [
      ...(builder ?? program).getSyntacticDiagnostics(source),
      ...(builder ?? program).getSemanticDiagnostics(source),
    ];
    const seen = new Set<string>();
    const lines = diagnostics
      .map((d) => formatDiagnostic(f.file, d))
      .filter((l) => {
        if (seen.has(l)) return false;
        seen.add(l);
        return true;
      });
    if (lines.length) result.set(f.absolute, lines);
  }
  try {
    builder?.emit();
  } catch {
    // The cache is an optimisation; a failed write only makes the next check cold.
  }
  return result;
}
