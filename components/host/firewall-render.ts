/**
 * Renders the inbound policy for the three enforcement points: Hetzner Cloud Firewall rules,
 * the host's nftables ruleset, and the (stateless, 10-rules-per-direction) Robot firewall.
 */
import {
  ADMIN_PORTS,
  checkPolicy,
  type InboundPolicy,
  isIpv6,
  PEER_PORTS,
  PUBLIC_PORTS,
  type PortRule,
} from "./firewall-policy";

const ANYWHERE = ["0.0.0.0/0", "::/0"];
/**
 * Services are IPv4-only (docs/ipv6.md): no AAAA is published and k3s is single-stack, so the
 * public ports are opened for IPv4 only on every layer. IPv6 stays for outbound traffic,
 * ICMPv6 and the admin networks' SSH/API.
 */
const ANY_IPV4 = ["0.0.0.0/0"];

/** One rule of an `hcloud.Firewall` (plain values, the shape of `FirewallRule`). */
export interface CloudFirewallRule {
  direction: "in";
  protocol: "tcp" | "udp" | "icmp";
  port?: string;
  sourceIps: string[];
  description: string;
}

/** Inbound rules for the Cloud Firewall; outbound stays open (Cloud Firewalls are stateful). */
export function cloudFirewallRules(input: InboundPolicy): CloudFirewallRule[] {
  const policy = checkPolicy(input);
  const rule = (p: PortRule, sourceIps: string[], prefix = ""): CloudFirewallRule => ({
    direction: "in",
    protocol: p.protocol,
    port: String(p.port),
    sourceIps,
    description: `${prefix}${p.description}`,
  });
  return [
    { direction: "in", protocol: "icmp", sourceIps: ANYWHERE, description: "icmp" },
    ...PUBLIC_PORTS.map((p) => rule(p, ANY_IPV4)),
    ...ADMIN_PORTS.map((p) => rule(p, policy.adminCidrs, "admin-")),
    ...(policy.peers.length ? PEER_PORTS.map((p) => rule(p, policy.peers, "peer-")) : []),
  ];
}

function nftSet(values: string[]): string {
  return `{ ${values.join(", ")} }`;
}

function nftSourceRules(sources: string[], ports: readonly PortRule[], comment: string): string[] {
  const lines: string[] = [];
  for (const [family, list] of [
    ["ip", sources.filter((s) => !isIpv6(s))],
    ["ip6", sources.filter(isIpv6)],
  ] as const) {
    if (list.length === 0) continue;
    for (const protocol of ["tcp", "udp"] as const) {
      const portList = ports.filter((p) => p.protocol === protocol).map((p) => String(p.port));
      if (portList.length === 0) continue;
      lines.push(
        `    ${family} saddr ${nftSet(list)} ${protocol} dport ${nftSet(portList)} accept comment "${comment}"`,
      );
    }
  }
  return lines;
}

/** Hetzner Cloud's metadata service, which serves user data to anything that asks. */
export const METADATA_ADDRESS = "169.254.169.254";

/**
 * The host firewall (nftables, `inet` family for IPv4 and IPv6). Only our own table is flushed
 * and replaced, so the rules kube-proxy/flannel keep in their own tables survive a reload.
 * Input policy drop. Forward is left to k3s (pods need it) except the metadata service: no pod
 * may read the server's user data (a drop in any base chain of a hook drops the packet).
 */
