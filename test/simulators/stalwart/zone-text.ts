/**
 * Renders a domain's `dnsZoneFile` the way Stalwart 0.16.18 builds it
 * (crates/common/src/network/dns/records.rs, `build_bind_dns_records` :355-380 and
 * `build_dns_records` :27-353), for the default SystemSettings (one mail exchanger with no
 * hostname, every service advertised without cleartext: registry/src/schema/structs_impl.rs
 * `impl Default for SystemSettings`), no ACME (no CAA), no MTA-STS policy and no TLSA (the
 * simulator loads no certificate). Record order: DKIM (every signature of the domain, any
 * stage), SPF, MX, DMARC, SRV, TLS-RPT, autoconfig (PACC), legacy autoconfig, autodiscover.
 * Every target is the default hostname. Line syntax `<fqdn.> IN <TYPE> <rdata>` with TXT over
 * 255 bytes split `( "…" "…" )` follows the shared reference §3.4 (dns-update's BindSerializer,
 * not re-read here). Deliberately independent of the provider's parser.
 */
import * as crypto from "node:crypto";

export interface ZoneInput {
  domain: string;
  /** SystemSettings.defaultHostname, or the STALWART_HOSTNAME/OS hostname fallback. */
  serverName: string;
  /** `mailto:postmaster` by default; null drops DMARC and TLS-RPT (records.rs:94-121). */
  reportAddressUri: string | null;
  dkim: Array<{ selector: string; algorithm: "ed25519" | "rsa"; publicKey: string }>;
}

function quoteTxt(text: string): string {
  if (text.length <= 255) return `"${text}"`;
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 255) parts.push(`"${text.slice(i, i + 255)}"`);
  return `( ${parts.join("\n\t")} )`;
}

/** SRV per default service, in the default VecMap order (records.rs:162-208). */
const DEFAULT_SRV: Array<[string, number]> = [
  ["_caldavs._tcp", 443],
  ["_carddavs._tcp", 443],
  ["_imaps._tcp", 993],
  ["_jmap._tcp", 443],
  ["_pop3s._tcp", 995],
  ["_submissions._tcp", 465],
];

export function renderZoneText(z: ZoneInput): string {
  const d = `${z.domain}.`;
  const host = `${z.serverName}.`;
  const lines: string[] = [];
  const txt = (name: string, text: string) => lines.push(`${name} IN TXT ${quoteTxt(text)}`);
  for (const key of z.dkim) {
    txt(
      `${key.selector}._domainkey.${d}`,
      `v=DKIM1; k=${key.algorithm}; h=sha256; p=${key.publicKey}`,
    );
  }
  // The MX host gets its own SPF record only when it lies inside the domain (records.rs:72-93).
  if (z.serverName.endsWith(`.${z.domain}`)) txt(host, "v=spf1 a -all");
  txt(d, "v=spf1 mx -all");
  lines.push(`${d} IN MX 10 ${host}`);
  const report =
    z.reportAddressUri === null
      ? undefined
      : z.reportAddressUri.startsWith("mailto:") && !z.reportAddressUri.includes("@")
        ? `${z.reportAddressUri}@${z.domain}`
        : z.reportAddressUri;
  if (report) txt(`_dmarc.${d}`, `v=DMARC1; p=reject; rua=${report}`);
  for (const [label, port] of DEFAULT_SRV) lines.push(`${label}.${d} IN SRV 0 1 ${port} ${host}`);
  if (report) txt(`_smtp._tls.${d}`, `v=TLSRPTv1; rua=${report}`);
  const pacc = crypto.createHash("sha256").update(`pacc:${z.serverName}`).digest("base64");
  lines.push(`ua-auto-config.${d} IN CNAME ${host}`);
  txt(`_ua-auto-config.${d}`, `v=UAAC1; a=sha256; d=${pacc}`);
  lines.push(`autoconfig.${d} IN CNAME ${host}`);
  lines.push(`autodiscover.${d} IN CNAME ${host}`);
  return lines.join("\n") + "\n";
}
