/**
 * The DNS record sets a managed mail domain gets. Pulumi must know how many record sets exist
 * before Stalwart answers, so the layout is fixed here (it follows the records Stalwart 0.16
 * recommends for the listeners the platform enables) and the values are filled from the
 * domain's `dnsZoneFile` once it exists. DKIM owner names carry the selector, so they are
 * filled in too. A record the layout expects but Stalwart does not recommend is an error; a
 * record Stalwart recommends beyond the layout is reported, never dropped silently.
 */
import type { DnsRecord, ZoneRrsetSpec } from "../providers/stalwart";
import { relativeName, toZoneRrsets } from "../providers/stalwart";

export interface LayoutEntry {
  /** Stable resource-name suffix. */
  key: string;
  type: string;
  /** Owner name below the mail domain ("" = the domain itself). DKIM entries match by algorithm. */
  label?: string;
  dkim?: "ed25519" | "rsa";
}

export const MAIL_RRSET_LAYOUT: LayoutEntry[] = [
  { key: "dkim-ed25519", type: "TXT", dkim: "ed25519" },
  { key: "dkim-rsa", type: "TXT", dkim: "rsa" },
  { key: "spf", type: "TXT", label: "" },
  { key: "mx", type: "MX", label: "" },
  { key: "dmarc", type: "TXT", label: "_dmarc" },
  { key: "srv-jmap", type: "SRV", label: "_jmap._tcp" },
  { key: "srv-imaps", type: "SRV", label: "_imaps._tcp" },
  { key: "srv-pop3s", type: "SRV", label: "_pop3s._tcp" },
  { key: "srv-submissions", type: "SRV", label: "_submissions._tcp" },
  { key: "srv-caldavs", type: "SRV", label: "_caldavs._tcp" },
  { key: "srv-carddavs", type: "SRV", label: "_carddavs._tcp" },
  { key: "tlsrpt", type: "TXT", label: "_smtp._tls" },
  // PACC client setup, always in 0.16's dnsZoneFile (common/src/network/dns/records.rs:135-149).
  { key: "ua-auto-config", type: "CNAME", label: "ua-auto-config" },
  { key: "ua-auto-config-txt", type: "TXT", label: "_ua-auto-config" },
  { key: "autoconfig", type: "CNAME", label: "autoconfig" },
  { key: "autodiscover", type: "CNAME", label: "autodiscover" },
];

/** Owner name of a layout entry relative to the zone, for entries not keyed by DKIM. */
export function layoutName(entry: LayoutEntry, domain: string, zone: string): string {
  const fqdn = entry.label ? `${entry.label}.${domain}` : domain;
  return relativeName(fqdn, zone);
}

export interface FilledLayout {
  /** Record set per layout key. */
  sets: Record<string, ZoneRrsetSpec>;
  /** Records Stalwart recommends that no layout entry publishes (shown to the operator). */
  unmanaged: DnsRecord[];
}

/** Fills the layout from the domain's parsed records; throws naming what is missing. */
export function fillLayout(
  records: DnsRecord[],
  domain: string,
  zone: string,
  activeSelectors: Record<string, string>,
): FilledLayout {
  const { rrsets, outside } = toZoneRrsets(records, zone);
  const used = new Set<ZoneRrsetSpec>();
  const sets: Record<string, ZoneRrsetSpec> = {};
  for (const entry of MAIL_RRSET_LAYOUT) {
    const name = entry.dkim
      ? relativeName(`${activeSelectors[entry.dkim]}._domainkey.${domain}`, zone)
      : layoutName(entry, domain, zone);
    const set = rrsets.find((s) => s.name === name && s.type === entry.type);
    if (!set) {
      throw new Error(
        `mail domain ${domain}: Stalwart's recommended records have no ${entry.type} record at ${name} (${entry.key}); check the Stalwart listeners and DKIM state`,
      );
    }
    sets[entry.key] = set;
    used.add(set);
  }
  const unmanaged = [
    ...outside,
    ...rrsets
      .filter((s) => !used.has(s))
      .flatMap((s) =>
        records.filter((r) => r.type === s.type && relativeName(r.name, zone) === s.name),
      ),
  ];
  return { sets, unmanaged };
}
