import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudInit } from "./cloud-init";
import { checkLocation, checkPolicy } from "./firewall-policy";
import {
  cloudFirewallRules,
  renderNftables,
  robotFirewallRules,
  ROBOT_MAX_RULES,
} from "./firewall-render";
import { ed25519HostKey } from "./host-key";
import {
  adoptionCheckScript,
  basePackagesScript,
  nftablesScript,
  unattendedUpgradesScript,
} from "./host-scripts";
import { checkCloudInit, checkNftables, checkShell, skipToolChecks } from "./tool-check";

const policy = { adminCidrs: ["203.0.113.0/28", "2001:db8:10::/48"], peers: [] as string[] };
const withPeers = { ...policy, peers: ["192.0.2.20", "2001:db8:2::1"] };
const hostKey = ed25519HostKey(Buffer.alloc(32, 1).toString("base64"));
const openToAll = (sources: string[] | undefined) =>
  (sources ?? []).some((s) => s === "0.0.0.0/0" || s === "::/0");

describe("inbound policy", () => {
  it("refuses 0.0.0.0/0 and ::/0 as admin or peer sources", () => {
    expect(() => checkPolicy({ adminCidrs: ["0.0.0.0/0"], peers: [] })).toThrow(/whole internet/);
    expect(() => checkPolicy({ adminCidrs: ["203.0.113.0/28"], peers: ["::/0"] })).toThrow(
      /whole internet/,
    );
  });
  it("refuses locations outside fsn1/nbg1/hel1", () => {
    expect(() => checkLocation("ash")).toThrow(/outside fsn1, nbg1, hel1/);
    expect(checkLocation("hel1")).toBe("hel1");
  });
});

describe("Cloud Firewall rules", () => {
  const rules = cloudFirewallRules(withPeers);
  it("opens web and mail ports to every IPv4 source, and nothing but ICMP to all of IPv6", () => {
    const open = rules.filter((r) => openToAll(r.sourceIps)).map((r) => r.port);
    expect(open.sort()).toEqual(["25", "4190", "443", "465", "587", "80", "993", undefined].sort());
    const openOverV6 = rules.filter((r) => r.sourceIps.includes("::/0"));
    expect(openOverV6.map((r) => r.protocol)).toEqual(["icmp"]);
  });
  it("opens 22 and 6443 only to admin networks (and 6443 to peers)", () => {
    for (const port of ["22", "6443"]) {
      const forPort = rules.filter((r) => r.port === port);
      expect(forPort.length).toBeGreaterThan(0);
      for (const r of forPort) expect(openToAll(r.sourceIps)).toBe(false);
    }
    expect(rules.find((r) => r.description === "admin-ssh")?.sourceIps).toEqual(policy.adminCidrs);
    expect(rules.find((r) => r.description === "peer-kubelet")?.sourceIps).toEqual([
      "192.0.2.20/32",
      "2001:db8:2::1/128",
    ]);
  });
});

describe("nftables ruleset", () => {
  const ruleset = renderNftables(withPeers);
  it("drops by default and admits SSH/API only from admin sources", () => {
    expect(ruleset).toMatch(/policy drop;/);
    expect(ruleset).toContain(
      'ip saddr { 203.0.113.0/28 } tcp dport { 22, 6443 } accept comment "admin"',
    );
    expect(ruleset).toContain(
      'ip6 saddr { 2001:db8:10::/48 } tcp dport { 22, 6443 } accept comment "admin"',
    );
    expect(ruleset).toContain(
      "meta nfproto ipv4 tcp dport { 80, 443, 25, 465, 587, 993, 4190 } accept",
    );
    expect(ruleset).toContain('ip daddr 169.254.169.254 drop comment "pods never read');
    const anywhere = ruleset
      .split("\n")
      .filter((l) => /dport[^\n]*\b(22|6443)\b/.test(l) && !/saddr/.test(l));
    expect(anywhere).toEqual([]);
  });
  it.skipIf(skipToolChecks)("passes nft -c -f (with and without peers)", () => {
    for (const text of [ruleset, renderNftables(policy)]) {
      const result = checkNftables(text);
      expect(result.output, result.output).toBeDefined();
      expect(result.ok, result.output).toBe(true);
    }
  });
  it.skipIf(skipToolChecks)("the nft check really rejects a broken ruleset", () => {
    expect(checkNftables(ruleset.replace("policy drop;", "policy dorp;")).ok).toBe(false);
  });
});

/** Does a Robot rule admit TCP `port`? No dst_port means every port; ICMP has none. */
function portIncluded(dst: string | undefined, port: number, protocol?: string): boolean {
  if (protocol === "icmp") return false;
  if (dst === undefined) return true;
  const [lo, hi] = dst.split("-").map(Number);
  return port >= lo && port <= (hi ?? lo);
}

