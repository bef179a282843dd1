/**
 * The host's package and firewall settings against the real tools: apt's own parser for the
 * unattended-upgrades origins, and nft in a fresh network namespace for what a restart of
 * Debian's nftables.service does to the tables k3s keeps.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderNftables } from "./firewall-render";
import {
  NFTABLES_CONF,
  NFTABLES_DROP_IN,
  nftablesScript,
  UNATTENDED_UPGRADES_CONF,
} from "./host-scripts";
import { skipToolChecks } from "./tool-check";

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-host-tools-"));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/**
 * Debian's default origins (unattended-upgrades 2.9.1+nmu3, bookworm,
 * /usr/share/unattended-upgrades/50unattended-upgrades lines 31-33), installed as
 * /etc/apt/apt.conf.d/50unattended-upgrades: all of stable, not only security.
 */
const DEBIAN_DEFAULT_ORIGINS = [
  "Unattended-Upgrade::Origins-Pattern {",
  '        "origin=Debian,codename=${distro_codename},label=Debian";',
  '        "origin=Debian,codename=${distro_codename},label=Debian-Security";',
  '        "origin=Debian,codename=${distro_codename}-security,label=Debian-Security";',
  "};",
  "",
].join("\n");

describe("unattended-upgrades", () => {
  it.skipIf(skipToolChecks)("apt sees security origins only, despite Debian's default file", () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, "parts"));
    fs.writeFileSync(
      path.join(dir, "apt.conf"),
      `Dir::Etc::Parts "${dir}/parts/";\nDir::Etc::Main "/dev/null";\n`,
    );
    fs.writeFileSync(path.join(dir, "parts", "50unattended-upgrades"), DEBIAN_DEFAULT_ORIGINS);
    fs.writeFileSync(
      path.join(dir, "parts", "52dezky-unattended-upgrades"),
      UNATTENDED_UPGRADES_CONF,
    );
    const r = spawnSync("apt-config", ["dump", "Unattended-Upgrade::Origins-Pattern"], {
      encoding: "utf8",
      env: { ...process.env, APT_CONFIG: path.join(dir, "apt.conf") },
    });
    expect(r.status, r.stderr).toBe(0);
    const origins = r.stdout
      .split("\n")
      .filter((l) => l.startsWith("Unattended-Upgrade::Origins-Pattern::"))
      .map((l) => l.split(" ").slice(1).join(" "));
    expect(origins).toEqual([
      '"origin=Debian,codename=${distro_codename}-security,label=Debian-Security";',
    ]);
  });
});

/** The Exec*= commands systemd runs for `key`, unit first, then drop-ins (empty resets). */
export function effectiveExec(unit: string, dropIns: string[], key: string): string[] {
  let list: string[] = [];
  for (const text of [unit, ...dropIns]) {
    let section = "";
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (line.startsWith("[")) section = line;
      const m = /^(\w+)=(.*)$/.exec(line);
      if (section !== "[Service]" || !m || m[1] !== key) continue;
      list = m[2] === "" ? [] : [...list, m[2]];
    }
  }
  return list;
}

const DEBIAN_UNIT = "/lib/systemd/system/nftables.service";

describe("nftables.service restarts keep k3s's tables", () => {
  it("the unit-merging helper follows systemd's reset rule", () => {
    const unit = "[Service]\nExecStop=/a\nExecStop=/b\n";
    expect(effectiveExec(unit, [], "ExecStop")).toEqual(["/a", "/b"]);
    expect(effectiveExec(unit, ["[Service]\nExecStop=\n"], "ExecStop")).toEqual([]);
    expect(effectiveExec(unit, ["[Service]\nExecStop=\nExecStop=/c\n"], "ExecStop")).toEqual([
      "/c",
    ]);
  });

  it("the convergence script installs the drop-in and reloads systemd", () => {
    const text = nftablesScript(renderNftables({ adminCidrs: ["203.0.113.0/28"], peers: [] }));
    expect(text).toContain("/etc/systemd/system/nftables.service.d/50-dezky.conf");
    expect(text.indexOf("systemctl daemon-reload")).toBeGreaterThan(text.indexOf("ExecStop="));
  });

  it.skipIf(skipToolChecks)(
    "try-restart (stop + start of Debian's unit with our drop-in) leaves k3s's tables in place",
    () => {
      expect(fs.existsSync(DEBIAN_UNIT), `${DEBIAN_UNIT} (apt-get install nftables)`).toBe(true);
      const unit = fs.readFileSync(DEBIAN_UNIT, "utf8");
      const dir = tmp();
      const ruleset = path.join(dir, "dezky-host.nft");
      const conf = path.join(dir, "nftables.conf");
      fs.writeFileSync(ruleset, renderNftables({ adminCidrs: ["203.0.113.0/28"], peers: [] }));
      fs.writeFileSync(conf, NFTABLES_CONF.replaceAll("/etc/nftables.d/dezky-host.nft", ruleset));
      const local = (cmd: string) => cmd.replace("/etc/nftables.conf", conf);
      const stop = effectiveExec(unit, [NFTABLES_DROP_IN], "ExecStop").map(local);
      const start = effectiveExec(unit, [NFTABLES_DROP_IN], "ExecStart").map(local);
      expect(start.length).toBeGreaterThan(0);
      const script = [
        "set -e",
        // What k3s keeps in its own tables (kube-proxy and flannel via iptables-nft).
        "nft add table ip filter",
        "nft add chain ip filter KUBE-FORWARD",
        "nft add table ip nat",
        "nft add chain ip nat KUBE-SERVICES",
        ...start,
        "echo '# try-restart'",
        ...stop,
        ...start,
        "nft list tables",
      ].join("\n");
      const r = spawnSync("unshare", ["-Urn", "sh", "-c", script], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const tables = r.stdout.split("# try-restart")[1];
      expect(tables).toContain("table ip filter");
      expect(tables).toContain("table ip nat");
      expect(tables).toContain("table inet dezky_host");
    },
  );
});
