/**
 * Pure renderers for restic on the host: an environment file per backup source and the shell
 * scripts (backup + forget/prune on the primary box, check, DR copy). The scripts read
 * everything site-specific (repository URLs, keys, password files, paths) from the environment
 * file, so the same rendered bytes run on the host against the Storage Boxes and in the tests
 * against sshd on loopback.
 *
 * Two trust domains (docs/backups.md):
 * - primary: restic over SFTP with the source's primary key; the host prunes it.
 * - DR: restic's rclone backend through `ssh-dr`, with a DR-only key that the DR subaccount forces
 *   to `rclone serve restic --stdio --append-only restic`, and a DR-only repository password.
 *   Nothing on the host can delete or rewrite DR history, so the DR copy never prunes.
 *
 * SSH to the primary box goes through a rendered `ssh` wrapper placed first on PATH: restic starts
 * `ssh [-p port] user@host -s sftp`, and the wrapper adds the source's key and the pinned
 * known_hosts (StrictHostKeyChecking=yes: no trust on first use).
 */
import { shQuote } from "../host/host-scripts";

/** Where the rendered files live on the host. */
export const BACKUP_LIB_DIR = "/usr/local/lib/dezky-backup";
export const BACKUP_ETC_DIR = "/etc/dezky/backup";

/** restic forget policy (primary repositories only; DR is append-only). */
export interface Retention {
  daily: number;
  weekly: number;
  monthly: number;
}
export const DEFAULT_RETENTION: Retention = { daily: 7, weekly: 4, monthly: 12 };

/** Paths on the host that the host job backs up. */
export const HOST_BACKUP_PATHS = ["/var/lib/stalwart", "/var/lib/rancher/k3s/server"];

/** The command the DR subaccount forces on the host's DR key (home-relative repository path). */
export const DR_FORCED_COMMAND = "rclone serve restic --stdio --append-only restic";

