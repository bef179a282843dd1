/**
 * The inbound policy of a cell host, once, as data: the public ports (web and the mail ports
 * Stalwart needs), and SSH plus the k3s API from the admin networks only. The Cloud Firewall,
 * the host's nftables ruleset and the Robot firewall are all rendered from this one policy.
 */
import { EU_LOCATIONS, type EuLocation } from "../../stacks/schema";

export interface PortRule {
  port: number;
  protocol: "tcp" | "udp";
  /** What it is for; becomes the rule description / name. */
  description: string;
}

/**
 * Open to everyone: HTTP(S) and the mail ports (SMTP, submissions, submission, IMAPS, ManageSieve),
 * each a Stalwart listener (components/platform/stalwart-render.ts STALWART_LISTENERS); POP3S (995)
 * is not offered, and 443 is Traefik's.
 */
export const PUBLIC_PORTS: readonly PortRule[] = [
  { port: 80, protocol: "tcp", description: "http" },
  { port: 443, protocol: "tcp", description: "https" },
  { port: 25, protocol: "tcp", description: "smtp" },
  { port: 465, protocol: "tcp", description: "smtps" },
  { port: 587, protocol: "tcp", description: "submission" },
  { port: 993, protocol: "tcp", description: "imaps" },
  { port: 4190, protocol: "tcp", description: "managesieve" },
];

/** Only from the admin networks. */
export const ADMIN_PORTS: readonly PortRule[] = [
  { port: 22, protocol: "tcp", description: "ssh" },
  { port: 6443, protocol: "tcp", description: "k3s-api" },
];

/** Between the nodes of one cell (multi-node only): API, kubelet, etcd, flannel wireguard. */
export const PEER_PORTS: readonly PortRule[] = [
  { port: 6443, protocol: "tcp", description: "k3s-api" },
  { port: 10250, protocol: "tcp", description: "kubelet" },
  { port: 2379, protocol: "tcp", description: "etcd-client" },
  { port: 2380, protocol: "tcp", description: "etcd-peer" },
  { port: 51820, protocol: "udp", description: "flannel-wireguard" },
  { port: 51821, protocol: "udp", description: "flannel-wireguard-v6" },
];

export interface InboundPolicy {
  adminCidrs: string[];
  /** Addresses (IPv4/IPv6, with or without prefix) of the other nodes of the cell. */
  peers: string[];
}

const WHOLE_INTERNET = new Set(["0.0.0.0/0", "::/0", "0.0.0.0", "::"]);

export function isIpv6(cidr: string): boolean {
  return cidr.includes(":");
}

/** Adds the host prefix (/32, /128) to a bare address. */
export function asCidr(address: string): string {
  if (address.includes("/")) return address;
  return isIpv6(address) ? `${address}/128` : `${address}/32`;
}

/** Refuses a policy that would open SSH or the API to the internet, whatever the caller passed. */
export function checkPolicy(policy: InboundPolicy): InboundPolicy {
  for (const source of [...policy.adminCidrs, ...policy.peers]) {
    if (WHOLE_INTERNET.has(source)) {
      throw new Error(
        `firewall policy: ${source} would open SSH and the k3s API to the whole internet; list admin networks instead`,
      );
    }
  }
  if (policy.adminCidrs.length === 0)
    throw new Error("firewall policy: at least one admin CIDR is required");
  return { adminCidrs: [...policy.adminCidrs], peers: policy.peers.map(asCidr) };
}

/** Guards the location outside the schema too (extra nodes, tests building specs by hand). */
export function checkLocation(location: string): EuLocation {
  if (!(EU_LOCATIONS as readonly string[]).includes(location)) {
    throw new Error(
      `location ${location} is outside ${EU_LOCATIONS.join(", ")}; Dezky keeps data in the EU`,
    );
  }
  return location as EuLocation;
}
