/**
 * Mail: every tenant mail domain has DKIM and DMARC records. A domain inside a zone this stack
 * manages must have them as ZoneRrsets; a domain whose DNS the customer runs must have them in
 * its recommended records (its MailDomainRecords' outputs, or older versions' domain outputs),
 * so the portal can show them for pasting.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { referenced } from "./references";
import { isRole } from "./types";
import { list, read, str, UNKNOWN } from "./util";

const fqdn = (name: string) => name.toLowerCase().replace(/\.$/, "");

/** The domain name of a mail-domain resource. */
export function mailDomainName(r: PolicyResource): string | undefined {
  const v = str(r.props, "domain") ?? str(r.props, "name");
  return v ? fqdn(v) : undefined;
}

/** Fully qualified owner names of TXT record sets managed in the stack's zones. */
export function managedTxtNames(resources: PolicyResource[]): string[] {
  const zones = resources.filter((r) => isRole(r.type, "zone"));
  return resources
    .filter(
      (r) => isRole(r.type, "zoneRrset") && (str(r.props, "type") ?? "").toUpperCase() === "TXT",
    )
    .map((r) => {
      const zoneRef = str(r.props, "zone");
      const zoneName = referenced(r, "zone", zones)?.props.name ?? zoneRef;
      const name = str(r.props, "name") ?? "@";
      if (typeof zoneName !== "string") return fqdn(name);
      return name === "@" ? fqdn(zoneName) : `${fqdn(name)}.${fqdn(zoneName)}`;
    });
}

/** Owner names in the domain's own outputs (dnsRecords[].name or the dnsZoneFile text). */
export function outputRecordNames(r: PolicyResource): string[] | typeof UNKNOWN {
  const records = read(r.props, "dnsRecords");
  const zoneFile = read(r.props, "dnsZoneFile");
  if (records === UNKNOWN || zoneFile === UNKNOWN) return UNKNOWN;
  const names = list(r.props, "dnsRecords")
    .map((rec) => str(rec, "name") ?? "")
    .map(fqdn);
  if (typeof zoneFile === "string") {
    for (const line of zoneFile.split("\n")) names.push(fqdn(line.trim().split(/\s+/)[0] ?? ""));
  }
  return names;
}

/** What the domain lacks, given the names available as evidence. */
export function missingMailRecords(domain: string, names: string[]): string[] {
  const missing: string[] = [];
  if (!names.some((n) => n.endsWith(`._domainkey.${domain}`)))
    missing.push("DKIM (<selector>._domainkey)");
  if (!names.includes(`_dmarc.${domain}`)) missing.push("DMARC (_dmarc)");
  return missing;
}

export const mailDomainRecords: StackValidationPolicy = {
  name: "mail-dkim-dmarc",
  description:
    "Every tenant mail domain has DKIM and DMARC records, managed in our zone or published in its outputs.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, report) => {
    const managed = managedTxtNames(args.resources);
    const zoneNames = args.resources
      .filter((r) => isRole(r.type, "zone"))
      .map((z) => str(z.props, "name"))
      .filter((n): n is string => !!n)
      .map(fqdn);
    for (const r of args.resources.filter((x) => isRole(x.type, "stalwartDomain"))) {
      const domain = mailDomainName(r);
      if (!domain) continue;
      const inOurZone = zoneNames.some((z) => domain === z || domain.endsWith(`.${z}`));
      let evidence = managed;
      if (!inOurZone) {
        // The domain's records resource (by domain name), or the domain itself (older state).
        const sources = [
          ...args.resources.filter(
            (x) => isRole(x.type, "stalwartDomainRecords") && mailDomainName(x) === domain,
          ),
          r,
        ].map(outputRecordNames);
        if (sources.some((o) => o === UNKNOWN)) continue; // computed during preview; judged on `up`
        evidence = [...managed, ...sources.flatMap((o) => o as string[])];
      }
      const missing = missingMailRecords(domain, evidence);
      if (missing.length > 0) {
        const where = inOurZone
          ? "as ZoneRrsets in the managed zone"
          : "in its DNS outputs or as ZoneRrsets";
        report(`Mail domain ${domain} (${r.name}) lacks ${missing.join(" and ")} ${where}.`, r.urn);
      }
    }
  },
};
