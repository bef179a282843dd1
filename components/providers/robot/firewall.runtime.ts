/**
 * The Robot (switch-port, stateless) firewall of a dedicated server. Natural key: the server
 * number; the firewall always exists, so "create" means "take over and configure". Rules the
 * program wrote carry the `dezky.` name prefix (the ownership marker; Robot allows only letters,
 * space and `. - + _ @` in rule names, so no `:` and no digits); an active firewall with other
 * rules is someone else's work and needs `adopt: true`. Robot applies a change in 20-30 s
 * ("in process"); we wait for it, and retry a POST refused with 409 FIREWALL_IN_PROCESS.
 * Contract: POST /firewall/{server-id} (robot.hetzner.com/doc/webservice/en.html#post-firewall-server-id),
 * see docs/conformance/robot.md.
 */
import { z } from "zod";
import type { Failure, TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { NAME_PREFIX } from "../core/markers";
import { poll, PollTimeout } from "../core/retry";
import { timing } from "../core/timing";
import { type RobotConnection, robotCall, robotFailure } from "./client";

export interface RobotRule {
  name: string;
  ip_version?: "ipv4" | "ipv6";
  src_ip?: string;
  dst_ip?: string;
  src_port?: string;
  dst_port?: string;
  protocol?: string;
  tcp_flags?: string;
  action: "accept" | "discard";
}

const rule = z
  .object({
    name: z.string(),
    ip_version: z.enum(["ipv4", "ipv6"]).optional(),
    src_ip: z.string().optional(),
    dst_ip: z.string().optional(),
    src_port: z.string().optional(),
    dst_port: z.string().optional(),
    protocol: z.string().optional(),
    tcp_flags: z.string().optional(),
    action: z.enum(["accept", "discard"]),
  })
  .strict();

const schema = z.object({
  /** Robot server number of the dedicated server (the id). */
  serverNumber: z.number().int().positive("must be the Robot server number"),
  rules: z.object({ input: z.array(rule), output: z.array(rule) }),
  filterIpv6: z.boolean(),
  whitelistHos: z.boolean(),
  tenant: z.string().optional(),
  adopt: z.boolean().optional(),
});

export type FirewallInputs = z.infer<typeof schema>;

export interface FirewallOutputs extends FirewallInputs {
  status: string;
}

interface FirewallBody {
  firewall: {
    server_number: number;
    status: string;
    filter_ipv6: boolean;
    whitelist_hos: boolean;
    rules: { input: Record<string, unknown>[]; output: Record<string, unknown>[] };
  };
}

export const MAX_RULES_PER_DIRECTION = 10;
/** Ownership marker at the start of every rule name we write (core/markers.ts). */
export const RULE_MARKER = NAME_PREFIX;
/** Characters Robot accepts in a rule name (community.hrobot 2.7.2 plugins/modules/firewall.py). */
export const RULE_NAME = /^[a-zA-Z .\-+_@]+$/;
const MARKER = RULE_MARKER;
const RULE_KEYS = [
  "name",
  "ip_version",
  "src_ip",
  "dst_ip",
  "src_port",
  "dst_port",
  "protocol",
  "tcp_flags",
  "action",
] as const;

function ctx(inputs: FirewallInputs, call = "") {
  return { tenant: inputs.tenant, object: `firewall of server ${inputs.serverNumber}`, call };
}

/** `1.2.3.4` -> `1.2.3.4/32` (`/128` for IPv6): either form may come back from Robot. */
export function canonicalCidr(ip: string): string {
  if (ip.includes("/")) return ip;
  return `${ip}/${ip.includes(":") ? 128 : 32}`;
}

/** Drops null/empty fields and writes IPs as CIDRs, so API rules compare with rules we send. */
export function normalizeRule(rule: Record<string, unknown>): RobotRule {
  const out: Record<string, unknown> = {};
  for (const key of RULE_KEYS) {
    const value = rule[key];
    if (value === null || value === undefined || value === "") continue;
    out[key] = key === "src_ip" || key === "dst_ip" ? canonicalCidr(String(value)) : String(value);
  }
  return out as unknown as RobotRule;
}

async function getFirewall(
  connection: RobotConnection,
  inputs: FirewallInputs,
): Promise<FirewallBody["firewall"] | undefined> {
  const path = `/firewall/${inputs.serverNumber}`;
  const answer = await robotCall<FirewallBody>(connection, ctx(inputs), "GET", path);
  if (answer.error?.code === "SERVER_NOT_FOUND") return undefined;
  if (answer.error) throw robotFailure(ctx(inputs, `GET ${path}`), answer);
  return answer.body!.firewall;
}

const SERVER_NOT_FOUND = {
  status: 404,
  error: {
    status: 404,
    code: "SERVER_NOT_FOUND",
    message: "server number not in this Robot account",
  },
};

/** Waits while Robot applies a change ("in process", 20-30 s); returns the final status. */
async function waitApplied(connection: RobotConnection, inputs: FirewallInputs): Promise<string> {
  const t = timing();
  try {
    const { value } = await poll(
      { deadlineMs: t.robotApplyMs, intervalMs: t.robotPollMs },
      async () => {
        const current = await getFirewall(connection, inputs);
        if (!current)
          throw robotFailure(ctx(inputs, `GET /firewall/${inputs.serverNumber}`), SERVER_NOT_FOUND);
        return current.status === "in process"
          ? { done: false, reason: "in process" }
          : { done: true, value: current.status };
      },
    );
    return value;
  } catch (error) {
    if (!(error instanceof PollTimeout)) throw error;
    throw objectError(
      { service: "Hetzner Robot", object: ctx(inputs).object },
      `still "in process" after ${Math.round(t.robotApplyMs / 60_000)} minutes`,
      "check the firewall in Robot, then run pulumi up again",
    );
  }
}

async function post(
  connection: RobotConnection,
  inputs: FirewallInputs,
  form: Record<string, unknown>,
): Promise<void> {
  const path = `/firewall/${inputs.serverNumber}`;
  for (let attempt = 0; ; attempt++) {
    const answer = await robotCall(connection, ctx(inputs), "POST", path, form);
    if (!answer.error) return;
    if (answer.error.code === "FIREWALL_IN_PROCESS" && attempt < 3) {
      await waitApplied(connection, inputs);
      continue;
    }
    throw robotFailure(ctx(inputs, `POST ${path}`), answer);
  }
}

async function apply(
  connection: RobotConnection,
  inputs: FirewallInputs,
): Promise<FirewallOutputs> {
  await post(connection, inputs, {
    status: "active",
    filter_ipv6: inputs.filterIpv6,
    whitelist_hos: inputs.whitelistHos,
    rules: inputs.rules,
  });
  const status = await waitApplied(connection, inputs);
  return { ...inputs, status };
}

function validate(news: FirewallInputs): Failure[] {
  const failures: Failure[] = [];
  for (const direction of ["input", "output"] as const) {
    const rules = news.rules?.[direction] ?? [];
    if (rules.length > MAX_RULES_PER_DIRECTION) {
      failures.push({
        property: "rules",
        reason: `${rules.length} ${direction} rules; Robot allows at most ${MAX_RULES_PER_DIRECTION} per direction`,
      });
    }
    for (const rule of rules) {
      failures.push(...checkRule(rule).map((reason) => ({ property: "rules", reason })));
    }
  }
  return failures;
}

const PORT = /^\d{1,5}(-\d{1,5})?$/;
const PROTOCOLS = ["tcp", "udp", "gre", "icmp", "ipip", "ah", "esp"];

/** What Robot would refuse in one rule (see docs/conformance/robot.md for each source). */
export function checkRule(rule: RobotRule): string[] {
  const why: string[] = [];
  const name = `rule "${rule.name}"`;
  if (!rule.name?.startsWith(MARKER)) why.push(`${name} must start with ${MARKER}`);
  if (rule.name && !RULE_NAME.test(rule.name))
    why.push(`${name}: Robot allows only letters, space and . - + _ @ in rule names`);
  for (const port of ["dst_port", "src_port"] as const) {
    const value = rule[port];
    if (value !== undefined && !PORT.test(value))
      why.push(`${name}: ${port} must be a port or range`);
  }
  if (rule.ip_version !== undefined && !["ipv4", "ipv6"].includes(rule.ip_version))
    why.push(`${name}: ip_version must be ipv4 or ipv6`);
  if (!rule.ip_version && (rule.src_ip || rule.dst_ip || rule.protocol))
    why.push(`${name}: src_ip, dst_ip and protocol need ip_version`);
  if (rule.protocol !== undefined && !PROTOCOLS.includes(rule.protocol))
    why.push(`${name}: protocol must be one of ${PROTOCOLS.join(", ")}`);
  if (rule.tcp_flags !== undefined && rule.protocol !== "tcp")
    why.push(`${name}: tcp_flags need protocol tcp`);
  return why;
}

function sameConfig(a: FirewallInputs, b: FirewallInputs): boolean {
  const norm = (f: FirewallInputs) =>
    JSON.stringify({
      i: f.rules.input.map((r) => normalizeRule({ ...r })),
      o: f.rules.output.map((r) => normalizeRule({ ...r })),
      v6: f.filterIpv6,
      hos: f.whitelistHos,
    });
  return norm(a) === norm(b);
}

export const firewallType: TypeSpec<FirewallInputs, FirewallOutputs, RobotConnection> = {
  type: "robot:Firewall",
  service: "robot",
  schema,
  validate,
  replaces: ["serverNumber"],
  updates: ["tenant"],
  // The rules as Robot reports them (after a refresh) against what the inputs ask for.
  pending: (olds, news) => (!sameConfig(olds, news) || olds.status !== "active" ? ["rules"] : []),
  legacy: ["pollMs"],

  async create(op, inputs) {
    const current = await getFirewall(op.connection, inputs);
    if (!current)
      throw robotFailure(ctx(inputs, `GET /firewall/${inputs.serverNumber}`), SERVER_NOT_FOUND);
    const foreign = [...current.rules.input, ...current.rules.output].filter(
      (r) => !String(r.name ?? "").startsWith(MARKER),
    );
    if (current.status !== "disabled" && foreign.length > 0 && !inputs.adopt) {
      throw objectError(
        {
          service: "Hetzner Robot",
          tenant: inputs.tenant,
          object: `firewall of server ${inputs.serverNumber}`,
        },
        `is ${current.status} with rules this program did not write (${foreign.map((r) => r.name).join(", ")})`,
        "set adopt: true to replace them",
      );
    }
    return { id: String(inputs.serverNumber), outs: await apply(op.connection, inputs) };
  },

  async read(op, _id, props) {
    const current = await getFirewall(op.connection, props);
    if (!current) return undefined;
    return {
      ...props,
      status: current.status,
      filterIpv6: current.filter_ipv6,
      whitelistHos: current.whitelist_hos,
      rules: {
        input: current.rules.input.map(normalizeRule),
        output: current.rules.output.map(normalizeRule),
      },
    };
  },

  async update(op, _id, _olds, news) {
    return apply(op.connection, news);
  },

  /** Removing the resource disables the firewall (Robot's default is allow-all). */
  async delete(op, _id, props) {
    const current = await getFirewall(op.connection, props);
    if (!current) return;
    await post(op.connection, props, {
      status: "disabled",
      filter_ipv6: props.filterIpv6,
      whitelist_hos: props.whitelistHos,
    });
  },
};