/** Everything one backup source needs, as written into its environment file. */
export interface ResticEnv {
  /** Primary repository, sftp://<user>@<server>:23/<path>. */
  repository: string;
  /** Primary repository password file. */
  passwordFile: string;
  /** Private key of this source on the primary subaccount only. */
  sshKey: string;
  /** Pinned host keys of both boxes (no trust on first use). */
  knownHosts: string;
  /** DR subaccount login `<user>@<server>` and port (23 on the Storage Box). */
  drTarget: string;
  drPort: number;
  /** DR-only key (append-only on the box) and DR-only repository password file. */
  drSshKey: string;
  drPasswordFile: string;
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

/**
 * The DR repository as restic sees it: the rclone backend over `ssh-dr`. The DR key's forced
 * command on the box decides what is served (`restic`, append-only); the path here is ignored.
 */
export const DR_REPOSITORY = "rclone:restic";

/** The environment file of one source (KEY='value' lines, sourced by the scripts). */
export function renderResticEnv(env: ResticEnv): string {
  const lines: Array<[string, string]> = [
    ["RESTIC_REPOSITORY", env.repository],
    ["RESTIC_PASSWORD_FILE", env.passwordFile],
    ["RESTIC_CACHE_DIR", env.cacheDir],
    ["DEZKY_SSH_KEY", env.sshKey],
    ["DEZKY_KNOWN_HOSTS", env.knownHosts],
    ["DEZKY_DR_REPOSITORY", DR_REPOSITORY],
    ["DEZKY_DR_TARGET", env.drTarget],
    ["DEZKY_DR_PORT", String(env.drPort)],
    ["DEZKY_DR_SSH_KEY", env.drSshKey],
    ["DEZKY_DR_PASSWORD_FILE", env.drPasswordFile],
    ["DEZKY_BACKUP_PATHS", env.paths.join(" ")],
    ["DEZKY_HOST_TAG", env.hostTag],
    ["DEZKY_KEEP_DAILY", String(env.retention.daily)],
    ["DEZKY_KEEP_WEEKLY", String(env.retention.weekly)],
    ["DEZKY_KEEP_MONTHLY", String(env.retention.monthly)],
  ];
  return `# Rendered by Pulumi (components/storage). Do not edit on the host.\n${lines
    .map(([k, v]) => `${k}=${shQuote(v)}`)
    .join("\n")}\n`;
}

/** `ssh` wrapper for the primary box: this source's key and the pinned known_hosts. */
export function renderSshWrapper(): string {
  return `#!/bin/sh
# restic runs "ssh [-p port] user@host -s sftp"; add this source's key and the pinned known_hosts.
set -eu
exec "\${DEZKY_SSH_BIN:-/usr/bin/ssh}" \\
  -i "$DEZKY_SSH_KEY" -o IdentitiesOnly=yes -o BatchMode=yes \\
  -o UserKnownHostsFile="$DEZKY_KNOWN_HOSTS" -o StrictHostKeyChecking=yes \\
  -o ServerAliveInterval=60 -o ServerAliveCountMax=240 "$@"
`;
}

/**
 * `ssh-dr`: restic's rclone backend runs "<program> serve restic --stdio ... <remote>"; the DR
 * subaccount forces its own command on this key, so these arguments are ignored by the box.
 */
export function renderDrSshWrapper(): string {
  return `#!/bin/sh
# rclone.program for the DR repository: the DR subaccount runs "${DR_FORCED_COMMAND}" for this key.
set -eu
exec "\${DEZKY_SSH_BIN:-/usr/bin/ssh}" -p "$DEZKY_DR_PORT" \\
  -i "$DEZKY_DR_SSH_KEY" -o IdentitiesOnly=yes -o BatchMode=yes \\
  -o UserKnownHostsFile="$DEZKY_KNOWN_HOSTS" -o StrictHostKeyChecking=yes \\
  -o ServerAliveInterval=60 -o ServerAliveCountMax=240 "$DEZKY_DR_TARGET" "$@"
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

/** restic options for the DR repository (rclone backend over ssh-dr, DR-only password). */
const DR_ARGS = `dr=(-r "$DEZKY_DR_REPOSITORY" --password-file "$DEZKY_DR_PASSWORD_FILE" -o "rclone.program=$lib_dir/ssh-dr")`;

/** restic backup of the configured paths, then forget --prune by the retention policy. */
export function renderBackupScript(): string {
  return `${prologue("restic backup of this host to the primary Storage Box, then forget --prune.")}
read -r -a paths <<<"$DEZKY_BACKUP_PATHS"
existing=()
for p in "\${paths[@]}"; do
  if [ -e "$p" ]; then existing+=("$p"); else log "skipping missing path $p"; fi
done
if [ "\${#existing[@]}" -eq 0 ]; then
  log "nothing to back up"; exit 1
fi
if ! restic cat config >/dev/null 2>&1; then
  log "initialising repository $RESTIC_REPOSITORY"
  restic init
fi
log "backup of \${existing[*]}"
restic backup --host "$DEZKY_HOST_TAG" --tag host --one-file-system "\${existing[@]}"
log "forget --prune (daily $DEZKY_KEEP_DAILY, weekly $DEZKY_KEEP_WEEKLY, monthly $DEZKY_KEEP_MONTHLY)"
restic forget --prune --group-by host,tags \\
  --keep-daily "$DEZKY_KEEP_DAILY" --keep-weekly "$DEZKY_KEEP_WEEKLY" --keep-monthly "$DEZKY_KEEP_MONTHLY"
log "done"
`;
}

/**
 * Daily restic check of both repositories, reading one 28th of the pack data each day (the day
 * of the month picks the slice), so all data is read about once every four weeks.
 */
export function renderCheckScript(): string {
  return `${prologue("Daily restic check of the primary and DR repositories.")}${DR_ARGS}
slice="$(( $(date -u +%-d) % 28 + 1 ))/28"
log "check $RESTIC_REPOSITORY (data slice $slice)"
restic check --read-data-subset="$slice"
log "check DR repository at $DEZKY_DR_TARGET (data slice $slice)"
restic "\${dr[@]}" check --read-data-subset="$slice"
log "done"
`;
}

/**
 * Copies every snapshot missing in the DR repository from the primary one. No forget, no
 * prune: the DR key is append-only on the box (docs/backups.md "How long history survives").
 */
export function renderDrCopyScript(): string {
  return `${prologue("Copy snapshots from the primary Storage Box to the DR box (restic copy, append-only).")}${DR_ARGS}
from=(--from-repo "$RESTIC_REPOSITORY" --from-password-file "$RESTIC_PASSWORD_FILE")
# The DR key must never open SFTP: if it does, the box stopped enforcing the append-only command.
if sftp -b - -S "\${DEZKY_SSH_BIN:-/usr/bin/ssh}" -P "$DEZKY_DR_PORT" -i "$DEZKY_DR_SSH_KEY" \\
  -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile="$DEZKY_KNOWN_HOSTS" \\
  -o StrictHostKeyChecking=yes "$DEZKY_DR_TARGET" <<<'ls' >/dev/null 2>&1; then
  log "the DR key opens SFTP on $DEZKY_DR_TARGET: the box does not enforce the append-only command"
  exit 1
fi
if ! restic "\${dr[@]}" cat config >/dev/null 2>&1; then
  log "initialising DR repository at $DEZKY_DR_TARGET with its own password and the primary's chunker parameters"
  restic "\${dr[@]}" init "\${from[@]}" --copy-chunker-params
fi
log "copy $RESTIC_REPOSITORY -> DR at $DEZKY_DR_TARGET"
restic "\${dr[@]}" copy "\${from[@]}"
log "done"
`;
}
