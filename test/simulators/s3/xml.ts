/** Tiny XML helpers for the S3 simulator (S3 bodies are small and regular). */

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Inner texts of every <tag>...</tag> (non-nested use). */
export function allTags(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g");
  return [...xml.matchAll(re)].map((m) => m[1]);
}

/** Inner text of the first <tag>, unescaped; undefined when absent. */
export function tagText(xml: string, tag: string): string | undefined {
  const found = allTags(xml, tag)[0];
  return found === undefined ? undefined : unescapeXml(found.trim());
}

/** An element with text children; undefined values are left out. */
export function el(
  tag: string,
  children: Record<string, string | number | undefined> | string,
): string {
  if (typeof children === "string") return `<${tag}>${children}</${tag}>`;
  const inner = Object.entries(children)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
    .join("");
  return `<${tag}>${inner}</${tag}>`;
}

export function xmlDoc(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</${root}>`;
}
