/**
 * A simulator of the Hetzner Robot webservice endpoints the program uses. No OpenAPI spec
 * exists; each behaviour below cites where it comes from (docs/conformance/robot.md has the
 * table): the official page robot.hetzner.com/doc/webservice/en.html ("docs"), and the
 * maintained clients community.hrobot 2.7.2 ("ansible") and hrobot-rs 6.1.0 ("hrobot-rs").
 * - errors are `{"error":{"status","code","message"}}`, INVALID_INPUT adds `missing`/`invalid`
 *   arrays (docs #errors);
 * - basic auth; a failure is 401 UNAUTHORIZED, and after 3 failures the caller's IP is blocked
 *   for 10 minutes, good password or not (docs, "Authentication error");
 * - request limits per call: 403 RATE_LIMIT_EXCEEDED with `max_request` and `interval`
 *   (docs, "Request limit");
 * - bodies are application/x-www-form-urlencoded (docs, preface); JSON is INVALID_INPUT here
 *   (stricter than unsure);
 * - GET/PUT/POST/DELETE /rdns/{ip}: 404 IP_NOT_FOUND for IPs the account does not own,
 *   GET 404 RDNS_NOT_FOUND when no PTR is set, PUT is create-only (201; 409
 *   RDNS_ALREADY_EXISTS when an entry exists), POST is create-or-update (200, 201 when it
 *   created), DELETE 200 with no body; deleting the main IPv4's PTR resets it to Hetzner's
 *   `static.<ip>.clients.your-server.de` (ansible reverse_dns.py notes);
 * - GET/POST /firewall/{server-number}: 404 SERVER_NOT_FOUND; POST needs `status`; rule names
 *   only letters, space and `. - + _ @` (ansible firewall.py); src_ip/dst_ip/protocol need
 *   ip_version (ansible firewall.py); more than 10 input rules is 409
 *   FIREWALL_RULE_LIMIT_EXCEEDED; a POST answers the firewall "in process" and a second POST
 *   while in process is 409 FIREWALL_IN_PROCESS (hrobot-rs error.rs); the change applies after
 *   `applyAfterGets` GETs (Robot takes 20-30 s); GET answers IPs as CIDRs.
 * Faults and request counts come from the shared FaultServer.
 */
import { FaultServer, type SimRequest, type SimResponse } from "../fault-server";
import { checkFirewallForm, type Firewall } from "./robot-firewall-rules";

export interface RobotSimOptions {
  user?: string;
  password?: string;
  /** IPs the account owns, with their initial PTR (undefined = none set). */
  ips?: Record<string, string | undefined>;
  /** Dedicated servers: number -> main IPv4. */
  servers?: Record<number, string>;
  /** GETs of a firewall before an "in process" change becomes active. */
  applyAfterGets?: number;
  /** Request limit per call kind within `intervalMs` (docs: e.g. 500 per 1 hour for rdns). */
  rateLimit?: { maxRequests: number; intervalMs: number };
}

function err(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return { status, body: { error: { status, code, message, ...extra } } };
}

const invalidInput = (missing: string[] | null, invalid: string[] | null) =>
  err(400, "INVALID_INPUT", "invalid input", { missing, invalid });

export class RobotSimulator {
  readonly server: FaultServer;
  readonly rdns = new Map<string, string | undefined>();
  readonly firewalls = new Map<number, Firewall>();
  private readonly serverIps = new Map<number, string>();
  private failedLogins = 0;
  private readonly calls = new Map<string, number[]>();
  /** Requests answered 403 RATE_LIMIT_EXCEEDED by `limitNext`, whatever the window says. */
  private forcedLimit = 0;
  /** Runs once before the next request is handled (a concurrent change by someone else). */
  private beforeNext?: (req: SimRequest) => void;

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

  /** Answer the next `n` requests with the rate-limit error. */
  limitNext(n: number): void {
    this.forcedLimit = n;
  }

  /** Run `fn` just before the next request is handled. */
  onNextRequest(fn: (req: SimRequest) => void): void {
    this.beforeNext = fn;
  }

  /** Forget failed logins (the 10-minute block has passed). */
  unblock(): void {
    this.failedLogins = 0;
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
    if (!type.startsWith("application/x-www-form-urlencoded")) return invalidInput(null, null);
    return new URLSearchParams(req.rawBody);
  }

  private limited(kind: string): SimResponse | undefined {
    const limit = this.options.rateLimit;
    if (this.forcedLimit > 0) this.forcedLimit--;
    else if (!limit) return undefined;
    else {
      const now = Date.now();
      const recent = (this.calls.get(kind) ?? []).filter((t) => now - t < limit.intervalMs);
      this.calls.set(kind, recent);
      if (recent.length < limit.maxRequests) {
        recent.push(now);
        return undefined;
      }
    }
    return err(403, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded", {
      max_request: limit?.maxRequests ?? 500,
      interval: Math.max(1, Math.ceil((limit?.intervalMs ?? 3_600_000) / 1000)),
    });
  }

  private handle(req: SimRequest): SimResponse {
    const hook = this.beforeNext;
    this.beforeNext = undefined;
    hook?.(req);
    if (this.failedLogins >= 3) return err(401, "UNAUTHORIZED", "Unauthorized");
    if (!this.authorized(req)) {
      this.failedLogins++;
      return err(401, "UNAUTHORIZED", "Unauthorized");
    }
    const rdns = req.path.match(/^\/rdns\/([0-9a-fA-F.:]+)$/);
    const firewall = req.path.match(/^\/firewall\/(\d+)$/);
    const kind = rdns ? `rdns ${req.method}` : firewall ? `firewall ${req.method}` : "other";
    const limited = this.limited(kind);
    if (limited) return limited;
    if (rdns) return this.handleRdns(req, rdns[1]);
    if (firewall) return this.handleFirewall(req, Number(firewall[1]));
    return err(404, "NOT_FOUND", "Not found");
  }

  private defaultPtr(ip: string): string | undefined {
    const isMain = [...this.serverIps.values()].includes(ip);
    return isMain
      ? `static.${ip.split(".").reverse().join(".")}.clients.your-server.de`
      : undefined;
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
      this.rdns.set(ip, this.defaultPtr(ip));
      return { status: 200 };
    }
    if (req.method !== "PUT" && req.method !== "POST")
      return err(405, "METHOD_NOT_ALLOWED", "Method not allowed");
    const form = this.form(req);
    if (!(form instanceof URLSearchParams)) return form;
    const ptr = form.get("ptr");
    const unknown = [...form.keys()].filter((k) => k !== "ptr");
    const badName = ptr !== null && !/^([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+\.?$/.test(ptr);
    if (!ptr || unknown.length || badName)
      return invalidInput(ptr ? null : ["ptr"], [...unknown, ...(badName ? ["ptr"] : [])]);
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
    const checked = checkFirewallForm(form);
    if ("error" in checked) {
      return checked.error === "limit"
        ? err(409, "FIREWALL_RULE_LIMIT_EXCEEDED", "firewall rule limit exceeded")
        : invalidInput(checked.missing, checked.invalid);
    }
    fw.filter_ipv6 = checked.filterIpv6;
    fw.whitelist_hos = checked.whitelistHos;
    fw.rules = checked.rules;
    fw.status = "in process";
    fw.pending = { status: checked.status, getsLeft: this.options.applyAfterGets ?? 1 };
    return { status: 200, body: this.firewallBody(number, fw) };
  }
}
