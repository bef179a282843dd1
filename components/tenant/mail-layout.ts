/**
 * The DNS record sets a managed mail domain gets. Pulumi must know how many record sets exist
 * before Stalwart answers, so the layout is fixed here and the values are filled from the
 * domain's `dnsZoneFile` once it exists:
 * - DKIM: both slots of both algorithms (`dezky-<alg>-a|b._domainkey`, dkim-slots.ts), so the
 *   pending key is published before it signs and the retiring key until it goes. A slot with
 *   no key publishes an empty `p=`, which RFC 6376 §3.6.1 defines as a revoked key.
 * - SPF, MX, DMARC, TLS-RPT and the SRV records of the services the cell serves (Stalwart 0.16
 *   advertises what SystemSettings.services lists: components/platform/stalwart-render.ts).
 * Not published, although 0.16 always recommends them (common/src/network/dns/records.rs:
 * 135-161, :355-380): `autoconfig.`, `autodiscover.`, `ua-auto-config.` (and its
 * `_ua-auto-config` digest). They point clients at https://<name>.<domain>, which the cell does
 * not serve: Traefik routes only mail.<platform domain>, and the wildcard certificate covers one
 * label. Clients find the servers through the SRV records (RFC 6186, RFC 8314) and the MX.
 * A record the layout expects but Stalwart does not recommend is an error; any other record
 * Stalwart recommends is returned as `unmanaged`, never dropped silently.
 */
import { stalwart } from "@dezky/providers";

const { DKIM_SLOTS, DKIM_VARIANTS, relativeName, slotSelector, toZoneRrsets, txtValue } = stalwart;
type DkimAlgorithm = stalwart.DkimAlgorithm;
type DnsRecord = stalwart.DnsRecord;
type ZoneRrsetSpec = stalwart.ZoneRrsetSpec;

export interface LayoutEntry {
  /** Stable resource-name suffix. */
  key: string;
  type: string;
  /** Owner name below the mail domain ("" = the domain itself). */
  label: string;
  /** DKIM slot entries: the algorithm (an empty slot publishes a revoked record). */
  dkim?: DkimAlgorithm;
}

const DKIM_ENTRIES: LayoutEntry[] = DKIM_VARIANTS.flatMap(({ algorithm }) =>
  DKIM_SLOTS.map((slot) => ({
    key: `dkim-${algorithm}-${slot}`,
    type: "TXT",
    label: `${slotSelector(algorithm, slot)}._domainkey`,
    dkim: algorithm,
  })),
);

export const MAIL_RRSET_LAYOUT: LayoutEntry[] = [
  ...DKIM_ENTRIES,
  { key: "spf", type: "TXT", label: "" },
  { key: "mx", type: "MX", label: "" },
  { key: "dmarc", type: "TXT", label: "_dmarc" },
  { key: "srv-jmap", type: "SRV", label: "_jmap._tcp" },
  { key: "srv-imaps", type: "SRV", label: "_imaps._tcp" },
  { key: "srv-submissions", type: "SRV", label: "_submissions._tcp" },
  { key: "srv-caldavs", type: "SRV", label: "_caldavs._tcp" },
  { key: "srv-carddavs", type: "SRV", label: "_carddavs._tcp" },
  { key: "tlsrpt", type: "TXT", label: "_smtp._tls" },
];

/** Client-setup names Stalwart recommends that the cell does not serve (see above). */
export const NOT_SERVED_LABELS = [
  "autoconfig",
  "autodiscover",
  "ua-auto-config",
  "_ua-auto-config",
];

/** The records worth publishing: Stalwart's list without names the cell does not serve. */
export function publishableRecords(records: DnsRecord[], domain: string): DnsRecord[] {
  const excluded = NOT_SERVED_LABELS.map((l) => `${l}.${domain}`.toLowerCase());
  return records.filter((r) => !excluded.includes(r.name.toLowerCase()));
}

/** Owner name of a layout entry relative to the zone. */
export function layoutName(entry: LayoutEntry, domain: string, zone: string): string {
  const fqdn = entry.label ? `${entry.label}.${domain}` : domain;
  return relativeName(fqdn, zone);
}

/** The TXT value of an empty DKIM slot: a revoked key (RFC 6376 §3.6.1, empty `p=`). */
export function revokedDkimValue(algorithm: DkimAlgorithm): string {
  return txtValue(`v=DKIM1; k=${algorithm}; p=`);
}

export interface FilledLayout {
  /** Record set per layout key. */
  sets: Record<string, ZoneRrsetSpec>;
  /** Records Stalwart recommends that no layout entry publishes (shown to the operator). */
  unmanaged: DnsRecord[];
}

/** Fills the layout from the domain's parsed records; throws naming what is missing. */
export function fillLayout(records: DnsRecord[], domain: string, zone: string): FilledLayout {
  const { rrsets, outside } = toZoneRrsets(publishableRecords(records, domain), zone);
  const used = new Set<ZoneRrsetSpec>();
  const sets: Record<string, ZoneRrsetSpec> = {};
  for (const entry of MAIL_RRSET_LAYOUT) {
    const name = layoutName(entry, domain, zone);
    const set = rrsets.find((s) => s.name === name && s.type === entry.type);
    if (set) {
      sets[entry.key] = set;
      used.add(set);
    } else if (entry.dkim) {
      sets[entry.key] = {
        zone,
        name,
        type: "TXT",
        ttl: rrsets[0]?.ttl ?? 3600,
        records: [{ value: revokedDkimValue(entry.dkim) }],
      };
    } else {
      throw new Error(
        `mail domain ${domain}: Stalwart's recommended records have no ${entry.type} record at ${name} (${entry.key}); check the Stalwart server settings (services, hostname)`,
      );
    }
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
