/**
 * prod under the mock runtime: the adopted AX41 — no hcloud.Server, every remote command pinned
 * to the host key from stacks/prod.ts, Robot rDNS and firewall through the dynamic providers,
 * and the adoption resources protected.
 */
import { beforeAll, describe, expect, it } from "vitest";
import prod from "../../stacks/prod";
import { type Inventory, ofType, runStackUnderMocks } from "../../test/support/harness";
import { revealSecret } from "./test-secrets";

let inv: Inventory;
const connections = new Map<string, Record<string, unknown>>();
const robotConnections: Record<string, unknown>[] = [];
beforeAll(async () => {
  inv = await runStackUnderMocks("prod", {
    onNewResource: (type, name, inputs) => {
      if (type === "command:remote:Command") connections.set(name, revealSecret(inputs.connection));
      if (type === "pulumi:providers:pulumi-nodejs" && inputs["dezky:service"] === "robot")
        robotConnections.push(revealSecret(inputs["dezky:connection"]));
    },
  });
});

const host = prod.host.kind === "dedicated" ? prod.host : undefined;

describe("prod adopted dedicated host", () => {
  it("plans no hcloud.Server and no Cloud primary IP", () => {
    expect(ofType(inv, "hcloud:index/server:Server")).toEqual([]);
    expect(ofType(inv, "hcloud:index/primaryIp:PrimaryIp")).toEqual([]);
  });

  it("pins the environment's SSH host key on every remote command", () => {
    const commands = ofType(inv, "command:remote:Command");
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const c of commands) {
      expect(connections.get(c.name), c.name).toMatchObject({
        host: host!.ipv4,
        user: "root",
        hostKey: host!.sshHostKey,
      });
      expect(c.secretInputs).toContain("connection");
    }
  });

  it("checks the host's identity before converging it, and protects the adoption", () => {
    const adopt = ofType(inv, "command:remote:Command").find((c) =>
      c.name.endsWith("-host-adopt"),
    )!;
    expect(adopt.inputs.create).toContain(`' ${host!.ipv4}/'`);
    expect(adopt).toMatchObject({ protect: true, retainOnDelete: true });
    const packages = ofType(inv, "command:remote:Command").find((c) =>
      c.name.endsWith("-host-packages"),
    )!;
    expect(packages.dependsOn).toContain(adopt.urn);
  });

  it("sets rDNS mail.<domain> for IPv4 and the host's IPv6 through Robot, retained in prod", () => {
    const rdns = ofType(inv, "pulumi-nodejs:dynamic/robot:Rdns");
    expect(rdns.map((r) => [r.inputs.ip, r.inputs.ptr])).toEqual([
      ["198.51.100.24", "mail.dezky.eu"],
      ["2a01:4f8:10a:1f2d::2", "mail.dezky.eu"],
    ]);
    for (const r of rdns) expect(r).toMatchObject({ protect: true, retainOnDelete: true });
    expect(ofType(inv, "hcloud:index/rdns:Rdns")).toEqual([]);
  });

  it("configures the Robot firewall (<= 10 rules, 22/6443 never open to all) with secret credentials", () => {
    const [fw] = ofType(inv, "pulumi-nodejs:dynamic/robot:Firewall");
    expect(fw.inputs.serverNumber).toBe(2345678);
    const rules = fw.inputs.rules as { input: Array<{ dst_port?: string; src_ip?: string }> };
    expect(rules.input.length).toBeLessThanOrEqual(10);
    expect(rules.input.filter((r) => !r.src_ip).map((r) => r.dst_port)).not.toContain("22");
    expect(rules.input.filter((r) => !r.src_ip).map((r) => r.dst_port)).not.toContain("6443");
    // The webservice user is the robot ApiConnection's secret; the firewall carries none.
    expect(fw.inputs).not.toHaveProperty("connection");
    const api = inv.resources.find((r) => r.urn === fw.provider)!;
    expect(api.inputs["dezky:service"]).toBe("robot");
    expect(api.secretInputs).toContain("dezky:connection");
    expect(api.additionalSecretOutputs).toContain("dezky:connection");
    // IPv6 is filtered too, so SSH is never reachable over IPv6 at the outer layer.
    expect(fw.inputs.filterIpv6).toBe(true);
    expect(robotConnections[0]).toMatchObject({
      url: "https://robot-ws.your-server.de",
      user: "mock-robot-user",
    });
  });

  it("hardens sshd on the dedicated host too (it never runs cloud-init), before authorized keys", () => {
    const command = (role: string) =>
      ofType(inv, "command:remote:Command").find((c) => c.name === `prod-fsn1-a-host-${role}`)!;
    const sshd = command("sshd");
    expect(sshd, "prod-fsn1-a-host-sshd").toBeDefined();
    expect(String(sshd.inputs.create)).toContain("PasswordAuthentication no");
    expect(String(sshd.inputs.create)).toMatch(/sshd -T/);
    expect(command("authorized-keys").dependsOn).toContain(sshd.urn);
  });

  it("installs k3s on the AX41 with the pinned version and exports a secret kubeconfig", () => {
    const install = ofType(inv, "command:remote:Command").find(
      (c) => c.name === "prod-fsn1-a-k3s-install",
    )!;
    expect(install.inputs.triggers).toContain(prod.k3s.version);
    expect(inv.outputs).toMatchObject({
      hostIpv4: "198.51.100.24",
      hostIpv6: "2a01:4f8:10a:1f2d::2",
      kubeconfig: "[secret]",
    });
  });
});

describe("prod platform zone on Hetzner DNS", () => {
  it("is a primary zone of the registrable domain, delete-protected and never deleted by Pulumi", () => {
    // tf v1.68.0 internal/zone/resource.go:77-102; api #zones ("Subdomains are not supported").
    const zones = ofType(inv, "hcloud:index/zone:Zone").filter(
      (z) => z.inputs.name === prod.domain,
    );
    expect(zones).toHaveLength(1);
    expect(zones[0].inputs).toMatchObject({ mode: "primary", ttl: 300, deleteProtection: true });
    expect(zones[0].protect).toBe(true);
    expect(zones[0].retainOnDelete).toBe(true);
  });

  it("names its record sets relative to the zone, lower case, with a TTL the API takes", () => {
    // api #zone-rrsets-create-an-rrset: lower case, no trailing dot, not ending with the zone;
    // TTL 60..2147483647.
    const sets = ofType(inv, "hcloud:index/zoneRrset:ZoneRrset").filter((s) =>
      s.name.startsWith(`${prod.cell}-platform-dns-`),
    );
    expect(sets.length).toBeGreaterThanOrEqual(7);
    for (const s of sets) {
      const name = String(s.inputs.name);
      expect(name, s.name).toBe(name.toLowerCase());
      expect(name.endsWith(".") || name.endsWith(prod.domain), s.name).toBe(false);
      expect(Number(s.inputs.ttl)).toBeGreaterThanOrEqual(60);
    }
  });
});
