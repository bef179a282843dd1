/**
 * Remote scripts for k3s, rendered as POSIX sh (checked by shellcheck in the tests).
 * The install script is also the upgrade path: re-running it with a new pinned version takes an
 * etcd snapshot, refuses downgrades and skipped minor versions, then runs the official
 * install.sh of exactly that release (k3s's documented manual upgrade).
 */
import { parse, stringify } from "yaml";
import { heredoc, shQuote } from "../host/host-scripts";
import { CONFIG_PATH, type NodeRole, SECRETS_PATH } from "./config";

export type UpgradeMode = "script" | "system-upgrade-controller";

export interface InstallScriptArgs {
  version: string;
  role: NodeRole;
  config: string;
  /** Single node: this script upgrades. Multi-node: it only installs; SUC Plans upgrade. */
  upgradeMode: UpgradeMode;
  /** Where things go on the host; tests point these at a temporary tree. */
  paths?: { config: string; applied: string; installer: string };
}

/** The install.sh of exactly this release ("+" escaped for the URL). */
export function installScriptUrl(version: string): string {
  return `https://raw.githubusercontent.com/k3s-io/k3s/${encodeURIComponent(version)}/install.sh`;
}

/** Hash of the config k3s last came up with: a later run restarts k3s until they match. */
export const APPLIED_CONFIG_PATH = "/etc/rancher/k3s/.dezky-applied-config.sha256";

const DEFAULT_PATHS = {
  config: CONFIG_PATH,
  applied: APPLIED_CONFIG_PATH,
  installer: "/root/k3s-install.sh",
};

/** CRDs of k3s's bundled Traefik that the platform creates objects of (the default TLSStore). */
export const TRAEFIK_CRDS = ["tlsstores.traefik.io"];

/**
 * Version guards come first: a refused upgrade exits before anything on disk changes. Versions
 * compare in full (major, minor, patch, k3s build), so a patch downgrade is refused too. The new
 * config is written only after the guards, and k3s restarts whenever the config differs from the
 * one it last came up with (recorded after /readyz), so a run that failed half-way is repaired
 * by the next one instead of reporting success with the old config running.
 */