describe("Robot firewall rules", () => {
  it("fits in 10 rules per direction, IPv4 admin networks only, no 22/6443 for all", () => {
    const rules = robotFirewallRules(policy);
    expect(rules.input.length).toBeLessThanOrEqual(ROBOT_MAX_RULES);
    expect(rules.input.filter((r) => r.src_ip).map((r) => r.src_ip)).toEqual(["203.0.113.0/28"]);
    for (const port of [22, 6443]) {
      const open = rules.input.filter(
        (r) => !r.src_ip && portIncluded(r.dst_port, port, r.protocol),
      );
      expect(open, String(port)).toEqual([]);
    }
    expect(rules.input.every((r) => r.name.startsWith("dezky."))).toBe(true);
    expect([...rules.input, ...rules.output].every((r) => /^[a-zA-Z .\-+_@]+$/.test(r.name))).toBe(
      true,
    );
    expect(rules.output).toHaveLength(1);
  });
  it("filters IPv6: only replies to the ephemeral range pass, never SSH, the API or a public port", () => {
    const rules = robotFirewallRules(policy);
    const v6 = rules.input.filter((r) => r.ip_version !== "ipv4");
    expect(v6).toEqual([{ name: "dezky.replies", dst_port: "32768-65535", action: "accept" }]);
    for (const port of [22, 25, 80, 443, 6443])
      expect(portIncluded(v6[0].dst_port, port)).toBe(false);
  });
  it("names ip_version wherever a rule names a protocol or an address (the webservice requires it)", () => {
    for (const rule of robotFirewallRules(policy).input) {
      if (rule.protocol || rule.src_ip) expect(rule.ip_version, rule.name).toBeDefined();
    }
  });
  it("explains when the admin networks do not fit", () => {
    const many = { adminCidrs: ["198.51.100.0/28", "203.0.113.0/28"], peers: ["192.0.2.1"] };
    expect(() => robotFirewallRules(many)).toThrow(/12 input rules, the webservice allows 10/);
  });
});

describe("host key", () => {
  it("is deterministic per seed and an ssh-ed25519 line", () => {
    expect(ed25519HostKey(Buffer.alloc(32, 1).toString("base64"))).toEqual(hostKey);
    expect(ed25519HostKey(Buffer.alloc(32, 2).toString("base64")).publicKey).not.toBe(
      hostKey.publicKey,
    );
    expect(hostKey.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/=]+$/);
  });
});

describe("cloud-init user data", () => {
  const userData = renderCloudInit({
    hostname: "dev",
    fqdn: "dev.dev.dezky.eu",
    nftables: renderNftables(policy),
    bootstrapHostKey: hostKey,
  });
  const doc = parse(userData);
  it("installs packages, firewall, unattended upgrades and pins the host key", () => {
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    expect(doc.packages).toEqual(expect.arrayContaining(["nftables", "unattended-upgrades"]));
    expect(doc.write_files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining([
        "/etc/nftables.d/dezky-host.nft",
        "/etc/apt/apt.conf.d/20auto-upgrades",
      ]),
    );
    expect(doc.ssh_keys.ed25519_public).toBe(hostKey.publicKey);
    expect(doc.ssh_pwauth).toBe(false);
  });
  it("carries no S3 keys, cluster token or kubeconfig", () => {
    expect(userData).not.toMatch(/etcd-s3-(access|secret)-key|token:|client-key-data/);
  });
  it.skipIf(skipToolChecks)("passes cloud-init schema", () => {
    const result = checkCloudInit(userData);
    expect(result.ok, result.output).toBe(true);
    expect(checkCloudInit(`${userData}packages: 7\n`).ok).toBe(false);
  });
});

describe("convergence scripts", () => {
  const scripts = {
    packages: basePackagesScript(),
    nftables: nftablesScript(renderNftables(policy)),
    upgrades: unattendedUpgradesScript(),
    adoption: adoptionCheckScript({ ipv4: "198.51.100.24" }),
  };
  it("check the nftables ruleset before loading it", () => {
    expect(scripts.nftables.indexOf("nft -c -f")).toBeGreaterThan(0);
    expect(scripts.nftables.indexOf("nft -c -f")).toBeLessThan(
      scripts.nftables.indexOf("nft -f /etc/nftables.d"),
    );
  });
  it.skipIf(skipToolChecks)("pass shellcheck", () => {
    for (const [name, text] of Object.entries(scripts)) {
      const result = checkShell(text);
      expect(result.ok, `${name}: ${result.output}`).toBe(true);
    }
    expect(checkShell("#!/bin/sh\necho $undefined_var_x\n").ok).toBe(false);
  });
});

describe("installimage autosetup (scripts/install-dedicated)", () => {
  it("mirrors both NVMe disks with RAID 1 and refuses odd host names", async () => {
    const { renderAutosetup } = await import("./installimage");
    const text = renderAutosetup({ hostname: "prod-fsn1-a" });
    expect(text).toMatch(
      /^DRIVE1 \/dev\/nvme0n1\nDRIVE2 \/dev\/nvme1n1\nSWRAID 1\nSWRAIDLEVEL 1\n/,
    );
    expect(text).toContain("HOSTNAME prod-fsn1-a");
    expect(() => renderAutosetup({ hostname: "a; reboot" })).toThrow(/not a simple name/);
  });
  it("puts key, sshd hardening and the firewall (both families) in place before the first boot", async () => {
    const { renderAutosetup, renderInstallRemoteScript } = await import("./installimage");
    const ruleset = renderNftables(policy);
    const text = renderInstallRemoteScript({
      autosetup: renderAutosetup({ hostname: "prod-fsn1-a" }),
      nftables: ruleset,
    });
    const at = (s: string) => {
      expect(text, s).toContain(s);
      return text.indexOf(s);
    };
    const reboot = at("\nreboot\n");
    for (const step of [
      "installimage -a -c /autosetup",
      "cat > /mnt/etc/ssh/ssh_host_ed25519_key\n",
      "PasswordAuthentication no",
      "cat > /mnt/etc/nftables.d/dezky-host.nft",
      "ExecStop=",
      "chroot /mnt nft -c -f /etc/nftables.d/dezky-host.nft",
      "sysinit.target.wants/nftables.service",
      "chroot /mnt sshd -t",
    ]) {
      expect(at(step), step).toBeLessThan(reboot);
    }
    expect(at("installimage -a")).toBeLessThan(at("cat > /mnt/etc/nftables.d"));
    expect(text).toContain(ruleset.trimEnd());
    if (!skipToolChecks) {
      const result = checkShell(`#!/bin/sh\n${text}`);
      expect(result.ok, result.output).toBe(true);
    }
  });
});
