/**
 * How the Robot simulator reads and checks a POST /firewall/{server-number} form. Sources, as
 * in robot-simulator.ts: rule fields and form keys `rules[input|output][i][field]` (docs
 * #post-firewall-server-id; community.hrobot 2.7.2 plugins/modules/firewall.py encode_rule);
 * rule names only letters, space and `. - + _ @` (firewall.py option docs, added after
 * community.hrobot issue #88, a real 400 INVALID_INPUT); src_ip/dst_ip/protocol need
 * ip_version (firewall.py `required_by`); protocols tcp, udp, gre, icmp, ipip, ah, esp
 * (hrobot-rs 6.1.0 src/api/firewall/models.rs Protocol); more than 10 input rules is 409
 * FIREWALL_RULE_LIMIT_EXCEEDED. Where a source is silent the simulator is stricter: no digits
 * in names, tcp_flags only with tcp, at most 10 output rules too.
 */

type Rule = Record<string, string | null>;

export interface Firewall {
  status: "active" | "disabled" | "in process";
  filter_ipv6: boolean;
  whitelist_hos: boolean;
  rules: { input: Rule[]; output: Rule[] };
  pending?: { status: "active" | "disabled"; getsLeft: number };
}

export const RULE_FIELDS = [
  "name",
  "ip_version",
  "src_ip",
  "dst_ip",
  "src_port",
  "dst_port",
  "protocol",
  "tcp_flags",
  "action",
];
const MAX_RULES = 10;
const NAME = /^[a-zA-Z .\-+_@]+$/;
const PORT = /^\d{1,5}(-\d{1,5})?$/;
const PROTOCOLS = ["tcp", "udp", "gre", "icmp", "ipip", "ah", "esp"];
const CIDR4 = /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/;
const CIDR6 = /^[0-9a-fA-F:]+(\/\d{1,3})?$/;

export type FirewallForm =
  | {
      status: "active" | "disabled";
      filterIpv6: boolean;
      whitelistHos: boolean;
      rules: Firewall["rules"];
    }
  | { error: "limit" }
  | { error: "invalid"; missing: string[] | null; invalid: string[] };

/** Robot answers IPs as CIDRs (community.hrobot normalises both forms before comparing). */
function asCidr(ip: string, version: string | null): string {
  return ip.includes("/") ? ip : `${ip}/${version === "ipv6" ? 128 : 32}`;
}

function ruleProblems(rule: Rule, key: string): string[] {
  const bad: string[] = [];
  const field = (f: string) => `${key}[${f}]`;
  if (rule.name !== null && !NAME.test(rule.name)) bad.push(field("name"));
  if (!["accept", "discard"].includes(rule.action ?? "")) bad.push(field("action"));
  if (rule.ip_version !== null && !["ipv4", "ipv6"].includes(rule.ip_version))
    bad.push(field("ip_version"));
  for (const f of ["src_ip", "dst_ip", "protocol"])
    if (rule[f] !== null && rule.ip_version === null) bad.push(field(f));
  for (const f of ["src_ip", "dst_ip"]) {
    const v = rule[f];
    if (v !== null && !(rule.ip_version === "ipv6" ? CIDR6 : CIDR4).test(v)) bad.push(field(f));
  }
  for (const f of ["src_port", "dst_port"])
    if (rule[f] !== null && !PORT.test(rule[f]!)) bad.push(field(f));
  if (rule.protocol !== null && !PROTOCOLS.includes(rule.protocol)) bad.push(field("protocol"));
  if (rule.tcp_flags !== null && rule.protocol !== "tcp") bad.push(field("tcp_flags"));
  return bad;
}

/** Parses and checks the form; the caller turns errors into Robot's answers. */
export function checkFirewallForm(form: URLSearchParams): FirewallForm {
  const invalid: string[] = [];
  const rules: Firewall["rules"] = { input: [], output: [] };
  for (const [key, value] of form) {
    if (["status", "filter_ipv6", "whitelist_hos", "port"].includes(key)) continue;
    const m = key.match(/^rules\[(input|output)\]\[(\d+)\]\[([a-z_]+)\]$/);
    if (!m || !RULE_FIELDS.includes(m[3])) {
      invalid.push(key);
      continue;
    }
    const list = rules[m[1] as "input" | "output"];
    const index = Number(m[2]);
    list[index] ??= Object.fromEntries(RULE_FIELDS.map((f) => [f, null]));
    list[index][m[3]] = value;
  }
  const status = form.get("status");
  if (status === null) return { error: "invalid", missing: ["status"], invalid };
  if (status !== "active" && status !== "disabled") invalid.push("status");
  for (const flag of ["filter_ipv6", "whitelist_hos"]) {
    const v = form.get(flag);
    if (v !== null && v !== "true" && v !== "false") invalid.push(flag);
  }
  if (form.get("port") !== null && !["main", "kvm"].includes(form.get("port")!))
    invalid.push("port");
  for (const direction of ["input", "output"] as const) {
    rules[direction].forEach((r, i) => {
      if (!r) invalid.push(`rules[${direction}][${i}]`);
      else invalid.push(...ruleProblems(r, `rules[${direction}][${i}]`));
    });
  }
  if (invalid.length) return { error: "invalid", missing: null, invalid };
  if (rules.input.length > MAX_RULES || rules.output.length > MAX_RULES) return { error: "limit" };
  for (const r of [...rules.input, ...rules.output]) {
    for (const f of ["src_ip", "dst_ip"]) if (r[f] !== null) r[f] = asCidr(r[f]!, r.ip_version);
  }
  return {
    status: status as "active" | "disabled",
    filterIpv6: form.get("filter_ipv6") === "true",
    whitelistHos: form.get("whitelist_hos") !== "false",
    rules,
  };
}