export function renderNftables(input: InboundPolicy): string {
  const policy = checkPolicy(input);
  const publicTcp = PUBLIC_PORTS.filter((p) => p.protocol === "tcp").map((p) => String(p.port));
  return [
    "#!/usr/sbin/nft -f",
    "# Rendered by components/host/firewall-render.ts; do not edit on the host.",
    "table inet dezky_host",
    "delete table inet dezky_host",
    "table inet dezky_host {",
    "  chain input {",
    "    type filter hook input priority filter; policy drop;",
    "    ct state established,related accept",
    "    ct state invalid drop",
    '    iif "lo" accept',
    "    # pods and services (k3s defaults) reach the host, e.g. the API and DNS",
    "    ip saddr { 10.42.0.0/16, 10.43.0.0/16 } accept",
    "    meta l4proto icmp accept",
    "    meta l4proto ipv6-icmp accept",
    `    meta nfproto ipv4 tcp dport ${nftSet(publicTcp)} accept comment "web and mail (IPv4 only)"`,
    ...nftSourceRules(policy.adminCidrs, ADMIN_PORTS, "admin"),
    ...(policy.peers.length ? nftSourceRules(policy.peers, PEER_PORTS, "cell peers") : []),
    "  }",
    "  chain forward {",
    "    type filter hook forward priority filter; policy accept;",
    `    ip daddr ${METADATA_ADDRESS} drop comment "pods never read the server's user data"`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/** A Robot firewall rule as the webservice takes it (form fields of rules[input][n]). */
export interface RobotFirewallRule {
  name: string;
  ip_version?: "ipv4" | "ipv6";
  src_ip?: string;
  dst_port?: string;
  protocol?: "tcp" | "udp" | "icmp";
  tcp_flags?: string;
  action: "accept" | "discard";
}

export interface RobotFirewallRules {
  input: RobotFirewallRule[];
  output: RobotFirewallRule[];
}

/** Robot allows at most 10 rules per direction. */
export const ROBOT_MAX_RULES = 10;
/**
 * Marker on every rule name: the program owns this firewall. Robot rule names allow only
 * letters, space and `. - + _ @` (docs/conformance/robot.md), hence `.` and no digits.
 */
export const ROBOT_RULE_PREFIX = "dezky.";

/**
 * The Robot firewall is stateless and small, so it is the coarse outer layer: public ports
 * (IPv4), ICMP, replies to our own outgoing connections (any protocol to the ephemeral range,
 * both families: one rule without ip_version, which may name neither protocol nor addresses),
 * and everything from the IPv4 admin networks (nftables narrows that to SSH and the API). It
 * filters IPv6 too (filter_ipv6), so SSH is never open over IPv6 before nftables loads; ICMPv6
 * cannot be filtered there. Hetzner services stay allowed through whitelist_hos.
 * Contract: ansible-collections/community.hrobot plugins/modules/firewall.py (ip_version "Leave
 * away to filter both protocols ... none of dst_ip, src_ip, or protocol can be specified";
 * "it is not possible to disable ICMP for IPv6").
 */
export function robotFirewallRules(input: InboundPolicy): RobotFirewallRules {
  const policy = checkPolicy(input);
  const name = (n: string) => `${ROBOT_RULE_PREFIX}${n}`;
  const rules: RobotFirewallRule[] = [
    { name: name("icmp"), ip_version: "ipv4", protocol: "icmp", action: "accept" },
    { name: name("replies"), dst_port: "32768-65535", action: "accept" },
    ...PUBLIC_PORTS.map((p) => ({
      name: name(p.description),
      ip_version: "ipv4" as const,
      protocol: p.protocol,
      dst_port: String(p.port),
      action: "accept" as const,
    })),
    ...[...policy.adminCidrs, ...policy.peers]
      .filter((c) => !isIpv6(c))
      .map((cidr, i) => ({
        name: name(`trusted-${String.fromCharCode(97 + i)}`),
        ip_version: "ipv4" as const,
        src_ip: cidr,
        action: "accept" as const,
      })),
  ];
  if (rules.length > ROBOT_MAX_RULES) {
    throw new Error(
      `Robot firewall: ${rules.length} input rules, the webservice allows ${ROBOT_MAX_RULES}; ` +
        "use fewer IPv4 admin networks (e.g. one VPN range)",
    );
  }
  return { input: rules, output: [{ name: name("allow-all-out"), action: "accept" }] };
}
