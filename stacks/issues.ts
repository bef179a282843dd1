/**
 * How configuration problems read: `<file>: <field>: <what is wrong>; <how to fix it>`, one line
 * each, all of them at once, never a stack trace. Used for environment files (stacks/) and
 * tenant files (tenants/). zod's own messages say what is wrong but not what to do, so issues
 * without a message of ours get one here.
 */
import type { z } from "zod";

/** Every problem of a configuration, reported together; nothing was deployed. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (nothing was deployed):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
    this.name = "ConfigurationError";
  }
}

/** True for a ConfigurationError from any copy of this module (a test may load two). */
export function isConfigurationError(error: unknown): error is ConfigurationError {
  return (
    error instanceof Error &&
    error.name === "ConfigurationError" &&
    Array.isArray((error as { problems?: unknown }).problems)
  );
}

/** `spaces.1.grantTo`; the root is `(file)`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".") || "(file)";
}

export function problem(file: string, path: readonly PropertyKey[] | string, text: string): string {
  return `${file}: ${typeof path === "string" ? path : fieldPath(path)}: ${text}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

const ARTICLE: Record<string, string> = {
  string: "a text in quotes",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list [...]",
  object: "an object {...}",
};

/**
 * Messages with a fix for zod's built-in checks; schema-level messages (ours) take precedence.
 * Pass as `schema.safeParse(value, { error: messageWithFix })`.
 */
export function messageWithFix(issue: z.core.$ZodRawIssue): string | undefined {
  const value = issue.input;
  switch (issue.code) {
    case "invalid_type": {
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      return value === undefined
        ? `is missing; add it (${expected})`
        : `must be ${expected}, not ${describe(value)}; write it as ${expected}`;
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "array") return `needs at least ${min} entries; add the missing ones`;
      if (issue.origin === "string")
        return min <= 1 ? "is empty; fill it in" : `is shorter than ${min} characters; lengthen it`;
      return issue.inclusive
        ? `is ${String(value)}, must be at least ${min}; raise it`
        : `is ${String(value)}, must be more than ${min}; raise it`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "array") return `has more than ${max} entries; remove some`;
      if (issue.origin === "string") return `is longer than ${max} characters; shorten it`;
      return `is ${String(value)}, must be at most ${max}; lower it`;
    }
    case "invalid_value":
      return `is ${JSON.stringify(value)}; use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      if (issue.format === "email")
        return `${JSON.stringify(value)} is not an e-mail address; write it like name@example.com`;
      if (issue.format === "date")
        return `${JSON.stringify(value)} is not a calendar date; write YYYY-MM-DD, such as 2027-03-31`;
      if (issue.format === "url")
        return `${JSON.stringify(value)} is not an https:// URL; write it like https://example.com/logo.svg`;
      return `${JSON.stringify(value)} has the wrong form; see the field's comment in the schema`;
    case "invalid_union":
      return `${describe(value)} matches none of the allowed forms; see the field's comment in the schema`;
    default:
      return undefined;
  }
}

/** Edit distance, for "did you mean" on misspelt keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The known key closest to a misspelt one, if any is close. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  const ranked = known
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  return ranked[0] && ranked[0].d <= Math.max(1, Math.floor(key.length / 4))
    ? ranked[0].k
    : undefined;
}

type Def = {
  type?: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The object keys a schema accepts at `path` (through arrays, defaults, optionals, unions). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const def = defOf(schema);
  if (def.innerType) return knownKeysAt(def.innerType, path);
  if (def.in && def.type === "pipe") return knownKeysAt(def.in, path);
  if (def.options) return [...new Set(def.options.flatMap((o) => knownKeysAt(o, path)))];
  if (path.length === 0) return def.shape ? Object.keys(def.shape) : [];
  const [head, ...rest] = path;
  if (def.element && typeof head === "number") return knownKeysAt(def.element, rest);
  const child = def.shape?.[String(head)];
  return child ? knownKeysAt(child, rest) : [];
}

/** One problem line per issue (one per unknown key), each with the file, the field and a fix. */
export function formatIssues(file: string, error: z.ZodError, schema?: z.ZodType): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== "unrecognized_keys") return [problem(file, issue.path, issue.message)];
    const known = schema ? knownKeysAt(schema, issue.path) : [];
    return issue.keys.map((key) => {
      const suggestion = suggestKey(key, known);
      const fix = suggestion
        ? `did you mean "${suggestion}"? correct the spelling`
        : `remove it${known.length ? ` (known fields here: ${known.join(", ")})` : ""}`;
      return problem(file, [...issue.path, key], `is not a known field; ${fix}`);
    });
  });
}
