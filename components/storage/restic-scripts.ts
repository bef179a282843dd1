/**
 * Pure renderers for restic on the host: an environment file per backup source, the shell
 * scripts (backup + forget/prune, check, DR copy) and their systemd units. The scripts read
 * everything site-specific (repository URLs, key, password file, paths) from the environment
 * file, so the same rendered bytes run on the host against the Storage Boxes and in the test
 * against a loopback SFTP server.
 *
 * SSH to the boxes goes through a rendered `ssh` wrapper placed first on PATH: restic starts
 * `ssh [-p port] user@host -s sftp` for each repository, and the wrapper adds the source's key
 * and known_hosts. (restic's sftp.command would pin one host, but `restic copy` talks to two.)
 */

/** Where the rendered files live on the host. */
export const BACKUP_LIB_DIR = "/usr/local/lib/dezky-backup";
export const BACKUP_ETC_DIR = "/etc/dezky/backup";

/** restic forget policy. */
export interface Retention {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: Retention = { daily: 7, weekly: 4, monthly: 12 };

/** Paths on the host that the host job backs up. */
export const HOST_BACKUP_PATHS = ["/var/lib/stalwart", "/var/lib/rancher/k3s/server"];

/** Everything one backup source needs, as written into its environment file. */
export interface ResticEnv {
  /** Primary repository, sftp://<user>@<server>:23/<path>. */
  repository: string;
  /** DR repository (the Helsinki box), same URL shape. */
  drRepository: string;
  /** File holding the repository password (same for primary and DR). */
  passwordFile: string;
  /** Private key of this source, authorized on its subaccounts only. */
  sshKey: string;
  knownHosts: string;
  /** Paths to back up (host source only). */
  paths: string[];
  /** Host name recorded in snapshots (the cell id), so restores find them on a new machine. */
  hostTag: string;
  retention: Retention;
  /** restic's local cache. */
  cacheDir: string;
}

/** The sftp repository URL restic expects (pure): a relative `path` is below the login home, an absolute one (leading "/") becomes "//path". */
export function sftpRepositoryUrl(user: string, server: string, path: string, port = 23): string {
  return `sftp://${user}@${server}:${port}/${path}`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The environment file of one source (KEY='value' lines, sourced by the scripts). */
export function renderResticEnv(env: ResticEnv): string {
  const lines: Array<[string, string]> = [
    ["RESTIC_REPOSITORY", env.repository],
    ["RESTIC_PASSWORD_FILE", env.passwordFile],
    ["RESTIC_CACHE_DIR", env.cacheDir],
    ["DEZKY_DR_REPOSITORY", env.drRepository],
    ["DEZKY_SSH_KEY", env.sshKey],
    ["DEZKY_KNOWN_HOSTS", env.knownHosts],
    ["DEZKY_BACKUP_PATHS", env.paths.join(" ")],
    ["DEZKY_HOST_TAG", env.hostTag],
    ["DEZKY_KEEP_DAILY", String(env.retention.daily)],
    ["DEZKY_KEEP_WEEKLY", String(env.retention.weekly)],
    ["DEZKY_KEEP_MONTHLY", String(env.retention.monthly)],
  ];
  return `# Rendered by Pulumi (components/storage). Do not edit on the host.\n${lines
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join("\n")}\n`;
}

/** `ssh` wrapper: adds the source's key and known_hosts to every ssh that restic starts. */
export function renderSshWrapper(): string {
  return `#!/bin/sh
# restic runs "ssh [-p port] user@host -s sftp"; add this source's key and known_hosts.
set -eu
exec "\${DEZKY_SSH_BIN:-/usr/bin/ssh}" \\
  -i "$DEZKY_SSH_KEY" -o IdentitiesOnly=yes -o BatchMode=yes \\
  -o UserKnownHostsFile="$DEZKY_KNOWN_HOSTS" -o StrictHostKeyChecking=accept-new \\
  -o ServerAliveInterval=60 -o ServerAliveCountMax=240 "$@"
`;
}

/** Shared prologue: load the env file given as $1 and put the ssh wrapper first on PATH. */
function prologue(what: string): string {
  return `#!/usr/bin/env bash
# ${what}
# Usage: $0 <environment file>   (rendered by Pulumi, components/storage/restic-scripts.ts)
set -euo pipefail
env_file="\${1:?usage: $0 <environment file>}"
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
lib_dir="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
export PATH="$lib_dir:$PATH"
mkdir -p "$RESTIC_CACHE_DIR"
log() { printf '%s %s\\n' "$(date -u +%FT%TZ)" "$*" >&2; }
`;
}

/** Initialises a repository unless it already has a config. */
const ENSURE_REPO = `ensure_repo() {
  if ! restic cat config >/dev/null 2>&1; then
    log "initialising repository $RESTIC_REPOSITORY"
    restic init
  fi
}
`;

/** restic backup of the configured paths, then forget --prune by the retention policy. */
export function renderBackupScript(): string {
  return `${prologue("restic backup of this host to the primary Storage Box, then forget --prune.")}${ENSURE_REPO}
read -r -a paths <<<"$DEZKY_BACKUP_PATHS"
existing=()
for p in "\${paths[@]}"; do
  if [ -e "$p" ]; then existing+=("$p"); else log "skipping missing path $p"; fi
done
if [ "\${#existing[@]}" -eq 0 ]; then
  log "nothing to back up"; exit 1
fi
ensure_repo
log "backup of \${existing[*]}"
restic backup --host "$DEZKY_HOST_TAG" --tag host --one-file-system "\${existing[@]}"
log "forget --prune (daily $DEZKY_KEEP_DAILY, weekly $DEZKY_KEEP_WEEKLY, monthly $DEZKY_KEEP_MONTHLY)"
restic forget --prune --group-by host,tags \\
  --keep-daily "$DEZKY_KEEP_DAILY" --keep-weekly "$DEZKY_KEEP_WEEKLY" --keep-monthly "$DEZKY_KEEP_MONTHLY"
log "done"
`;
}

/** restic check of the primary and (when reachable) the DR repository. */
export function renderCheckScript(): string {
  return `${prologue("Weekly restic check of the primary and DR repositories.")}
log "check $RESTIC_REPOSITORY"
restic check --read-data-subset=5%
log "check $DEZKY_DR_REPOSITORY"
restic -r "$DEZKY_DR_REPOSITORY" check
log "done"
`;
}

/** Copies every snapshot missing in the DR repository from the primary one. */
export function renderDrCopyScript(): string {
  return `${prologue("Copy snapshots from the primary Storage Box to the DR box (restic copy).")}
dr=(-r "$DEZKY_DR_REPOSITORY" --password-file "$RESTIC_PASSWORD_FILE")
from=(--from-repo "$RESTIC_REPOSITORY" --from-password-file "$RESTIC_PASSWORD_FILE")
if ! restic "\${dr[@]}" cat config >/dev/null 2>&1; then
  log "initialising DR repository $DEZKY_DR_REPOSITORY with the primary's chunker parameters"
  restic "\${dr[@]}" init "\${from[@]}" --copy-chunker-params
fi
log "copy $RESTIC_REPOSITORY -> $DEZKY_DR_REPOSITORY"
restic "\${dr[@]}" copy "\${from[@]}"
log "forget --prune on DR (same policy)"
restic "\${dr[@]}" forget --prune --group-by host,tags \\
  --keep-daily "$DEZKY_KEEP_DAILY" --keep-weekly "$DEZKY_KEEP_WEEKLY" --keep-monthly "$DEZKY_KEEP_MONTHLY"
log "done"
`;
}

export interface SystemdUnit {
  name: string;
  content: string;
}

/** A oneshot service running one script for one source, and its timer. */
export function renderServiceAndTimer(opts: {
  job: "backup" | "check" | "dr-copy";
  source: string;
  onCalendar: string;
  description: string;
}): SystemdUnit[] {
  const unit = `dezky-${opts.job}-${opts.source}`;
  const service = `[Unit]
Description=${opts.description}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=${BACKUP_LIB_DIR}/${opts.job} ${BACKUP_ETC_DIR}/${opts.source}.env
Nice=10
IOSchedulingClass=idle
PrivateTmp=true
`;
  const timer = `[Unit]
Description=${opts.description} (timer)

[Timer]
OnCalendar=${opts.onCalendar}
RandomizedDelaySec=15m
Persistent=true

[Install]
WantedBy=timers.target
`;
  return [
    { name: `${unit}.service`, content: service },
    { name: `${unit}.timer`, content: timer },
  ];
}

/** The host's units: nightly backup, DR copy two hours later, weekly check. */
export function renderHostUnits(schedule: string): SystemdUnit[] {
  return [
    ...renderServiceAndTimer({
      job: "backup",
      source: "host",
      onCalendar: schedule,
      description: "restic backup of Stalwart and k3s server state",
    }),
    ...renderServiceAndTimer({
      job: "dr-copy",
      source: "host",
      onCalendar: "*-*-* 05:00:00",
      description: "restic copy of host snapshots to the DR Storage Box",
    }),
    ...renderServiceAndTimer({
      job: "dr-copy",
      source: "k8s",
      onCalendar: "*-*-* 05:30:00",
      description: "restic copy of Kubernetes backups to the DR Storage Box",
    }),
    ...renderServiceAndTimer({
      job: "check",
      source: "host",
      onCalendar: "Sun *-*-* 07:00:00",
      description: "weekly restic check of the host repositories",
    }),
    ...renderServiceAndTimer({
      job: "check",
      source: "k8s",
      onCalendar: "Sun *-*-* 08:00:00",
      description: "weekly restic check of the Kubernetes repositories",
    }),
  ];
}

/** The scripts installed into BACKUP_LIB_DIR, by file name. */
export function renderHostScripts(): Record<string, string> {
  return {
    ssh: renderSshWrapper(),
    backup: renderBackupScript(),
    check: renderCheckScript(),
    "dr-copy": renderDrCopyScript(),
  };
}
