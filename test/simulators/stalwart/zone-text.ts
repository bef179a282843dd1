/**
 * Renders a domain's `dnsZoneFile` the way Stalwart 0.16 documents it (reference §3.4): one
 * `<fqdn.> IN <TYPE> <rdata>` line per record, TXT quoted, TXT over 255 bytes split as
 * `( "…" "…" )` over several lines; order DKIM, SPF, MX, DMARC, SRV, MTA-STS, TLS-RPT,
 * autoconfig, autodiscover. Deliberately independent of the provider's parser.
 */

export interface ZoneInput {
  domain: string;
  serverName: string;
  /** `mailto:postmaster` by default; null drops DMARC and TLS-RPT. */
  reportAddressUri: string | null;
  dkim: Array<{ selector: string; algorithm: "ed25519" | "rsa"; publicKey: string }>;
  /** MTA-STS policy id, when a policy exists. */
  mtaStsId?: string;
}

function quoteTxt(text: string): string {
  if (text.length <= 255) return `"${text}"`;
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 255) parts.push(`"${text.slice(i, i + 255)}"`);
  return `( ${parts.join("\n\t")} )`;
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
  txt(d, "v=spf1 mx -all");
  lines.push(`${d} IN MX 10 ${host}`);
  const report = z.reportAddressUri?.replace(
    /^mailto:postmaster$/,
    `mailto:postmaster@${z.domain}`,
  );
  if (report) txt(`_dmarc.${d}`, `v=DMARC1; p=reject; rua=${report}`);
  lines.push(`_jmap._tcp.${d} IN SRV 0 1 443 ${host}`);
  lines.push(`_imaps._tcp.${d} IN SRV 0 1 993 ${host}`);
  lines.push(`_pop3s._tcp.${d} IN SRV 0 1 995 ${host}`);
  lines.push(`_submissions._tcp.${d} IN SRV 0 1 465 ${host}`);
  lines.push(`_caldavs._tcp.${d} IN SRV 0 1 443 ${host}`);
  lines.push(`_carddavs._tcp.${d} IN SRV 0 1 443 ${host}`);
  if (z.mtaStsId) {
    lines.push(`mta-sts.${d} IN CNAME ${host}`);
    txt(`_mta-sts.${d}`, `v=STSv1; id=${z.mtaStsId}`);
  }
  if (report) txt(`_smtp._tls.${d}`, `v=TLSRPTv1; rua=${report}`);
  lines.push(`autoconfig.${d} IN CNAME ${host}`);
  lines.push(`autodiscover.${d} IN CNAME ${host}`);
  return lines.join("\n") + "\n";
}
