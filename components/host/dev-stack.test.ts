/**
 * dev under the mock runtime: a Cloud host with firewall, primary IPs, reverse DNS, labels,
 * secret user data that never replaces the server, and the SSH host key pinned everywhere.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Inventory, one, ofType, runStackUnderMocks } from "../../test/support/harness";
import { CLOUD_SERVER_IGNORE_CHANGES } from "./cloud-host";
import { EU_LOCATIONS } from "../../stacks/schema";
import { revealSecret } from "./test-secrets";
import { checkShell, skipToolChecks } from "./tool-check";

let inv: Inventory;
/** Raw SSH connections of the remote commands (the inventory masks the secret object). */
const connections = new Map<string, Record<string, unknown>>();
/** Raw secret inputs: the server's user data and the host key delivery's stdin. */
let userData = "";
let deliveredKey = "";
beforeAll(async () => {
  inv = await runStackUnderMocks("dev", {
    onNewResource: (type, name, inputs) => {
      if (type === "command:remote:Command") connections.set(name, revealSecret(inputs.connection));
      if (type === "hcloud:index/server:Server") userData = String(revealPlain(inputs.userData));
      if (name === "dev-host-host-key") deliveredKey = String(revealPlain(inputs.stdin));
    },
  });
});

function revealPlain(value: unknown): unknown {
  const v = value as Record<string, unknown> | undefined;
  return v && typeof v === "object" && "value" in v ? v.value : value;
}

const WORLD = ["0.0.0.0/0", "::/0"];

