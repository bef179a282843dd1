/**
 * The platform zone's record sets, computed once: every service host and the tenant wildcard
 * point at the cell's host. Pure so the layout is tested without Pulumi.
 *
 * IPv4 only: no AAAA is published (docs/ipv6.md). k3s is single-stack, Traefik and ServiceLB
 * answer on IPv4 only, and the Robot firewall's 10 rules cannot carry IPv6 service rules next
 * to the IPv4 ones, so an AAAA would send IPv6 clients to a port nothing serves.
 */

/** Service hosts under the platform domain, one per user-facing service. */
export const SERVICE_HOSTS = ["app", "auth", "files", "mail", "office", "api"] as const;
export type ServiceHost = (typeof SERVICE_HOSTS)[number];

/** Tenant subdomains (`<slug>.<domain>`) are served by the wildcard. */
export const TENANT_WILDCARD = "*";

export type AddressType = "A" | "AAAA";

export interface RecordSet {
  /** Name relative to the zone ("app", "*"). */
  name: string;
  type: AddressType;
  ttl: number;
  records: string[];
}

export interface HostAddresses {
  ipv4: string;
  ipv6: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i;

/** Whether service names get AAAA records (see the file comment and docs/ipv6.md). */
export const PUBLISH_AAAA = false;

/** The address record types published for service names. */
export const PUBLISHED_ADDRESS_TYPES: readonly AddressType[] = PUBLISH_AAAA ? ["A", "AAAA"] : ["A"];

/** Names and types of the platform record sets (known at preview, before the host exists). */
export function platformRecordLayout(): { name: string; type: AddressType }[] {
  const names = [...SERVICE_HOSTS, TENANT_WILDCARD];
  return names.flatMap((name) => PUBLISHED_ADDRESS_TYPES.map((type) => ({ name, type })));
}

/** The record sets for a host; refuses a network (`/64`) or a malformed address. */
export function platformRecordSets(host: HostAddresses, ttl = 300): RecordSet[] {
  if (!IPV4.test(host.ipv4))
    throw new Error(`platform zone: "${host.ipv4}" is not an IPv4 address`);
  if (!IPV6.test(host.ipv6)) {
    throw new Error(
      `platform zone: "${host.ipv6}" is not an IPv6 address (give the host address, not its /64)`,
    );
  }
  return platformRecordLayout().map(({ name, type }) => ({
    name,
    type,
    ttl,
    records: [type === "A" ? host.ipv4 : host.ipv6],
  }));
}

/** The fully qualified name of a service host. */
export function serviceHost(domain: string, host: ServiceHost): string {
  return `${host}.${domain}`;
}

/** All service host names of a domain, keyed by role. */
export function serviceHosts(domain: string): Record<ServiceHost, string> {
  return Object.fromEntries(SERVICE_HOSTS.map((h) => [h, serviceHost(domain, h)])) as Record<
    ServiceHost,
    string
  >;
}
