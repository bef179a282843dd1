/**
 * Exposure: nothing opens SSH (22) or the k3s API (6443) to the whole internet - not a Hetzner
 * Cloud firewall rule, not the host's nftables ruleset (rendered into a remote command or
 * cloud-init), not a Robot firewall rule. Admin access comes from listed admin networks only.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isRole } from "./types";
import { ADMIN_PORTS, isWholeInternet, list, portCovers, read, str, stringLeaves } from "./util";

const PORT_NAMES: Record<number, string> = { 22: "SSH (22)", 6443: "the k3s API (6443)" };

/** Hetzner Cloud firewall rules (`rules[]`: direction, protocol, port, sourceIps). */
export function cloudFirewallProblems(props: Record<string, unknown>): string[] {
  const problems: string[] = [];
  list(props, "rules").forEach((rule, i) => {
    if ((str(rule, "direction") ?? "in") !== "in") return;
    const protocol = (str(rule, "protocol") ?? "tcp").toLowerCase();
    if (protocol !== "tcp") return;
    const open = list(rule, "sourceIps").filter(isWholeInternet);
    if (open.length === 0) return;
    for (const port of ADMIN_PORTS) {
      if (portCovers(read(rule, "port"), port)) {
        problems.push(`rules[${i}] opens ${PORT_NAMES[port]} to ${open.join(", ")}`);
      }
    }
  });
  return problems;
}

/**
 * Robot firewall rules (`rules.input[]` or `rules[]`, Robot webservice names in snake or camel
 * case): an accepting rule with no source network (Robot: any) or 0.0.0.0/0 on 22 or 6443.
 */
export function robotFirewallProblems(props: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const rulesField = read(props, "rules");
  const rules = Array.isArray(rulesField) ? rulesField : list(rulesField, "input");
  rules.forEach((rule, i) => {
    const action = (str(rule, "action") ?? "accept").toLowerCase();
    if (action !== "accept") return;
    const protocol = (str(rule, "protocol") ?? "tcp").toLowerCase();
    if (protocol !== "tcp" && protocol !== "") return;
    const src = read(rule, "srcIp") ?? read(rule, "src_ip") ?? read(rule, "sourceIp");
    if (!(src === undefined || src === "" || isWholeInternet(src))) return;
    const port = read(rule, "dstPort") ?? read(rule, "dst_port") ?? read(rule, "port");
    for (const p of ADMIN_PORTS) {
      if (portCovers(port, p))
        problems.push(`Robot rule ${i} accepts ${PORT_NAMES[p]} from any source`);
    }
  });
  return problems;
}

function looksLikeNftables(text: string): boolean {
  return /\btable\s+(inet|ip|ip6)\s+\S+/.test(text) || /^\s*nft\s/m.test(text);
}

/**
 * nftables text: an `accept` statement matching dport 22 or 6443 (alone or in a set) without any
 * source address match. Rules restricted with `ip saddr` / `ip6 saddr` (or a named set of admin
 * networks) pass.
 */
export function nftablesProblems(text: string): string[] {
  if (!looksLikeNftables(text)) return [];
  const problems: string[] = [];
  for (const rawLine of text.split("\n")) {
    const line = rawLine.replace(/#.*$/, "").trim();
    if (!/\baccept\b/.test(line) || !/\bdport\b/.test(line)) continue;
    if (/\bsaddr\b/.test(line) || /\biifname\s+"?lo"?/.test(line)) continue;
    const m = /\bdport\s+(\{[^}]*\}|\S+)/.exec(line);
    if (!m) continue;
    const ports = m[1]
      .replace(/[{}]/g, "")
      .split(",")
      .map((p) => p.trim());
    for (const p of ADMIN_PORTS) {
      if (ports.some((spec) => portCovers(spec.replace(/^ssh$/, "22"), p))) {
        problems.push(`nftables accepts ${PORT_NAMES[p]} from anywhere: "${line}"`);
      }
    }
  }
  return problems;
}

/** All exposure problems of one resource. */
export function exposureProblems(type: string, props: Record<string, unknown>): string[] {
  if (isRole(type, "cloudFirewall")) return cloudFirewallProblems(props);
  if (isRole(type, "robotFirewall")) return robotFirewallProblems(props);
  if (
    isRole(type, "remoteCommand") ||
    isRole(type, "server") ||
    type.startsWith("pulumi-nodejs:dynamic/")
  ) {
    return stringLeaves(props).flatMap(({ path, value }) =>
      nftablesProblems(value).map((p) => `${path}: ${p}`),
    );
  }
  return [];
}

export const noPublicAdminPorts: ResourceValidationPolicy = {
  name: "no-public-admin-ports",
  description:
    "No firewall (Cloud, host nftables, Robot) opens SSH (22) or the k3s API (6443) to the whole internet.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    for (const problem of exposureProblems(args.type, args.props)) {
      report(`${args.name}: ${problem}; allow only the admin networks (env.adminCidrs).`);
    }
  },
};
