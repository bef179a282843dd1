/**
 * What the Hetzner Cloud DNS API accepts as zone and RRSet names, as pure checks, so a name it
 * would refuse fails in preview with the fix instead of in the middle of `pulumi up`.
 *
 * Zones: "This API supports all zone names with well-known public suffixes (e.g. .de, .com,
 * .co.uk). Subdomains are not supported." (docs.hetzner.cloud/reference/cloud#zones).
 * RRSets: "The name must be in lower case, and must not end with a dot or the Zone name. Names
 * containing non-ASCII characters must be transcribed to Punycode ... For the Zone apex, use
 * `@`." (docs.hetzner.cloud/reference/cloud#zone-rrsets-create-an-rrset).
 */
import { parse } from "tldts";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why the Cloud DNS API would refuse `name` as a zone, or undefined. */
export function zoneNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return `zone "${name}" must be lower case`;
  if (name.endsWith(".")) return `zone "${name}" must not end with a dot`;
  const labels = name.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    return `zone "${name}" is not a domain name in ASCII (write IDNs in Punycode, xn--...)`;
  }
  // The registrable domain under the ICANN section of the Public Suffix List (tldts bundles
  // it). Private suffixes (github.io, ...) are left out: stricter than "well-known public
  // suffixes", never looser.
  const parsed = parse(name, { allowPrivateDomains: false });
  if (!parsed.isIcann || !parsed.domain) {
    return `zone "${name}" is not under a public suffix Hetzner Cloud DNS serves (e.g. .de, .eu, .co.uk)`;
  }
  if (parsed.domain !== name) {
    return (
      `zone "${name}" is a subdomain of ${parsed.domain}: Hetzner Cloud DNS supports zones of ` +
      `registrable domains only ("Subdomains are not supported", docs.hetzner.cloud/reference/` +
      `cloud#zones); give this environment a domain of its own (e.g. a separate registrable ` +
      `domain) or put its names as record sets into the ${parsed.domain} zone`
    );
  }
  return undefined;
}

/** Why the Cloud DNS API would refuse `name` as an RRSet name in `zone`, or undefined. */
export function rrsetNameProblem(name: string, zone: string): string | undefined {
  if (name === "@") return undefined;
  if (name === "") return `record name in zone ${zone} is empty; use "@" for the apex`;
  if (name !== name.toLowerCase()) return `record name "${name}" must be lower case`;
  if (name.endsWith(".")) return `record name "${name}" must not end with a dot`;
  if (name === zone || name.endsWith(`.${zone}`)) {
    return `record name "${name}" must be relative to the zone ${zone} (not end with it)`;
  }
  // A leading "*" label is the wildcard; "_" starts service labels (_dmarc, _tcp).
  const labels = name.split(".");
  const ok = labels.every((l, i) => (i === 0 && l === "*") || /^[a-z0-9_-]{1,63}$/.test(l));
  if (!ok) return `record name "${name}" is not ASCII labels (write IDNs in Punycode, xn--...)`;
  return undefined;
}
