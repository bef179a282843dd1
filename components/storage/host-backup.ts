/**
 * Installs restic backups on the host over SSH: scripts, environment files, systemd timers,
 * one SSH key per backup source (generated on the host, never leaving it) authorized on that
 * source's subaccounts, and the k8s source's key as a Kubernetes secret for the CronJobs.
 * Secrets travel on stdin, never on the command line or in the rendered files.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as crypto from "node:crypto";
import type { BackupRepository, BackupSource } from "./backup-boxes";
import {
  BACKUP_ETC_DIR,
  BACKUP_LIB_DIR,
  HOST_BACKUP_PATHS,
  renderHostScripts,
  renderHostUnits,
  renderResticEnv,
  type Retention,
} from "./restic-scripts";

export const HOST_BACKUP_TYPE = "dezky:storage:HostBackup";

/** Non-secret facts of one source's repositories, as plain strings. */
export interface SourceRepos {
  source: BackupSource;
  url: string;
  drUrl: string;
  logins: Array<{ user: string; server: string; secretVar: string }>;
}

/** The environment file of a source on the host (pure). */
export function hostEnvFile(repos: SourceRepos, cell: string, retention: Retention): string {
  return renderResticEnv({
    repository: repos.url,
    drRepository: repos.drUrl,
    passwordFile: `${BACKUP_ETC_DIR}/${repos.source}.password`,
    sshKey: `${BACKUP_ETC_DIR}/id_${repos.source}`,
    knownHosts: `${BACKUP_ETC_DIR}/known_hosts`,
    paths: repos.source === "host" ? HOST_BACKUP_PATHS : [],
    hostTag: cell,
    retention,
    cacheDir: "/var/cache/restic",
  });
}

function writeFile(path: string, content: string, mode: string): string {
  const b64 = Buffer.from(content).toString("base64");
  return `printf '%s' '${b64}' | base64 -d >'${path}.tmp' && chmod ${mode} '${path}.tmp' && mv '${path}.tmp' '${path}'`;
}

/**
 * The install script (pure). Reads secrets from stdin as NAME=value lines:
 * REPO_PASSWORD_<SOURCE> and the subaccount passwords named in `logins[].secretVar`.
 */
export function renderHostBackupInstall(opts: {
  cell: string;
  schedule: string;
  retention: Retention;
  sources: SourceRepos[];
  /** Namespaces that get the restic-ssh secret (k8s source key) for the CronJobs. */
  k8sNamespaces: string[];
}): string {
  const secretVars = opts.sources.flatMap((s) => [
    `REPO_PASSWORD_${s.source.toUpperCase()}`,
    ...s.logins.map((l) => l.secretVar),
  ]);
  const lines = [
    "#!/usr/bin/env bash",
    "# Rendered by components/storage/host-backup.ts: installs restic backups on this host.",
    "set -euo pipefail",
    "umask 077",
    `declare -A secret=()`,
    `while IFS='=' read -r name value; do`,
    `  case "$name" in ${secretVars.join("|")}) secret[$name]="$value" ;; esac`,
    `done`,
    "if ! command -v restic >/dev/null || ! command -v sshpass >/dev/null; then",
    "  DEBIAN_FRONTEND=noninteractive apt-get install -y restic sshpass openssh-client",
    "fi",
    `mkdir -p '${BACKUP_ETC_DIR}' '${BACKUP_LIB_DIR}' /var/cache/restic`,
    `chmod 700 '${BACKUP_ETC_DIR}'`,
    ...Object.entries(renderHostScripts()).map(([name, content]) =>
      writeFile(`${BACKUP_LIB_DIR}/${name}`, content, "755"),
    ),
    ...renderHostUnits(opts.schedule).map((u) =>
      writeFile(`/etc/systemd/system/${u.name}`, u.content, "644"),
    ),
  ];
  for (const s of opts.sources) {
    const key = `${BACKUP_ETC_DIR}/id_${s.source}`;
    lines.push(
      writeFile(
        `${BACKUP_ETC_DIR}/${s.source}.env`,
        hostEnvFile(s, opts.cell, opts.retention),
        "600",
      ),
      `printf '%s' "\${secret[REPO_PASSWORD_${s.source.toUpperCase()}]}" >'${BACKUP_ETC_DIR}/${s.source}.password'`,
      `[ -f '${key}' ] || ssh-keygen -q -t ed25519 -N '' -C 'dezky-${opts.cell}-${s.source}' -f '${key}'`,
    );
    for (const l of s.logins) {
      // Authorize the key unless it already works (install-ssh-key appends).
      lines.push(
        `if ! ssh -p 23 -i '${key}' -o BatchMode=yes -o UserKnownHostsFile='${BACKUP_ETC_DIR}/known_hosts' -o StrictHostKeyChecking=accept-new '${l.user}@${l.server}' pwd >/dev/null 2>&1; then`,
        `  SSHPASS="\${secret[${l.secretVar}]}" sshpass -e ssh -p 23 -o UserKnownHostsFile='${BACKUP_ETC_DIR}/known_hosts' -o StrictHostKeyChecking=accept-new '${l.user}@${l.server}' install-ssh-key <'${key}.pub'`,
        `fi`,
      );
    }
  }
  lines.push(
    "systemctl daemon-reload",
    ...renderHostUnits(opts.schedule)
      .filter((u) => u.name.endsWith(".timer"))
      .map((u) => `systemctl enable --now '${u.name}'`),
    `if command -v kubectl >/dev/null; then`,
    ...opts.k8sNamespaces.map(
      (ns) =>
        `  kubectl create namespace '${ns}' --dry-run=client -o yaml | kubectl apply -f - >/dev/null && kubectl -n '${ns}' create secret generic restic-ssh --from-file=id='${BACKUP_ETC_DIR}/id_k8s' --from-file=known_hosts='${BACKUP_ETC_DIR}/known_hosts' --dry-run=client -o yaml | kubectl apply -f - >/dev/null`,
    ),
    `fi`,
    `echo "backups installed for cell ${opts.cell}"`,
  );
  return `${lines.join("\n")}\n`;
}

