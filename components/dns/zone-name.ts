/**
 * What the Hetzner Cloud DNS API accepts as RRSet names (zone names: the shared rules,
 * `zoneNameProblem` in @dezky/providers/rules), as pure checks, so a name it
 * would refuse fails in preview with the fix instead of in the middle of `pulumi up`.
 *
 * Zones: "This API supports all zone names with well-known public suffixes (e.g. .de, .com,
 * .co.uk). Subdomains are not supported." (docs.hetzner.cloud/reference/cloud#zones).
 * RRSets: "The name must be in lower case, and must not end with a dot or the Zone name. Names
 * containing non-ASCII characters must be transcribed to Punycode ... For the Zone apex, use
 * `@`." (docs.hetzner.cloud/reference/cloud#zone-rrsets-create-an-rrset).
 */

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
