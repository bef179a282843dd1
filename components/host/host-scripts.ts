/**
 * Remote convergence scripts for a host (both kinds), rendered as plain POSIX sh. Each is the
 * `create` of a remote command whose trigger is the script's own hash, so a change re-runs it
 * and nothing else. Scripts are idempotent and carry no secrets.
 */
import * as crypto from "node:crypto";

/** sha256 hex of a rendered artifact; used as a remote command trigger. */
export function contentHash(content: string): string {
  return crypto.createHash("sha256").update(content).digest("hex");
}

/** Packages every cell host needs (k3s prerequisites, firewall, updates, tools the scripts use). */
export const BASE_PACKAGES = [
  "ca-certificates",
  "curl",
  "jq",
  "nftables",
  "unattended-upgrades",
  "apt-listchanges",
  "needrestart",
  "open-iscsi",
  "nfs-common",
  "restic",
] as const;

/** Single-quotes a value for sh. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A heredoc that writes `content` verbatim (quoted delimiter: no expansion). */
export function heredoc(path: string, content: string, mode = "0644"): string {
  const marker = "DEZKY_EOF";
  if (content.split("\n").includes(marker))
    throw new Error(`content for ${path} contains the heredoc marker`);
  return [
    `install -d -m 0755 ${shQuote(path.replace(/\/[^/]+$/, "") || "/")}`,
    `cat > ${shQuote(`${path}.new`)} <<'${marker}'`,
    content.endsWith("\n") ? content.slice(0, -1) : content,
    marker,
    `chmod ${mode} ${shQuote(`${path}.new`)}`,
    `mv ${shQuote(`${path}.new`)} ${shQuote(path)}`,
  ].join("\n");
}

export function script(lines: string[]): string {
  return ["#!/bin/sh", "set -eu", ...lines, ""].join("\n");
}

/** Installs the base packages (apt, non-interactive, retried lock waits). */
export function basePackagesScript(packages: readonly string[] = BASE_PACKAGES): string {
  return script([
    "# On a Cloud host, let first-boot cloud-init finish its own apt run first.",
    "if command -v cloud-init >/dev/null 2>&1; then cloud-init status --wait >/dev/null || true; fi",
    "export DEBIAN_FRONTEND=noninteractive",
    "apt-get -o DPkg::Lock::Timeout=300 update -q",
    `apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends ${packages.join(" ")}`,
  ]);
}

/**
 * Installs the nftables ruleset: checks it with `nft -c` before loading, so a bad ruleset never
 * replaces a good one (and never locks the operator out), then loads it and enables the unit
 * with the drop-in that keeps a stop/restart from flushing k3s's tables.
 */
export function nftablesScript(ruleset: string): string {
  return script([
    heredoc("/etc/nftables.d/dezky-host.nft", ruleset),
    "nft -c -f /etc/nftables.d/dezky-host.nft",
    heredoc("/etc/nftables.conf", NFTABLES_CONF),
    heredoc(NFTABLES_DROP_IN_PATH, NFTABLES_DROP_IN),
    "systemctl daemon-reload",
    "nft -f /etc/nftables.d/dezky-host.nft",
    "systemctl enable nftables.service",
  ]);
}

export const NFTABLES_DROP_IN_PATH = "/etc/systemd/system/nftables.service.d/50-dezky.conf";

/**
 * Debian's nftables.service stops with `ExecStop=/usr/sbin/nft flush ruleset`
 * (nftables 1.0.6-2+deb12u2, /lib/systemd/system/nftables.service), which also drops the
 * tables k3s's kube-proxy and flannel keep; package upgrades run `systemctl try-restart`
 * (stop + start). An empty ExecStop= resets the list (systemd.service(5)), so a stop leaves
 * the ruleset alone and a start only replaces our own table.
 */
export const NFTABLES_DROP_IN = [
  "# Rendered by components/host: a stop or try-restart must not flush k3s's tables.",
  "[Service]",
  "ExecStop=",
  "",
].join("\n");

/** /etc/nftables.conf loads our table at boot without flushing other tables (k3s keeps its own). */
export const NFTABLES_CONF = [
  "#!/usr/sbin/nft -f",
  "# Rendered by components/host; our rules live in /etc/nftables.d/dezky-host.nft.",
  'include "/etc/nftables.d/dezky-host.nft"',
  "",
].join("\n");

export const AUTO_UPGRADES_CONF = [
  'APT::Periodic::Update-Package-Lists "1";',
  'APT::Periodic::Unattended-Upgrade "1";',
  'APT::Periodic::AutocleanInterval "7";',
  "",
].join("\n");

/**
 * Security updates only; point releases and reboots stay with the operator (k3s and Stalwart
 * share one host). apt appends lists across files, and Debian's 50unattended-upgrades already
 * allows all of stable, so the list is cleared first (`#clear`, apt.conf(5)).
 */
export const UNATTENDED_UPGRADES_CONF = [
  "#clear Unattended-Upgrade::Origins-Pattern;",
  "Unattended-Upgrade::Origins-Pattern {",
  '  "origin=Debian,codename=${distro_codename}-security,label=Debian-Security";',
  "};",
  'Unattended-Upgrade::Automatic-Reboot "false";',
  'Unattended-Upgrade::Remove-Unused-Dependencies "true";',
  "",
].join("\n");

/** Configures and enables unattended upgrades. */
export function unattendedUpgradesScript(): string {
  return script([
    heredoc("/etc/apt/apt.conf.d/20auto-upgrades", AUTO_UPGRADES_CONF),
    heredoc("/etc/apt/apt.conf.d/52dezky-unattended-upgrades", UNATTENDED_UPGRADES_CONF),
    "systemctl enable --now unattended-upgrades.service",
    "systemctl enable --now apt-daily.timer apt-daily-upgrade.timer",
  ]);
}

/**
 * Checks the host is the one we adopted (hostname aside, the pinned host key already proved it
 * at connect time) and that it runs a supported OS before anything else is converged.
 */
export function adoptionCheckScript(expected: { ipv4: string }): string {
  return script([
    "# shellcheck source=/dev/null",
    ". /etc/os-release",
    'case "$ID" in debian|ubuntu) ;; *) echo "unsupported OS $ID; install Debian 12 (scripts/install-dedicated)" >&2; exit 1 ;; esac',
    `if ! ip -4 -o addr show | grep -q ${shQuote(` ${expected.ipv4}/`)}; then`,
    `  echo ${shQuote(`this host does not carry ${expected.ipv4}; refusing to converge it`)} >&2`,
    "  exit 1",
    "fi",
    'echo "adopted $(hostname) ($ID $VERSION_ID)"',
  ]);
}
