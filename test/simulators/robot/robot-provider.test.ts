/**
 * The Robot dynamic providers (rDNS, firewall) against the Robot webservice simulator:
 * CRUD, drift, adoption, the 10-rule limit, "in process" waits and every fault mode, and one
 * run through the serialized provider under plain Node (the provider contract, item 2).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { robotFirewallRules } from "../../../components/host/firewall-render";
import type { FirewallInputs as Fw } from "../../../components/providers/robot/firewall.runtime";
import type { RdnsInputs as Rdns } from "../../../components/providers/robot/rdns.runtime";
import { robotProviders } from "./robot-ops";
import { runSerialized } from "../../support/run-serialized";
import { RobotSimulator } from "./robot-simulator";

const IPV4 = "198.51.100.24";
const IPV6 = "2a01:4f8:10a:1f2d::2";
const SERVER = 2345678;
const sim = new RobotSimulator({
  ips: {
    [IPV4]: "static.24.100.51.198.clients.your-server.de",
    [IPV6]: undefined,
    "198.51.100.99": "mx.other.example",
  },
  servers: { [SERVER]: IPV4, 1111111: "198.51.100.25" },
});

const { rdnsProvider, firewallProvider } = robotProviders();
/* eslint-disable @typescript-eslint/no-explicit-any */
// The tests' inputs carry the connection and timing (see robot-ops.ts).
type RdnsInputs = Rdns & Record<string, any>;
type FirewallInputs = Fw & Record<string, any>;

beforeAll(async () => {
  await sim.start();
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.server.resetLog();
  sim.server.clearFaults();
  sim.unblock();
});

const rdnsInputs = (
  ip: string,
  ptr = "mail.dezky.eu",
  extra: Partial<RdnsInputs> = {},
): RdnsInputs => ({
  connection: sim.connection,
  ip,
  ptr,
  ...extra,
});

const rules = robotFirewallRules({ adminCidrs: ["203.0.113.0/28", "2001:db8:10::/48"], peers: [] });
const fwInputs = (extra: Partial<FirewallInputs> = {}): FirewallInputs => ({
  connection: sim.connection,
  serverNumber: SERVER,
  rules,
  filterIpv6: false,
  whitelistHos: true,
  pollMs: 5,
  ...extra,
});

