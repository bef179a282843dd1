/**
 * Addresses and networks in environment files, parsed as addresses (ipaddr.js), not matched by
 * pattern: `999.1.1.1` or `300.1.2.3/32` look like addresses but are not, and a network with
 * host bits set (`203.0.113.7/28`) is a typo the firewalls would each read differently.
 * Each check returns what is wrong and how to fix it, or undefined.
 */
import * as ipaddr from "ipaddr.js";

/** IPv4 ranges a server's public address can never be in. */
const NOT_PUBLIC_V4 = new Set([
  "unspecified",
  "broadcast",
  "multicast",
  "linkLocal",
  "loopback",
  "private",
  "carrierGradeNat",
]);
/** IPv6 ranges a server's public network can never be in. */
const NOT_PUBLIC_V6 = new Set([
  "unspecified",
  "multicast",
  "linkLocal",
  "loopback",
  "uniqueLocal",
  "ipv4Mapped",
]);

/** ipaddr.js range names as people write them. */
const RANGE_NAMES: Record<string, string> = {
  linkLocal: "link-local",
  uniqueLocal: "unique-local",
  carrierGradeNat: "carrier-grade NAT",
  ipv4Mapped: "IPv4-mapped",
};

function rangeName(range: string): string {
  return RANGE_NAMES[range] ?? range;
}

/** Shortest admin prefixes: anything wider opens SSH and the k3s API to a large part of the internet. */
export const MIN_ADMIN_PREFIX = { ipv4: 8, ipv6: 16 } as const;

/** A server's public IPv4 address, e.g. 198.51.100.24. */
export function ipv4AddressProblem(value: string): string | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(value)) {
    return `"${value}" is not an IPv4 address; write four numbers from 0 to 255, such as 198.51.100.24 (Robot > Server > IPs)`;
  }
  const range = ipaddr.IPv4.parse(value).range();
  if (NOT_PUBLIC_V4.has(range)) {
    return `"${value}" is a ${rangeName(range)} address, not the server's public one; copy the main IPv4 from Robot > Server > IPs`;
  }
  return undefined;
}

/** Splits `address/prefix`; undefined when there is no single slash. */
function splitCidr(value: string): { address: string; prefix: string } | undefined {
  const parts = value.split("/");
  return parts.length === 2 ? { address: parts[0], prefix: parts[1] } : undefined;
}

/** The network of a parsed CIDR, to tell whether host bits are set. */
function networkOf(value: string, v6: boolean): string {
  return v6
    ? ipaddr.IPv6.networkAddressFromCIDR(value).toString()
    : ipaddr.IPv4.networkAddressFromCIDR(value).toString();
}

interface ParsedCidr {
  v6: boolean;
  address: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
  network: string;
}

function parseCidr(value: string): ParsedCidr | string {
  const split = splitCidr(value);
  const example = "203.0.113.0/28 or 2001:db8:10::/48";
  if (!split || !/^\d{1,3}$/.test(split.prefix)) {
    return `"${value}" is not a network; write address/prefix, ${example}`;
  }
  const prefix = Number(split.prefix);
  if (ipaddr.IPv4.isValidFourPartDecimal(split.address)) {
    if (prefix > 32)
      return `"${value}" has prefix /${prefix}; IPv4 prefixes go up to /32 (one address)`;
    return { v6: false, address: ipaddr.IPv4.parse(split.address), prefix, network: "" };
  }
  if (split.address.includes(":") && !split.address.includes("%")) {
    if (!ipaddr.IPv6.isValid(split.address)) {
      return `"${value}" is not an IPv6 network; write it like ${example}`;
    }
    if (prefix > 128)
      return `"${value}" has prefix /${prefix}; IPv6 prefixes go up to /128 (one address)`;
    return { v6: true, address: ipaddr.IPv6.parse(split.address), prefix, network: "" };
  }
  return `"${value}" is not an IPv4 or IPv6 network (each IPv4 number 0-255); write it like ${example}`;
}

/** Parses and checks that no host bits are set; returns the network or a problem. */
function networkProblem(value: string): ParsedCidr | string {
  const parsed = parseCidr(value);
  if (typeof parsed === "string") return parsed;
  const network = networkOf(`${parsed.address.toString()}/${parsed.prefix}`, parsed.v6);
  if (network !== parsed.address.toString()) {
    return `"${value}" has host bits set; write the network ${network}/${parsed.prefix} (or /${parsed.v6 ? 128 : 32} for one address)`;
  }
  return { ...parsed, network };
}

/** An admin network for SSH and the k3s API: a real network, never (a large part of) the internet. */
export function adminCidrProblem(value: string): string | undefined {
  const parsed = networkProblem(value);
  if (typeof parsed === "string") return parsed;
  if (parsed.prefix === 0) {
    return `"${value}" opens SSH and the k3s API to the whole internet; list your office or VPN networks instead`;
  }
  const min = parsed.v6 ? MIN_ADMIN_PREFIX.ipv6 : MIN_ADMIN_PREFIX.ipv4;
  if (parsed.prefix < min) {
    return `"${value}" opens SSH and the k3s API to a large part of the internet (wider than /${min}); list your office or VPN networks instead`;
  }
  return undefined;
}

/** The server's IPv6 network from Robot: a public /64 such as 2a01:4f8:10a:1f2d::/64. */
export function ipv6NetProblem(value: string): string | undefined {
  const parsed = networkProblem(value);
  if (typeof parsed === "string") {
    return parsed.includes("host bits")
      ? parsed
      : `"${value}" is not an IPv6 network; write the server's /64 like 2a01:4f8:10a:1f2d::/64 (Robot > Server > IPs)`;
  }
  if (!parsed.v6) {
    return `"${value}" is IPv4; write the server's IPv6 /64 such as 2a01:4f8:10a:1f2d::/64`;
  }
  if (parsed.prefix !== 64) {
    return `"${value}" is a /${parsed.prefix}; Hetzner routes a /64 to each server, write it as ${parsed.network}/64 from Robot > Server > IPs`;
  }
  const range = (parsed.address as ipaddr.IPv6).range();
  if (NOT_PUBLIC_V6.has(range)) {
    return `"${value}" is a ${rangeName(range)} network, not the server's public one; copy the IPv6 /64 from Robot > Server > IPs`;
  }
  return undefined;
}

/** Canonical text of a network or address, to compare two spellings of one network. */
export function canonicalNetwork(value: string): string {
  const split = splitCidr(value);
  try {
    const address = ipaddr.parse(split?.address ?? value).toNormalizedString();
    return split ? `${address}/${split.prefix}` : address;
  } catch {
    return value;
  }
}
