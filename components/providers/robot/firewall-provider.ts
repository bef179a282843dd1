/**
 * The Robot (switch-port, stateless) firewall of a dedicated server. Natural key: the server
 * number; the firewall always exists, so "create" means "take over and configure". Rules the
 * program wrote carry the `dezky:` name prefix (the ownership marker); an active firewall with
 * other rules is someone else's work and needs `adopt: true`. Robot applies a change in 20-30 s
 * ("in process"); we wait for it, and retry a POST refused with FIREWALL_IN_PROCESS.
 */
import type * as pulumi from "@pulumi/pulumi";
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

export interface FirewallInputs {
  connection: RobotConnection;
  serverNumber: number;
  rules: { input: RobotRule[]; output: RobotRule[] };
  filterIpv6: boolean;
  whitelistHos: boolean;
  tenant?: string;
  adopt?: boolean;
  /** Poll interval while Robot applies a change (ms). Tests shorten it. */
  pollMs?: number;
}

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
const MARKER = "dezky:";
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

/** Drops null/empty fields so rules from the API compare with rules we send. */
export function normalizeRule(rule: Record<string, unknown>): RobotRule {
  const out: Record<string, unknown> = {};
  for (const key of RULE_KEYS) {
    const value = rule[key];
    if (value !== null && value !== undefined && value !== "") out[key] = String(value);
  }
  return out as unknown as RobotRule;
}

async function getFirewall(inputs: FirewallInputs): Promise<FirewallBody["firewall"] | undefined> {
  const path = `/firewall/${inputs.serverNumber}`;
  const answer = await robotCall<FirewallBody>(inputs.connection, ctx(inputs), "GET", path);
  if (answer.status === 404) return undefined;
  if (answer.error) throw robotFailure(ctx(inputs, `GET ${path}`), answer);
  return answer.body!.firewall;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitApplied(inputs: FirewallInputs): Promise<string> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const current = await getFirewall(inputs);
    if (!current)
      throw robotFailure(ctx(inputs, `GET /firewall/${inputs.serverNumber}`), { status: 404 });
    if (current.status !== "in process") return current.status;
    if (Date.now() > deadline) {
      throw new Error(
        `Hetzner Robot: ${ctx(inputs).object} still "in process" after 5 minutes; check Robot`,
      );
    }
    await sleep(inputs.pollMs ?? 5_000);
  }
}

async function post(inputs: FirewallInputs, form: Record<string, unknown>): Promise<void> {
  const path = `/firewall/${inputs.serverNumber}`;
  for (let attempt = 0; ; attempt++) {
    const answer = await robotCall(inputs.connection, ctx(inputs), "POST", path, form);
    if (!answer.error) return;
    if (answer.error.code === "FIREWALL_IN_PROCESS" && attempt < 3) {
      await waitApplied(inputs);
      continue;
    }
    throw robotFailure(ctx(inputs, `POST ${path}`), answer);
  }
}

async function apply(inputs: FirewallInputs): Promise<FirewallOutputs> {
  await post(inputs, {
    status: "active",
    filter_ipv6: inputs.filterIpv6,
    whitelist_hos: inputs.whitelistHos,
    rules: inputs.rules,
  });
  const status = await waitApplied(inputs);
  return { ...inputs, status };
}

function validate(news: FirewallInputs): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  if (!Number.isInteger(news.serverNumber) || news.serverNumber <= 0) {
    failures.push({ property: "serverNumber", reason: "must be the Robot server number" });
  }
  for (const direction of ["input", "output"] as const) {
    const rules = news.rules?.[direction] ?? [];
    if (rules.length > MAX_RULES_PER_DIRECTION) {
      failures.push({
        property: "rules",
        reason: `${rules.length} ${direction} rules; Robot allows at most ${MAX_RULES_PER_DIRECTION} per direction`,
      });
    }
    for (const rule of rules) {
      if (!rule.name?.startsWith(MARKER))
        failures.push({
          property: "rules",
          reason: `rule "${rule.name}" must start with ${MARKER}`,
        });
      if (rule.dst_port !== undefined && !/^\d{1,5}(-\d{1,5})?$/.test(rule.dst_port)) {
        failures.push({
          property: "rules",
          reason: `rule "${rule.name}": dst_port must be a port or range`,
        });
      }
    }
  }
  return failures;
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

export const firewallProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: FirewallInputs, news: FirewallInputs) {
    return { inputs: news, failures: validate(news) };
  },

  async diff(_id: string, olds: FirewallOutputs, news: FirewallInputs) {
    const changes =
      !sameConfig(olds, news) ||
      JSON.stringify(olds.connection) !== JSON.stringify(news.connection) ||
      olds.status !== "active";
    return { changes, replaces: olds.serverNumber !== news.serverNumber ? ["serverNumber"] : [] };
  },

  async create(inputs: FirewallInputs) {
    const current = await getFirewall(inputs);
    if (!current)
      throw robotFailure(ctx(inputs, `GET /firewall/${inputs.serverNumber}`), { status: 404 });
    const foreign = [...current.rules.input, ...current.rules.output].filter(
      (r) => !String(r.name ?? "").startsWith(MARKER),
    );
    if (current.status !== "disabled" && foreign.length > 0 && !inputs.adopt) {
      throw new Error(
        `Hetzner Robot: firewall of server ${inputs.serverNumber} is ${current.status} with rules this program did not write ` +
          `(${foreign.map((r) => r.name).join(", ")}); set adopt: true to replace them`,
      );
    }
    return { id: String(inputs.serverNumber), outs: await apply(inputs) };
  },

  async read(id: string, props?: FirewallOutputs) {
    if (!props) throw new Error(`Hetzner Robot: firewall ${id}: read needs the last known state`);
    const current = await getFirewall(props);
    if (!current) return { id: "", props: {} };
    return {
      id,
      props: {
        ...props,
        status: current.status,
        filterIpv6: current.filter_ipv6,
        whitelistHos: current.whitelist_hos,
        rules: {
          input: current.rules.input.map(normalizeRule),
          output: current.rules.output.map(normalizeRule),
        },
      },
    };
  },

  async update(_id: string, _olds: FirewallOutputs, news: FirewallInputs) {
    return { outs: await apply(news) };
  },

  /** Removing the resource disables the firewall (Robot's default is allow-all). */
  async delete(_id: string, props: FirewallOutputs) {
    const current = await getFirewall(props);
    if (!current) return;
    await post(props, {
      status: "disabled",
      filter_ipv6: props.filterIpv6,
      whitelist_hos: props.whitelistHos,
    });
  },
};