describe("dev Cloud host", () => {
  it("plans one hcloud.Server in an EU location, named after the cell", () => {
    const server = one(inv, "hcloud:index/server:Server");
    expect(server.inputs).toMatchObject({ name: "dev", serverType: "cx33", location: "nbg1" });
    for (const r of inv.resources.filter(
      (r) => r.type.startsWith("hcloud:") && "location" in r.inputs,
    )) {
      expect(EU_LOCATIONS).toContain(r.inputs.location);
    }
  });

  it("attaches a Cloud Firewall at creation that never opens 22 or 6443 to the internet", () => {
    const firewalls = ofType(inv, "hcloud:index/firewall:Firewall");
    expect(firewalls).toHaveLength(1);
    const rules = firewalls[0].inputs.rules as Array<{ port?: string; sourceIps: string[] }>;
    // Services are IPv4-only (docs/ipv6.md): public ports open to IPv4 only.
    expect(rules.filter((r) => r.port === "443")[0].sourceIps).toEqual(["0.0.0.0/0"]);
    for (const rule of rules.filter((r) => r.port === "22" || r.port === "6443")) {
      expect(rule.sourceIps.some((s) => WORLD.includes(s))).toBe(false);
    }
    expect(one(inv, "hcloud:index/server:Server").inputs.firewallIds).toHaveLength(1);
  });

  it("labels every hcloud resource with env, cell and managed-by", () => {
    const labelled = inv.resources.filter(
      (r) =>
        r.type.startsWith("hcloud:") &&
        r.type !== "hcloud:index/rdns:Rdns" &&
        r.urn.includes("dezky:host:"),
    );
    expect(labelled.length).toBeGreaterThanOrEqual(5);
    for (const r of labelled) {
      expect(r.inputs.labels, r.name).toMatchObject({
        env: "dev",
        cell: "dev",
        "managed-by": "dezky-pulumi",
      });
    }
  });

  it("sets reverse DNS mail.<domain> on both primary IPs", () => {
    const rdns = ofType(inv, "hcloud:index/rdns:Rdns");
    expect(rdns.map((r) => r.inputs.dnsPtr)).toEqual(["mail.dezky-dev.eu", "mail.dezky-dev.eu"]);
    expect(rdns.map((r) => r.inputs.ipAddress).sort()).toEqual(["192.0.2.10", "2001:db8:1::1"]);
  });

  it("creates the primary IPs unassigned in the server's location, without assigneeType", () => {
    // terraform-provider-hcloud v1.68.0 internal/primaryip/resource.go:148-185: exactly one of
    // location / assigneeId; assigneeType only together with assigneeId.
    const ips = ofType(inv, "hcloud:index/primaryIp:PrimaryIp");
    expect(ips.map((ip) => ip.inputs.type).sort()).toEqual(["ipv4", "ipv6"]);
    for (const ip of ips) {
      expect(ip.inputs, ip.name).toMatchObject({ location: "nbg1", autoDelete: false });
      expect(ip.inputs, ip.name).not.toHaveProperty("assigneeType");
      expect(ip.inputs, ip.name).not.toHaveProperty("assigneeId");
    }
  });

  it("ignores firewallIds read back from the server, so a peer firewall's applyTos is no drift", () => {
    // internal/server/resource.go:645-677 and :1241-1257 at v1.68.0 (see CLOUD_SERVER_IGNORE_CHANGES).
    expect(one(inv, "hcloud:index/server:Server").ignoreChanges).toContain("firewallIds");
  });

  it("keeps user data secret and ignores its changes (no silent server replacement)", () => {
    const server = one(inv, "hcloud:index/server:Server");
    expect(server.secretInputs).toContain("userData");
    expect(server.inputs.userData).toBe("[secret]");
    expect(server.ignoreChanges).toEqual(
      expect.arrayContaining(["userData", ...CLOUD_SERVER_IGNORE_CHANGES]),
    );
    expect(server.protect).toBe(false); // dev is torn down freely
    // "This field is limited to 32KiB" (docs.hetzner.cloud/reference/cloud#servers-create-a-server).
    expect(Buffer.byteLength(userData, "utf8")).toBeLessThanOrEqual(32 * 1024);
  });

  it("keeps the pinned host key out of user data: a bootstrap key there, the pinned one over SSH", () => {
    const doc = parse(userData);
    expect(deliveredKey).toContain("BEGIN OPENSSH PRIVATE KEY");
    expect(doc.ssh_keys.ed25519_private).toContain("BEGIN OPENSSH PRIVATE KEY");
    // Lines 2-3 hold the key material (line 1 is the common openssh-key-v1 header).
    for (const line of deliveredKey.trim().split("\n").slice(2, -1)) {
      expect(userData).not.toContain(line);
    }
    const delivery = one(inv, "command:remote:Command", "dev-host-host-key");
    expect(delivery.secretInputs).toContain("stdin");
    // Only the delivery trusts the bootstrap key from user data; it runs before anything else.
    expect(connections.get("dev-host-host-key")!.hostKey).toBe(doc.ssh_keys.ed25519_public);
    const packages = one(inv, "command:remote:Command", "dev-host-packages");
    expect(packages.dependsOn).toContain(delivery.urn);
    expect(connections.get("dev-host-packages")!.hostKey).not.toBe(doc.ssh_keys.ed25519_public);
  });

  it("pins the SSH host key (derived from the program's seed) on every remote command", () => {
    const commands = ofType(inv, "command:remote:Command").filter(
      (c) => c.name !== "dev-host-host-key",
    );
    expect(commands.length).toBeGreaterThanOrEqual(7);
    expect(connections.size).toBe(commands.length + 1);
    const keys = new Set<unknown>();
    for (const c of commands) {
      expect(c.secretInputs, c.name).toContain("connection"); // the deploy key stays secret
      const conn = connections.get(c.name)!;
      expect(conn.hostKey, c.name).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA/);
      expect(conn).toMatchObject({ user: "root", host: "192.0.2.10" });
      expect(String(conn.privateKey)).toContain("BEGIN OPENSSH PRIVATE KEY");
      keys.add(conn.hostKey);
    }
    expect(keys.size).toBe(1);
    expect(ofType(inv, "random:index/randomBytes:RandomBytes").map((r) => r.name)).toContain(
      "dev-host-host-key-seed",
    );
  });

  it("converges packages, authorized keys, nftables and unattended upgrades with hash triggers", () => {
    for (const role of ["packages", "sshd", "authorized-keys", "nftables", "unattended-upgrades"]) {
      const c = one(inv, "command:remote:Command", `dev-host-${role}`);
      expect((c.inputs.triggers as string[])[0]).toMatch(/^[a-f0-9]{64}$/);
    }
  });

  it.skipIf(skipToolChecks)("every rendered remote script in the plan passes shellcheck", () => {
    const scripts = ofType(inv, "command:remote:Command")
      .map((c) => c.inputs.create)
      .filter((s): s is string => typeof s === "string" && s.startsWith("#!/bin/sh"));
    expect(scripts.length).toBeGreaterThanOrEqual(6);
    for (const s of scripts) {
      const result = checkShell(s);
      expect(result.ok, result.output).toBe(true);
    }
  });

  it("k3s config has embedded etcd, snapshots to the etcd bucket, and the pinned version", () => {
    const install = one(inv, "command:remote:Command", "dev-k3s-install");
    const script = install.inputs.create as string;
    const config = parse(script.split("<<'DEZKY_EOF'\n")[1].split("\nDEZKY_EOF")[0]);
    expect(config).toMatchObject({
      "cluster-init": true,
      "secrets-encryption": true,
      "etcd-s3": true,
      "etcd-s3-bucket": "dezky-dev-etcd",
      "etcd-s3-endpoint": "nbg1.your-objectstorage.com",
      "etcd-snapshot-schedule-cron": "0 */6 * * *",
    });
    expect(script).toContain("want='v1.33.5+k3s1'");
    expect(install.inputs.triggers).toContain("v1.33.5+k3s1");
  });

  it("exports host addresses and a secret kubeconfig", () => {
    expect(inv.outputs).toMatchObject({
      hostIpv4: "192.0.2.10",
      hostIpv6: "2001:db8:1::1",
      kubeconfig: "[secret]",
    });
  });
});