describe("RobotRdns", () => {
  it("creates a PTR with one POST (form-encoded) when none is set, reads it, deletes it", async () => {
    const created = await rdnsProvider.create(rdnsInputs(IPV6));
    expect(created.id).toBe(IPV6);
    expect(sim.rdns.get(IPV6)).toBe("mail.dezky.eu");
    expect(sim.server.count({ method: "POST" })).toBe(1);
    expect(sim.server.count({ method: "PUT" })).toBe(0);
    const read = await rdnsProvider.read!(IPV6, created.outs);
    expect(read.props?.ptr).toBe("mail.dezky.eu");
    await rdnsProvider.delete!(IPV6, created.outs);
    expect(sim.rdns.get(IPV6)).toBeUndefined();
    await rdnsProvider.delete!(IPV6, created.outs); // 404 RDNS_NOT_FOUND = done
  });

  it("takes over Hetzner's default PTR with POST, and updates in place", async () => {
    const created = await rdnsProvider.create(rdnsInputs(IPV4));
    expect(created.outs.adoptedFrom).toMatch(/your-server\.de$/);
    expect(sim.server.count({ method: "POST" })).toBe(1);
    await rdnsProvider.update!(IPV4, created.outs, rdnsInputs(IPV4, "mx1.dezky.eu"));
    expect(sim.rdns.get(IPV4)).toBe("mx1.dezky.eu");
  });

  it("reports drift and an empty id when the entry is gone", async () => {
    sim.rdns.set(IPV4, "changed-by-hand.example");
    const read = await rdnsProvider.read!(IPV4, rdnsInputs(IPV4));
    expect(read.props?.ptr).toBe("changed-by-hand.example");
    sim.rdns.set(IPV4, undefined);
    expect((await rdnsProvider.read!(IPV4, rdnsInputs(IPV4))).id).toBe("");
  });

  it("refuses a foreign PTR without adopt, takes it with adopt", async () => {
    await expect(rdnsProvider.create(rdnsInputs("198.51.100.99"))).rejects.toThrow(
      /mx\.other\.example.*adopt: true/,
    );
    await rdnsProvider.create(rdnsInputs("198.51.100.99", "mail.dezky.eu", { adopt: true }));
    expect(sim.rdns.get("198.51.100.99")).toBe("mail.dezky.eu");
  });

  it("a lost POST response is retried, never duplicated or failed (POST is create-or-update)", async () => {
    sim.rdns.set(IPV6, undefined);
    sim.server.inject({ kind: "lose-response" }, { method: "POST" });
    await rdnsProvider.create(rdnsInputs(IPV6));
    expect(sim.rdns.get(IPV6)).toBe("mail.dezky.eu");
    expect(sim.server.count({ method: "POST" })).toBe(2);
  });

  it("retries 503 with Retry-After, resets and timeouts-free faults", async () => {
    sim.server.inject({ kind: "status", status: 503, retryAfter: "0" }, { method: "GET" }, 2);
    sim.server.inject({ kind: "reset" }, { method: "POST" });
    await rdnsProvider.update!(IPV4, rdnsInputs(IPV4), rdnsInputs(IPV4, "mail.dezky.eu"));
    const read = await rdnsProvider.read!(IPV4, rdnsInputs(IPV4));
    expect(read.props?.ptr).toBe("mail.dezky.eu");
    expect(sim.server.log.filter((r) => r.status === "fault")).toHaveLength(3);
  });

  it("names the credential keys on 401 and the IP on 404", async () => {
    const bad = { ...rdnsInputs(IPV4), connection: { ...sim.connection, password: "wrong" } };
    await expect(rdnsProvider.create(bad)).rejects.toThrow(
      /HTTP 401.*dezky:robotUser \/ dezky:robotPassword.*not retried: Robot blocks the caller's IP/,
    );
    expect(sim.server.count()).toBe(1); // never retried: 3 failures lock the IP out
    await expect(rdnsProvider.create(rdnsInputs("203.0.113.200"))).rejects.toThrow(
      /reverse DNS of 203\.0\.113\.200.*IP_NOT_FOUND/,
    );
  });

  it("validates inputs and plans ip changes as replacements", async () => {
    const check = await rdnsProvider.check!({}, rdnsInputs(IPV4, "Not A Name"));
    expect(check.failures?.map((f) => f.property)).toEqual(["ptr"]);
    const diff = await rdnsProvider.diff!(IPV4, rdnsInputs(IPV4), rdnsInputs(IPV6));
    expect(diff.replaces).toEqual(["ip"]);
    const rotate = await rdnsProvider.diff!(IPV4, rdnsInputs(IPV4), {
      ...rdnsInputs(IPV4),
      connection: { ...sim.connection, password: "new" },
    });
    // Another password for the webservice user is the connection's business: no change.
    expect(rotate).toMatchObject({ changes: false, replaces: [] });
  });
});

