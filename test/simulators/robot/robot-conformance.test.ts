/**
 * The Robot findings of issue 15, each held by a test that fails on the old provider:
 * rate limits (403 RATE_LIMIT_EXCEEDED) are waited out, not reported as bad credentials;
 * rDNS writes use POST (create-or-update), never a PUT whose 409 was ignored; firewall rule
 * names, ip_version rules, the rule limit and CIDR answers as the webservice has them.
 * Sources per behaviour: docs/conformance/robot.md.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { robotFirewallRules } from "../../../components/host/firewall-render";
import { robotCall } from "../../../components/providers/robot/client";
import { useFastTiming } from "../../../components/providers/test-kit";
import type { FirewallInputs as Fw } from "../../../components/providers/robot/firewall.runtime";
import type { RdnsInputs as Rdns } from "../../../components/providers/robot/rdns.runtime";
import { robotProviders } from "./robot-ops";
import { RobotSimulator } from "./robot-simulator";

const IPV4 = "198.51.100.24";
const FREE_IP = "198.51.100.30";
const SERVER = 2345678;
const sim = new RobotSimulator({
  ips: { [IPV4]: undefined, [FREE_IP]: undefined },
  servers: { [SERVER]: IPV4 },
});
const FAST = { rateLimitDelayMs: 5, rateLimitDeadlineMs: 2_000, baseDelayMs: 5, maxDelayMs: 20 };

const { rdnsProvider, firewallProvider } = robotProviders();
/* eslint-disable @typescript-eslint/no-explicit-any */
// The tests' inputs carry the connection and timing (see robot-ops.ts).
type RdnsInputs = Rdns & Record<string, any>;
type FirewallInputs = Fw & Record<string, any>;

beforeAll(() => sim.start());
afterAll(() => sim.stop());
beforeEach(() => {
  sim.server.resetLog();
  sim.server.clearFaults();
  sim.unblock();
  sim.limitNext(0);
});

const rdns = (ip: string, extra: Partial<RdnsInputs> = {}): RdnsInputs => ({
  connection: sim.connection,
  ip,
  ptr: "mail.dezky.eu",
  http: FAST,
  ...extra,
});

const fw = (extra: Partial<FirewallInputs> = {}): FirewallInputs => ({
  connection: sim.connection,
  serverNumber: SERVER,
  rules: robotFirewallRules({ adminCidrs: ["2001:db8:10::/48"], peers: ["192.0.2.1"] }),
  filterIpv6: false,
  whitelistHos: true,
  pollMs: 5,
  http: FAST,
  ...extra,
});

async function post(path: string, body: string) {
  const auth = Buffer.from("robot-user:robot-pass").toString("base64");
  const res = await fetch(`${sim.server.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Basic ${auth}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as { error?: Record<string, unknown> } };
}

describe("Robot request limit (403 RATE_LIMIT_EXCEEDED)", () => {
  it("is waited out and retried, for reads and writes alike", async () => {
    sim.rdns.set(FREE_IP, undefined);
    sim.limitNext(3);
    const created = await rdnsProvider.create(rdns(FREE_IP));
    expect(created.id).toBe(FREE_IP);
    expect(sim.rdns.get(FREE_IP)).toBe("mail.dezky.eu");
    expect(sim.server.log.filter((r) => r.status === 403)).toHaveLength(3);
  });

  it("that does not clear is an error saying so, not 'credential rejected'", async () => {
    sim.limitNext(1000);
    const failure = rdnsProvider.create(
      rdns(FREE_IP, { http: { ...FAST, rateLimitDeadlineMs: 50 } }),
    );
    await expect(failure).rejects.toThrow(
      /GET \/rdns\/198\.51\.100\.30 HTTP 403 RATE_LIMIT_EXCEEDED: .*request limit \(at most 500 requests per 3600 s.*credentials are fine/,
    );
    await expect(failure).rejects.not.toThrow(/credential was rejected/);
  });

  it("answers with the documented body: status, code, max_request, interval", async () => {
    sim.limitNext(1);
    const restore = useFastTiming({ rateLimitDeadlineMs: 0 });
    const answer = await robotCall(sim.connection, { object: "probe" }, "GET", `/rdns/${IPV4}`)
      .catch((e: Error) => e)
      .finally(restore);
    expect(String(answer)).toMatch(/RATE_LIMIT_EXCEEDED/);
    sim.limitNext(1);
    const raw = await post(`/rdns/${IPV4}`, "ptr=mail.dezky.eu");
    expect(raw).toEqual({
      status: 403,
      body: {
        error: {
          status: 403,
          code: "RATE_LIMIT_EXCEEDED",
          message: "Rate limit exceeded",
          max_request: 500,
          interval: 3600,
        },
      },
    });
  });
});

describe("reverse DNS writes", () => {
  it("use POST, so an entry set by someone between our GET and our write cannot be missed", async () => {
    sim.rdns.set(FREE_IP, undefined);
    // Someone sets a PTR right after our GET saw none: a PUT would meet 409 RDNS_ALREADY_EXISTS.
    sim.onNextRequest(() => sim.onNextRequest(() => sim.rdns.set(FREE_IP, "other.example")));
    await rdnsProvider.create(rdns(FREE_IP));
    expect(sim.rdns.get(FREE_IP)).toBe("mail.dezky.eu");
    expect(sim.server.count({ method: "PUT" })).toBe(0);
  });

  it("PUT stays create-only in the simulator: 409 RDNS_ALREADY_EXISTS on an existing entry", async () => {
    sim.rdns.set(FREE_IP, "x.example");
    const auth = Buffer.from("robot-user:robot-pass").toString("base64");
    const res = await fetch(`${sim.server.url}/rdns/${FREE_IP}`, {
      method: "PUT",
      headers: {
        authorization: `Basic ${auth}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "ptr=mail.dezky.eu",
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "RDNS_ALREADY_EXISTS" } });
  });

  it("deleting the main IPv4's entry leaves Hetzner's default name, which read reports as drift", async () => {
    const created = await rdnsProvider.create(rdns(IPV4));
    await rdnsProvider.delete!(IPV4, created.outs);
    expect(sim.rdns.get(IPV4)).toBe("static.24.100.51.198.clients.your-server.de");
    const read = await rdnsProvider.read!(IPV4, created.outs);
    expect(read.props?.ptr).toMatch(/your-server\.de$/);
  });
});