export interface HostBackupArgs {
  cell: string;
  /** SSH connection to the host as root (the Cell's host block provides it). */
  connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
  /** systemd OnCalendar of the nightly backup (env.backup.schedule). */
  schedule: string;
  retention: Retention;
  repositories: Record<BackupSource, BackupRepository>;
  /** Namespaces of the backup CronJobs (they get the k8s source's SSH key as a secret). */
  k8sNamespaces: string[];
  /** Run only after this (e.g. the host is converged and k3s is up). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class HostBackup extends pulumi.ComponentResource {
  readonly install: command.remote.Command;

  constructor(name: string, args: HostBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(HOST_BACKUP_TYPE, name, {}, opts);
    const sources = (Object.keys(args.repositories) as BackupSource[]).map((source) => {
      const r = args.repositories[source];
      return pulumi
        .all([
          r.url,
          r.drUrl,
          r.logins.primary.user,
          r.logins.primary.server,
          r.logins.dr.user,
          r.logins.dr.server,
        ])
        .apply(([url, drUrl, pu, ps, du, ds]): SourceRepos => ({
          source,
          url,
          drUrl,
          logins: [
            { user: pu, server: ps, secretVar: `SUB_PASSWORD_${source.toUpperCase()}_PRIMARY` },
            { user: du, server: ds, secretVar: `SUB_PASSWORD_${source.toUpperCase()}_DR` },
          ],
        }));
    });
    const script = pulumi.all(sources).apply((list) =>
      renderHostBackupInstall({
        cell: args.cell,
        schedule: args.schedule,
        retention: args.retention,
        sources: list,
        k8sNamespaces: args.k8sNamespaces,
      }),
    );
    const stdin = pulumi.secret(
      pulumi
        .all(
          (Object.keys(args.repositories) as BackupSource[]).flatMap((source) => {
            const r = args.repositories[source];
            const up = source.toUpperCase();
            return [
              pulumi.interpolate`REPO_PASSWORD_${up}=${r.password}`,
              pulumi.interpolate`SUB_PASSWORD_${up}_PRIMARY=${r.logins.primary.password}`,
              pulumi.interpolate`SUB_PASSWORD_${up}_DR=${r.logins.dr.password}`,
            ];
          }),
        )
        .apply((l) => `${l.join("\n")}\n`),
    );
    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: args.connection,
        create: script,
        stdin,
        // Re-run when the rendered script changes (its hash, not the secrets).
        triggers: [script.apply((s) => crypto.createHash("sha256").update(s).digest("hex"))],
        logging: "stderr",
      },
      { parent: this, dependsOn: args.dependsOn, additionalSecretOutputs: ["stdin"] },
    );
    this.registerOutputs({});
  }
}