describe("RobotFirewall", () => {
  it("configures the rules, waits for 'in process' to finish, reads them back unchanged", async () => {
    const created = await firewallProvider.create(fwInputs());
    expect(created.outs.status).toBe("active");
    expect(sim.firewalls.get(SERVER)?.rules.input).toHaveLength(rules.input.length);
    expect(sim.server.count({ method: "POST" })).toBe(1);
    const read = await firewallProvider.read!(String(SERVER), created.outs);
    const diff = await firewallProvider.diff!(String(SERVER), read.props, fwInputs());
    expect(diff.changes).toBe(false);
  });

  it("detects drift made in Robot", async () => {
    const fw = sim.firewalls.get(SERVER)!;
    fw.rules.input.push({
      name: "hand-made",
      action: "accept",
      dst_port: "8080",
      ip_version: null,
      src_ip: null,
      dst_ip: null,
      src_port: null,
      protocol: "tcp",
      tcp_flags: null,
    });
    const read = await firewallProvider.read!(String(SERVER), { ...fwInputs(), status: "active" });
    expect((await firewallProvider.diff!(String(SERVER), read.props, fwInputs())).changes).toBe(
      true,
    );
  });

  it("refuses a foreign active firewall without adopt; adopt replaces it", async () => {
    await expect(firewallProvider.create(fwInputs())).rejects.toThrow(/hand-made.*adopt: true/);
    await firewallProvider.create(fwInputs({ adopt: true }));
    expect(sim.firewalls.get(SERVER)!.rules.input.some((r) => r.name === "hand-made")).toBe(false);
  });

  it("waits out FIREWALL_IN_PROCESS instead of failing", async () => {
    sim.firewalls.get(SERVER)!.status = "in process";
    sim.firewalls.get(SERVER)!.pending = { status: "active", getsLeft: 2 };
    await firewallProvider.update!(
      String(SERVER),
      { ...fwInputs(), status: "active" },
      fwInputs({ whitelistHos: false }),
    );
    expect(sim.firewalls.get(SERVER)).toMatchObject({ status: "active", whitelist_hos: false });
  });

  it("survives a lost POST response and 429 without a second configuration", async () => {
    sim.server.inject({ kind: "status", status: 429, retryAfter: "0" }, { method: "POST" });
    sim.server.inject({ kind: "lose-response" }, { method: "POST" });
    const out = await firewallProvider.update!(
      String(SERVER),
      { ...fwInputs(), status: "active" },
      fwInputs(),
    );
    expect(out.outs.status).toBe("active");
    // 429, the lost one (applied), then 409 in-process -> wait -> one more POST that applies.
    expect(sim.firewalls.get(SERVER)!.rules.input.map((r) => r.name)).toEqual(
      rules.input.map((r) => r.name),
    );
  });

  it("check enforces 10 rules per direction and the ownership marker", async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({
      name: `dezky.r${"abcdefghijk"[i]}`,
      action: "accept" as const,
    }));
    const check = await firewallProvider.check!(
      {},
      fwInputs({ rules: { input: eleven, output: [{ name: "x", action: "accept" }] } }),
    );
    expect(check.failures?.map((f) => f.reason).join("\n")).toMatch(
      /11 input rules.*at most 10[\s\S]*"x" must start with dezky\./,
    );
  });

  it("the simulator itself refuses 11 rules and JSON bodies (what check protects against)", async () => {
    const res = await fetch(`${sim.server.url}/firewall/1111111`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("robot-user:robot-pass").toString("base64")}`,
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect(res.status).toBe(400);
  });

  it("delete disables the firewall (Robot's allow-all default), 404 server is an error naming it", async () => {
    await firewallProvider.delete!(String(SERVER), { ...fwInputs(), status: "active" });
    expect(sim.firewalls.get(SERVER)!.pending?.status ?? sim.firewalls.get(SERVER)!.status).toBe(
      "disabled",
    );
    await expect(firewallProvider.create(fwInputs({ serverNumber: 999 }))).rejects.toThrow(
      /firewall of server 999.*HTTP 404/,
    );
  });
});

describe("serialized provider (as the engine runs it)", () => {
  it("RobotRdns create/read/delete through the __provider string, with no credentials in it", async () => {
    sim.rdns.set(IPV6, undefined);
    const run = await runSerialized({
      module: "components/providers/robot/rdns.js",
      exportName: "RobotRdns",
      name: "mail-ptr-v6",
      service: "robot",
      connection: sim.connection,
      inputs: { ip: IPV6, ptr: "mail.dezky.eu" },
    });
    expect(run.results.create).toMatchObject({ id: IPV6 });
    expect(run.results.read).toMatchObject({ props: { ptr: "mail.dezky.eu" } });
    expect(run.results.delete).toBe("ok");
    expect(run.provider).not.toContain("robot-pass");
    expect(run.providerLength).toBeLessThan(2048);
  });
});
