/**
 * A simulator of the Hetzner Robot webservice endpoints the program uses, built from the
 * documented behaviour (robot.hetzner.com/doc/webservice/en.html; no OpenAPI spec exists):
 * - basic auth; 401 UNAUTHORIZED otherwise;
 * - bodies are application/x-www-form-urlencoded (JSON bodies are refused: 400 INVALID_INPUT);
 * - GET/PUT/POST/DELETE /rdns/{ip}: 404 IP_NOT_FOUND for IPs the account does not own,
 *   404 RDNS_NOT_FOUND when no PTR is set, PUT on an existing entry 409 RDNS_ALREADY_EXISTS,
 *   PUT 201 / POST 200 (201 when it created) with {"rdns":{ip,ptr}}, DELETE 200 with no body;
 * - GET/POST /firewall/{server-number}: 404 SERVER_NOT_FOUND; POST needs `status`, accepts at
 *   most 10 rules per direction, answers 202 with status "in process", and refuses a second
 *   POST while in process with 409 FIREWALL_IN_PROCESS; the change is applied after
 *   `applyAfterGets` GETs (Robot takes 20-30 s).
 * Faults and request counts come from the shared FaultServer.
 */
import { FaultServer, type SimRequest, type SimResponse } from "../fault-server";

export interface RobotSimOptions {
  user?: string;
  password?: string;
  /** IPs the account owns, with their initial PTR (undefined = none set). */
  ips?: Record<string, string | undefined>;
  /** Dedicated servers: number -> main IPv4. */
  servers?: Record<number, string>;
  /** GETs of a firewall before an "in process" change becomes active. */
  applyAfterGets?: number;
}

interface Firewall {
  status: "active" | "disabled" | "in process";
  filter_ipv6: boolean;
  whitelist_hos: boolean;
  rules: { input: Record<string, string | null>[]; output: Record<string, string | null>[] };
  pending?: { status: "active" | "disabled"; getsLeft: number };
}

