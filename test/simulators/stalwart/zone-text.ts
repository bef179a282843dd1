/**
 * Renders a domain's `dnsZoneFile` the way Stalwart 0.16.18 builds it
 * (crates/common/src/network/dns/records.rs, `build_bind_dns_records` :355-380 and
 * `build_dns_records` :27-353) from the loaded SystemSettings (mail exchangers and services:
 * config/network.rs:199-203, :322-337), no ACME (no CAA), no MTA-STS policy and no TLSA (the
 * simulator publishes none: tenant names are not covered by a loaded certificate, records.rs:
 * 262-348). Record order: DKIM (every signature of the domain, any stage), SPF, MX, DMARC,
 * SRV (services in map order: records.rs:162-208), TLS-RPT, autoconfig (PACC), legacy
 * autoconfig, autodiscover. Line syntax `<fqdn.> IN <TYPE> <rdata>` with TXT over 255 bytes
 * split `( "…" "…" )` follows the shared reference §3.4 (dns-update's BindSerializer, not
 * re-read here). Deliberately independent of the provider's parser.
 */
import * as crypto from "node:crypto";

export interface ZoneInput {
  domain: string;
  /** SystemSettings.defaultHostname, or the STALWART_HOSTNAME/OS hostname fallback. */
  serverName: string;
  /** SystemSettings.services as loaded, in map order. */
  services: Array<[string, { cleartext: boolean; hostname?: string | null }]>;
  /** SystemSettings.mailExchangers as loaded (hostname null = the default hostname). */
  mxs: Array<{ hostname: string | null; priority: number }>;
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

/** SRV records per service (records.rs:162-208): DAV and JMAP on 443, TLS ports always. */
function srvRecords(
  services: ZoneInput["services"],
  domain: string,
  defaultHost: string,
): string[] {
  const out: string[] = [];
  for (const [protocol, service] of services) {
    const target = `${service.hostname ?? defaultHost}.`;
    const https: Record<string, string> = { jmap: "jmap", caldav: "caldavs", carddav: "carddavs" };
    if (https[protocol]) {
      out.push(`_${https[protocol]}._tcp.${domain}. IN SRV 0 1 443 ${target}`);
      continue;
    }
    const pairs: Record<string, Array<[string, number]>> = {
      imap: [
        ["imap", 143],
        ["imaps", 993],
      ],
      pop3: [
        ["pop3", 110],
        ["pop3s", 995],
      ],
      smtp: [
        ["submission", 587],
        ["submissions", 465],
      ],
    };
    (pairs[protocol] ?? []).forEach(([name, port], isTls) => {
      if (isTls === 1 || service.cleartext) {
        out.push(`_${name}._tcp.${domain}. IN SRV 0 1 ${port} ${target}`);
      }
    });
  }
  return out;
}

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
  const mxHosts = z.mxs.map((m) => ({ host: m.hostname ?? z.serverName, priority: m.priority }));
  // An MX host gets its own SPF record only when it lies inside the domain (records.rs:72-93).
  for (const mx of new Set(mxHosts.map((m) => m.host))) {
    if (mx.endsWith(`.${z.domain}`)) txt(`${mx}.`, "v=spf1 a -all");
  }
  txt(d, "v=spf1 mx -all");
  for (const mx of mxHosts) lines.push(`${d} IN MX ${mx.priority} ${mx.host}.`);
  const report =
    z.reportAddressUri === null
      ? undefined
      : z.reportAddressUri.startsWith("mailto:") && !z.reportAddressUri.includes("@")
        ? `${z.reportAddressUri}@${z.domain}`
        : z.reportAddressUri;
  if (report) txt(`_dmarc.${d}`, `v=DMARC1; p=reject; rua=${report}`);
  lines.push(...srvRecords(z.services, z.domain, z.serverName));
  if (report) txt(`_smtp._tls.${d}`, `v=TLSRPTv1; rua=${report}`);
  const pacc = crypto.createHash("sha256").update(`pacc:${z.serverName}`).digest("base64");
  lines.push(`ua-auto-config.${d} IN CNAME ${host}`);
  txt(`_ua-auto-config.${d}`, `v=UAAC1; a=sha256; d=${pacc}`);
  lines.push(`autoconfig.${d} IN CNAME ${host}`);
  lines.push(`autodiscover.${d} IN CNAME ${host}`);
  return lines.join("\n") + "\n";
}