export function renderInstallScript(args: InstallScriptArgs): string {
  const agent = args.role === "agent";
  const service = agent ? "k3s-agent" : "k3s";
  const p = args.paths ?? DEFAULT_PATHS;
  const lines = [
    "#!/bin/sh",
    "set -eu",
    `want=${shQuote(args.version)}`,
    `upgrade_mode=${shQuote(args.upgradeMode)}`,
    "# v<major>.<minor>.<patch>+k3s<n> as one comparable number (each part below 1000).",
    "vnum() {",
    "  n=$(echo \"$1\" | sed -n 's/^v\\([0-9]\\{1,3\\}\\)\\.\\([0-9]\\{1,3\\}\\)\\.\\([0-9]\\{1,3\\}\\)+k3s\\([0-9]\\{1,3\\}\\)$/\\1 \\2 \\3 \\4/p')",
    '  [ -n "$n" ] || { echo "cannot read k3s version \'$1\'" >&2; exit 1; }',
    '  echo "$n" | awk \'{ printf "%d\\n", (($1 * 1000 + $2) * 1000 + $3) * 1000 + $4 }\'',
    "}",
    "minor() { echo \"$1\" | sed -n 's/^v1\\.\\([0-9]*\\)\\..*/\\1/p'; }",
    'have=""',
    "if command -v k3s >/dev/null 2>&1; then",
    "  have=$(k3s --version | sed -n 's/^k3s version \\(v[^ ]*\\).*/\\1/p')",
    "fi",
    "install_k3s=0",
    'if [ -z "$have" ]; then',
    "  install_k3s=1",
    'elif [ "$have" != "$want" ]; then',
    '  want_n=$(vnum "$want")',
    '  have_n=$(vnum "$have")',
    '  if [ "$want_n" -lt "$have_n" ]; then',
    '    echo "refusing to downgrade k3s from $have to $want (restore an etcd snapshot instead)" >&2; exit 1',
    "  fi",
    '  if [ "$(minor "$want")" -gt $(( $(minor "$have") + 1 )) ]; then',
    '    echo "refusing to skip a minor version ($have -> $want); upgrade one minor at a time" >&2; exit 1',
    "  fi",
    '  if [ "$upgrade_mode" = "script" ]; then',
    ...(agent
      ? []
      : [
          '    snap="pre-upgrade-$(echo "$want" | tr + -)"',
          '    k3s etcd-snapshot save --name "$snap"',
          '    echo "etcd snapshot $snap taken before upgrading $have -> $want"',
        ]),
    "    install_k3s=1",
    "  else",
    '    echo "k3s $have -> $want is rolled out by the system-upgrade-controller plans"',
    "  fi",
    "fi",
    "# The guards passed: only now does the new config replace the old one.",
    heredoc(p.config, args.config, "0600"),
    `applied="$(cat ${shQuote(p.applied)} 2>/dev/null || true)"`,
    `current="$(sha256sum ${shQuote(p.config)} | cut -d ' ' -f 1)"`,
    'if [ "$install_k3s" = 1 ]; then',
    `  curl -sfL --retry 5 --retry-connrefused ${shQuote(installScriptUrl(args.version))} -o ${shQuote(p.installer)}`,
    `  INSTALL_K3S_VERSION="$want" INSTALL_K3S_EXEC=${shQuote(agent ? "agent" : "server")} sh ${shQuote(p.installer)}`,
    'elif [ "$current" != "$applied" ]; then',
    '  echo "k3s config changed since k3s last came up with it; restarting"',
    `  systemctl restart ${service}`,
    "fi",
    "i=0",
    agent
      ? `until systemctl is-active --quiet ${service}; do`
      : "until k3s kubectl get --raw=/readyz >/dev/null 2>&1; do",
    "  i=$((i + 1))",
    `  if [ "$i" -gt 60 ]; then echo "${service} did not become ready" >&2; journalctl -u ${service} -n 50 >&2; exit 1; fi`,
    "  sleep 5",
    "done",
    ...(agent
      ? []
      : [
          // k3s applies its bundled traefik-crd chart after the API answers: wait for the CRD
          // the platform's TLSStore needs, so the first deploy cannot race it.
          `k3s kubectl wait --for condition=established --timeout=300s ${TRAEFIK_CRDS.map((c) => `crd/${c}`).join(" ")}`,
        ]),
    `echo "$current" >${shQuote(p.applied)}`,
    'echo "k3s $want ready"',
    "",
  ];
  return lines.join("\n");
}

/** Writes the secret drop-in from stdin (stdin is a Pulumi secret; nothing secret in the command). */
export function renderSecretsWriteScript(role: NodeRole): string {
  const service = role === "agent" ? "k3s-agent" : "k3s";
  return [
    "#!/bin/sh",
    "set -eu",
    "umask 077",
    `install -d -m 0700 ${SECRETS_PATH.replace(/\/[^/]+$/, "")}`,
    `cat > ${SECRETS_PATH}.new`,
    `mv ${SECRETS_PATH}.new ${SECRETS_PATH}`,
    "# Rotated credentials take effect now if k3s already runs.",
    `if systemctl is-active --quiet ${service}; then systemctl restart ${service}; fi`,
    "",
  ].join("\n");
}

export const KUBECONFIG_READ = "cat /etc/rancher/k3s/k3s.yaml";

/** Points the kubeconfig k3s writes (https://127.0.0.1:6443) at the host. */
export function rewriteKubeconfigServer(kubeconfig: string, serverUrl: string): string {
  const doc = parse(kubeconfig) as { clusters?: Array<{ cluster: { server: string } }> };
  if (!doc?.clusters?.length)
    throw new Error("kubeconfig from the host has no clusters; is k3s installed?");
  for (const c of doc.clusters) c.cluster.server = serverUrl;
  return stringify(doc);
}

/** https://<ipv4>:6443 (IPv6 in brackets). */
export function apiServerUrl(address: string): string {
  return address.includes(":") ? `https://[${address}]:6443` : `https://${address}:6443`;
}