describe("Robot firewall contract", () => {
  it("the rendered rules are accepted by the webservice and read back without a diff", async () => {
    const created = await firewallProvider.create(fw({ adopt: true }));
    expect(created.outs.status).toBe("active");
    const read = await firewallProvider.read!(String(SERVER), created.outs);
    // Robot answers the peer 192.0.2.1 as 192.0.2.1/32: no perpetual diff from that.
    expect(JSON.stringify(read.props?.rules)).toContain("192.0.2.1/32");
    expect((await firewallProvider.diff!(String(SERVER), read.props, fw())).changes).toBe(false);
  });

  it("rule names with ':' or digits are refused by Robot; check catches them first", async () => {
    const raw = await post(
      `/firewall/${SERVER}`,
      "status=active&rules[input][0][name]=dezky:http&rules[input][0][action]=accept",
    );
    expect(raw.status).toBe(400);
    expect(raw.body.error).toMatchObject({
      code: "INVALID_INPUT",
      invalid: ["rules[input][0][name]"],
    });
    const check = await firewallProvider.check!(
      {},
      fw({ rules: { input: [{ name: "dezky.trusted-1", action: "accept" }], output: [] } }),
    );
    expect(check.failures?.map((f) => f.reason).join("\n")).toMatch(/only letters, space/);
  });

  it("src_ip and protocol need ip_version; check says so before Robot does", async () => {
    const raw = await post(
      `/firewall/${SERVER}`,
      "status=active&rules[input][0][name]=dezky.x&rules[input][0][protocol]=tcp&rules[input][0][action]=accept",
    );
    expect(raw.body.error).toMatchObject({ invalid: ["rules[input][0][protocol]"] });
    const check = await firewallProvider.check!(
      {},
      fw({
        rules: { input: [{ name: "dezky.x", protocol: "tcp", action: "accept" }], output: [] },
      }),
    );
    expect(check.failures?.map((f) => f.reason).join("\n")).toMatch(/need ip_version/);
  });

  it("more than 10 input rules is 409 FIREWALL_RULE_LIMIT_EXCEEDED", async () => {
    sim.firewalls.get(SERVER)!.status = "active";
    sim.firewalls.get(SERVER)!.pending = undefined;
    const form = Array.from(
      { length: 11 },
      (_, i) => `rules[input][${i}][name]=dezky.r&rules[input][${i}][action]=accept`,
    ).join("&");
    const raw = await post(`/firewall/${SERVER}`, `status=active&${form}`);
    expect(raw.status).toBe(409);
    expect(raw.body.error).toMatchObject({ code: "FIREWALL_RULE_LIMIT_EXCEEDED" });
  });

  it("a foreign error code reaches the operator with Robot's missing/invalid fields", async () => {
    sim.firewalls.get(SERVER)!.status = "active";
    const bad = fw({ rules: { input: [{ name: "dezky:bad", action: "accept" }], output: [] } });
    await expect(
      firewallProvider.update!(String(SERVER), { ...fw(), status: "active" }, bad),
    ).rejects.toThrow(
      /POST \/firewall\/2345678 HTTP 400.*INVALID_INPUT.*invalid: rules\[input\]\[0\]\[name\]/,
    );
  });
});