const RULE_FIELDS = [
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

function err(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return { status, body: { error: { status, code, message, ...extra } } };
}

export class RobotSimulator {
  readonly server: FaultServer;
  readonly rdns = new Map<string, string | undefined>();
  readonly firewalls = new Map<number, Firewall>();
  private readonly serverIps = new Map<number, string>();

  constructor(private readonly options: RobotSimOptions = {}) {
    for (const [ip, ptr] of Object.entries(options.ips ?? {})) this.rdns.set(ip, ptr);
    for (const [n, ip] of Object.entries(options.servers ?? {})) {
      this.serverIps.set(Number(n), ip);
      this.firewalls.set(Number(n), {
        status: "disabled",
        filter_ipv6: false,
        whitelist_hos: true,
        rules: { input: [], output: [] },
      });
    }
    this.server = new FaultServer((req) => this.handle(req));
  }

  get connection() {
    return {
      url: this.server.url,
      user: this.options.user ?? "robot-user",
      password: this.options.password ?? "robot-pass",
    };
  }

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private authorized(req: SimRequest): boolean {
    const header = String(req.headers.authorization ?? "");
    const expected = Buffer.from(`${this.connection.user}:${this.connection.password}`).toString(
      "base64",
    );
    return header === `Basic ${expected}`;
  }

  private form(req: SimRequest): URLSearchParams | SimResponse {
    const type = String(req.headers["content-type"] ?? "");
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      return err(400, "INVALID_INPUT", "Invalid input parameters", { invalid: ["content-type"] });
    }
    return new URLSearchParams(req.rawBody);
  }

  private handle(req: SimRequest): SimResponse {
    if (!this.authorized(req)) return err(401, "UNAUTHORIZED", "Unauthorized");
    const rdns = req.path.match(/^\/rdns\/([0-9a-fA-F.:]+)$/);
    if (rdns) return this.handleRdns(req, rdns[1]);
    const firewall = req.path.match(/^\/firewall\/(\d+)$/);
    if (firewall) return this.handleFirewall(req, Number(firewall[1]));
    return err(404, "NOT_FOUND", "Not found");
  }

  private handleRdns(req: SimRequest, ip: string): SimResponse {
    if (!this.rdns.has(ip)) return err(404, "IP_NOT_FOUND", "The IP address could not be found");
    const current = this.rdns.get(ip);
    if (req.method === "GET") {
      return current === undefined
        ? err(404, "RDNS_NOT_FOUND", "The reverse DNS entry could not be found")
        : { status: 200, body: { rdns: { ip, ptr: current } } };
    }
    if (req.method === "DELETE") {
      this.rdns.set(ip, undefined);
      return { status: 200 };
    }
    if (req.method !== "PUT" && req.method !== "POST")
      return err(405, "METHOD_NOT_ALLOWED", "Method not allowed");
    const form = this.form(req);
    if (!(form instanceof URLSearchParams)) return form;
    const ptr = form.get("ptr");
    const unknown = [...form.keys()].filter((k) => k !== "ptr");
    if (!ptr || unknown.length)
      return err(400, "INVALID_INPUT", "Invalid input parameters", {
        missing: ptr ? [] : ["ptr"],
        invalid: unknown,
      });
    if (req.method === "PUT" && current !== undefined)
      return err(409, "RDNS_ALREADY_EXISTS", "The reverse DNS entry already exists");
    this.rdns.set(ip, ptr);
    return {
      status: req.method === "PUT" || current === undefined ? 201 : 200,
      body: { rdns: { ip, ptr } },
    };
  }

  private firewallBody(number: number, fw: Firewall) {
    return {
      firewall: {
        server_ip: this.serverIps.get(number),
        server_number: number,
        status: fw.status,
        filter_ipv6: fw.filter_ipv6,
        whitelist_hos: fw.whitelist_hos,
        port: "main",
        rules: fw.rules,
      },
    };
  }

  private handleFirewall(req: SimRequest, number: number): SimResponse {
    const fw = this.firewalls.get(number);
    if (!fw) return err(404, "SERVER_NOT_FOUND", "Server not found");
    if (req.method === "GET") {
      if (fw.pending && --fw.pending.getsLeft <= 0) {
        fw.status = fw.pending.status;
        fw.pending = undefined;
      }
      return { status: 200, body: this.firewallBody(number, fw) };
    }
    if (req.method !== "POST") return err(405, "METHOD_NOT_ALLOWED", "Method not allowed");
    if (fw.status === "in process")
      return err(
        409,
        "FIREWALL_IN_PROCESS",
        "The firewall cannot be updated because a firewall update is in process",
      );
    const form = this.form(req);
    if (!(form instanceof URLSearchParams)) return form;
    const invalid: string[] = [];
    const rules: Firewall["rules"] = { input: [], output: [] };
    for (const [key, value] of form) {
      if (["status", "filter_ipv6", "whitelist_hos"].includes(key)) continue;
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
    if (status !== "active" && status !== "disabled") invalid.push("status");
    for (const flag of ["filter_ipv6", "whitelist_hos"]) {
      const v = form.get(flag);
      if (v !== null && v !== "true" && v !== "false") invalid.push(flag);
    }
    for (const direction of ["input", "output"] as const) {
      if (rules[direction].length > MAX_RULES)
        invalid.push(`rules[${direction}]: at most ${MAX_RULES} rules`);
      rules[direction].forEach((r, i) => {
        if (!r || !["accept", "discard"].includes(r.action ?? ""))
          invalid.push(`rules[${direction}][${i}][action]`);
        if (r?.dst_port && !/^\d{1,5}(-\d{1,5})?$/.test(r.dst_port))
          invalid.push(`rules[${direction}][${i}][dst_port]`);
      });
    }
    if (invalid.length) return err(400, "INVALID_INPUT", "Invalid input parameters", { invalid });
    fw.filter_ipv6 = form.get("filter_ipv6") === "true";
    fw.whitelist_hos = form.get("whitelist_hos") !== "false";
    fw.rules = rules;
    fw.status = "in process";
    fw.pending = {
      status: status as "active" | "disabled",
      getsLeft: this.options.applyAfterGets ?? 1,
    };
    return { status: 202, body: this.firewallBody(number, fw) };
  }
}
