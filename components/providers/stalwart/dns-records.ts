/**
 * Pure functions that turn a mail domain's DNS records (parsed from Stalwart's `dnsZoneFile`)
 * into what people and programs need: quoted TXT chunks, lines a customer pastes at their
 * registrar, and hcloud ZoneRrset arguments for domains inside a zone Dezky manages.
 */
import type { DnsRecord } from "./zone-file";

/** DNS limits one character-string to 255 octets (RFC 1035 3.3); longer TXT data is split. */
export const TXT_CHUNK = 255;

/** Default TTL for records we publish (one hour: DKIM rotation and moves stay quick). */
export const DEFAULT_MAIL_TTL = 3600;

/**
 * Renders TXT data as one or more quoted strings of at most 255 octets each, separated by a
 * space: the format hcloud ZoneRrset TXT records and BIND expect (same as the
 * `hcloud.txtRecord` helper, but computed locally so previews need no provider invoke).
 */
export function txtValue(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const chunks: string[] = [];
  let start = 0;
  do {
    let end = Math.min(start + TXT_CHUNK, bytes.length);
    // Never cut a multi-byte UTF-8 character in half.
    while (end < bytes.length && end > start + 1 && (bytes[end] & 0xc0) === 0x80) end--;
    chunks.push(bytes.subarray(start, end).toString("utf8"));
    start = end;
  } while (start < bytes.length);
  return chunks.map((c) => `"${c.replace(/["\\]/g, (m) => `\\${m}`)}"`).join(" ");
}

/** The value as it is written in zone text / DNS UIs (TXT quoted and split). */
export function presentationValue(record: DnsRecord): string {
  return record.type === "TXT" ? txtValue(record.value) : record.value;
}

/** What a mail-domain record is for; lets the portal group and explain them. */
export function recordPurpose(record: DnsRecord): string {
  const n = record.name;
  if (record.type === "MX") return "mail delivery (MX)";
  if (record.type === "TXT" && n.includes("._domainkey.")) return "DKIM public key";
  if (record.type === "TXT" && record.value.startsWith("v=spf1")) return "SPF";
  if (n.startsWith("_dmarc.")) return "DMARC";
  if (n.startsWith("_smtp._tls.")) return "TLS reporting (TLS-RPT)";
  if (n.startsWith("mta-sts.") || n.startsWith("_mta-sts.")) return "MTA-STS";
  if (record.type === "SRV") return "client service discovery (SRV)";
  if (n.startsWith("autoconfig.") || n.startsWith("autodiscover.")) return "mail client setup";
  if (n.startsWith("ua-auto-config.") || n.startsWith("_ua-auto-config.")) {
    return "mail client setup";
  }
  if (record.type === "TLSA") return "DANE (TLSA)";
  if (record.type === "CAA") return "certificate authority (CAA)";
  return record.type;
}

/**
 * One line per record, columns name / type / TTL / value, for a customer to paste at their
 * registrar. Names are fully qualified with the trailing dot so no UI appends the zone twice.
 */
export function formatRecordsForRegistrar(
  records: DnsRecord[],
  defaultTtl: number = DEFAULT_MAIL_TTL,
): string {
  const rows = records.map((r) => [
    `${r.name}.`,
    r.type,
    String(r.ttl ?? defaultTtl),
    presentationValue(r),
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((row) => row[i].length)));
  return rows
    .map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join("  "))
    .join("\n");
}

/** Plain-data arguments for one `hcloud.ZoneRrset` (records share name and type). */
export interface ZoneRrsetSpec {
  /** Zone name (or id) as given. */
  zone: string;
  /** Owner name relative to the zone; "@" for the apex. */
  name: string;
  type: string;
  ttl: number;
  records: Array<{ value: string }>;
}

/** True when `name` is the zone apex or below it. */
export function isInZone(name: string, zone: string): boolean {
  const z = zone.toLowerCase().replace(/\.$/, "");
  const n = name.toLowerCase().replace(/\.$/, "");
  return n === z || n.endsWith(`.${z}`);
}

/** The owner name relative to the zone ("@" for the apex). */
export function relativeName(name: string, zone: string): string {
  const z = zone.toLowerCase().replace(/\.$/, "");
  const n = name.toLowerCase().replace(/\.$/, "");
  if (n === z) return "@";
  if (!n.endsWith(`.${z}`)) throw new Error(`${name} is not inside the zone ${zone}`);
  return n.slice(0, -(z.length + 1));
}

/**
 * Groups records into hcloud ZoneRrset arguments for a domain inside a managed zone: one set
 * per (name, type), values in zone-file order, TXT quoted and split at 255 octets, targets
 * kept fully qualified. Records outside the zone are returned in `outside` (never dropped
 * silently): they belong to another zone, e.g. the mail server's own name.
 */
export function toZoneRrsets(
  records: DnsRecord[],
  zone: string,
  ttl: number = DEFAULT_MAIL_TTL,
): { rrsets: ZoneRrsetSpec[]; outside: DnsRecord[] } {
  const byKey = new Map<string, ZoneRrsetSpec>();
  const outside: DnsRecord[] = [];
  for (const record of records) {
    if (!isInZone(record.name, zone)) {
      outside.push(record);
      continue;
    }
    const name = relativeName(record.name, zone);
    const key = `${name} ${record.type}`;
    let set = byKey.get(key);
    if (!set) {
      set = { zone, name, type: record.type, ttl: record.ttl ?? ttl, records: [] };
      byKey.set(key, set);
    }
    const value = presentationValue(record);
    if (!set.records.some((r) => r.value === value)) set.records.push({ value });
  }
  return { rrsets: [...byKey.values()], outside };
}

/** A stable Pulumi resource-name suffix for an rrset, e.g. "dkim-v1-rsa-20260820-txt". */
export function rrsetResourceSuffix(set: Pick<ZoneRrsetSpec, "name" | "type">): string {
  const name = set.name === "@" ? "apex" : set.name.replace(/[^a-z0-9-]+/gi, "-");
  return `${name}-${set.type.toLowerCase()}`.replace(/-+/g, "-").replace(/^-|-$/g, "");
}
