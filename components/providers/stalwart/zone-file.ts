/**
 * Pure parser for the BIND text Stalwart 0.16 puts in a domain's `dnsZoneFile`
 * (`<fqdn.> IN <TYPE> <rdata>`, long TXT split as `( "…" "…" )` over several lines).
 * Written from the documented format; handles the general master-file syntax a zone file may
 * use ($ORIGIN, $TTL, relative names, owner continuation, comments) so it does not break when
 * the server adds a record kind.
 */

/** One DNS record as the domain needs it. */
export interface DnsRecord {
  /** Fully qualified owner name, lower-case, without the trailing dot. */
  name: string;
  /** Record type in upper case, e.g. "MX", "TXT". */
  type: string;
  /** TTL in seconds when the zone text gives one. */
  ttl?: number;
  /**
   * The record data. TXT: the logical text (the quoted chunks joined, quotes removed).
   * Other types: the rdata tokens joined by one space, as written (targets keep their dot).
   */
  value: string;
}

// An array, not a Set: Pulumi serializes the provider closure and cannot capture a Set.
const CLASSES = ["IN", "CH", "HS", "CS"];

/** Splits one logical line into tokens; quoted strings keep their quotes for later decoding. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === "\\" ? 2 : 1;
      if (j >= line.length) throw new Error(`unterminated quoted string in: ${line}`);
      tokens.push(line.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && line[j] !== " " && line[j] !== "\t" && line[j] !== '"') j++;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

/** Removes a `;` comment and reports the net parenthesis depth change, both outside quotes. */
function stripComment(line: string): { text: string; depth: number } {
  let inQuote = false;
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuote && c === "\\") {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c === ";") return { text: line.slice(0, i), depth };
    else if (!inQuote && c === "(") depth++;
    else if (!inQuote && c === ")") depth--;
  }
  return { text: line, depth };
}

/** Joins parenthesised continuations into logical lines; keeps whether a line began blank. */
function logicalLines(text: string): Array<{ text: string; continuesOwner: boolean }> {
  const out: Array<{ text: string; continuesOwner: boolean }> = [];
  let buffer = "";
  let depth = 0;
  let continuesOwner = false;
  for (const raw of text.split(/\r?\n/)) {
    const { text: line, depth: delta } = stripComment(raw);
    if (depth === 0) {
      if (line.trim() === "") continue;
      continuesOwner = /^[ \t]/.test(line);
      buffer = line;
    } else {
      buffer += " " + line;
    }
    depth += delta;
    if (depth < 0) throw new Error(`unbalanced ")" in zone text near: ${raw}`);
    if (depth === 0) out.push({ text: removeParens(buffer), continuesOwner });
  }
  if (depth !== 0) throw new Error('unbalanced "(" at the end of the zone text');
  return out;
}

/** Replaces the grouping parentheses that sit outside quoted strings with spaces. */
function removeParens(line: string): string {
  let inQuote = false;
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuote && c === "\\") {
      out += c + (line[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    out += !inQuote && (c === "(" || c === ")") ? " " : c;
  }
  return out;
}

/** Decodes a quoted TXT chunk: strips quotes, resolves `\"`, `\\` and `\DDD`. */
export function unquoteTxt(chunk: string): string {
  const inner = chunk.startsWith('"') ? chunk.slice(1, -1) : chunk;
  return inner.replace(/\\(\d{3}|.)/g, (_m, esc: string) =>
    /^\d{3}$/.test(esc) ? String.fromCharCode(Number(esc)) : esc,
  );
}

function absolute(name: string, origin: string | undefined): string {
  if (name === "@") {
    if (!origin) throw new Error('"@" used without $ORIGIN');
    return origin;
  }
  if (name.endsWith(".")) return name.slice(0, -1).toLowerCase();
  if (!origin) throw new Error(`relative name "${name}" without $ORIGIN`);
  return `${name}.${origin}`.toLowerCase();
}

function isTtl(token: string): boolean {
  return /^\d+$/.test(token);
}

/** Parses zone text into records, in the order they appear. Throws on malformed text. */
export function parseZoneFile(text: string): DnsRecord[] {
  const records: DnsRecord[] = [];
  let origin: string | undefined;
  let defaultTtl: number | undefined;
  let lastOwner: string | undefined;
  for (const line of logicalLines(text)) {
    const tokens = tokenize(line.text);
    if (tokens[0] === "$ORIGIN") {
      origin = absolute(tokens[1].endsWith(".") ? tokens[1] : `${tokens[1]}.`, undefined);
      continue;
    }
    if (tokens[0] === "$TTL") {
      defaultTtl = Number(tokens[1]);
      continue;
    }
    if (tokens[0]?.startsWith("$")) continue; // $INCLUDE and friends are not used by Stalwart
    let owner: string;
    let rest: string[];
    if (line.continuesOwner) {
      if (!lastOwner) throw new Error(`record without an owner name: ${line.text}`);
      owner = lastOwner;
      rest = tokens;
    } else {
      owner = absolute(tokens[0], origin);
      rest = tokens.slice(1);
    }
    lastOwner = owner;
    let ttl = defaultTtl;
    // TTL and class may come in either order, each optional.
    for (let k = 0; k < 2 && rest.length > 0; k++) {
      if (isTtl(rest[0])) ttl = Number(rest.shift());
      else if (CLASSES.includes(rest[0].toUpperCase())) rest.shift();
    }
    const type = rest.shift()?.toUpperCase();
    if (!type || rest.length === 0) throw new Error(`incomplete record: ${line.text.trim()}`);
    const value =
      type === "TXT" || type === "SPF"
        ? rest.map(unquoteTxt).join("")
        : rest.map((t) => (t.startsWith('"') ? unquoteTxt(t) : t)).join(" ");
    records.push({ name: owner, type, ...(ttl === undefined ? {} : { ttl }), value });
  }
  return records;
}
