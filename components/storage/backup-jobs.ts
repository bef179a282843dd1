/**
 * The host's scheduled jobs (pure): systemd services and timers, the `run-job` wrapper that
 * reports every run's exit status to the alerting service, and the etcd snapshot check.
 *
 * Alerting (docs/alerting.md): each job pings `<ping URL>/<slug>/<exit status>?create=1` on a
 * Healthchecks-compatible service (Healthchecks.io by default). 0 is success, anything else a
 * failure that alerts at once; a check whose ping does not arrive within its period (1 day) plus
 * grace (1 hour) alerts too, so a job that never runs is not silent (dead-man's switch).
 * Contract: healthchecks/healthchecks templates/docs/http_api.md ("Report script's exit status
 * (slug)") and templates/docs/autoprovisioning.md (create=1: period 1 day, grace 1 hour).
 */
import {
  BACKUP_ETC_DIR,
  BACKUP_LIB_DIR,
  renderBackupScript,
  renderCheckScript,
  renderDrCopyScript,
  renderDrSshWrapper,
  renderSshWrapper,
} from "./restic-scripts";

export interface SystemdUnit {
  name: string;
  content: string;
}

/** Where the stack's ping URL (secret: it lets anyone post pings) is written on the host. */
export const ALERT_URL_FILE = `${BACKUP_ETC_DIR}/alert.url`;

/** The check's slug on the alerting service: `<cell>-<job>[-<source>]` (a-z, 0-9, hyphens). */
export function alertSlug(cell: string, job: string, source?: string): string {
  const slug = [cell, job, source].filter(Boolean).join("-");
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(slug)) throw new Error(`alert slug ${slug} is not a-z0-9-_`);
  return slug;
}

/**
 * `run-job <job> <env file> <slug>`: runs one job script as its own process (so its `set -e`
 * holds), keeps its output for the journal, and reports the exit status with the output's
 * tail. A failed ping is logged and never changes the job's status.
 */
export function renderRunJob(alertUrlFile = ALERT_URL_FILE): string {
  return `#!/usr/bin/env bash
# Rendered by components/storage/backup-jobs.ts. Usage: run-job <job> <environment file> <slug>
set -uo pipefail
job="\${1:?usage: run-job <job> <environment file> <slug>}"
env_file="\${2:?usage: run-job <job> <environment file> <slug>}"
slug="\${3:?usage: run-job <job> <environment file> <slug>}"
lib_dir="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
alert_file="\${DEZKY_ALERT_URL_FILE:-${alertUrlFile}}"
out="$(mktemp)"
trap 'rm -f "$out" "$out.tail"' EXIT
"$lib_dir/$job" "$env_file" >"$out" 2>&1
status=$?
cat "$out" >&2
if [ -s "$alert_file" ]; then
  tail -c 10000 "$out" >"$out.tail"
  # The URL carries the ping key: pass it to curl on stdin, not on the command line.
  if ! printf 'url = "%s/%s/%s?create=1"\\n' "$(head -n 1 "$alert_file")" "$slug" "$status" |
    curl -fsS -m 10 --retry 5 --data-binary "@$out.tail" -o /dev/null -K -; then
    echo "run-job: could not report $slug (status $status) to the alerting service" >&2
  fi
else
  echo "run-job: no alerting configured ($alert_file missing); $slug exited $status" >&2
fi
exit "$status"
`;
}

/**
 * Fails unless the newest scheduled etcd snapshot on this server is younger than
 * DEZKY_ETCD_MAX_AGE_HOURS and k3s lists it in S3 too. k3s names scheduled snapshots
 * `etcd-snapshot-<node>-<timestamp>` and keeps a local copy next to the S3 upload.
 */
export function renderEtcdSnapshotCheck(): string {
  return `#!/usr/bin/env bash
# Usage: $0 <environment file>   (DEZKY_ETCD_SNAPSHOT_DIR, DEZKY_ETCD_MAX_AGE_HOURS)
set -euo pipefail
set -a
# shellcheck disable=SC1090
. "\${1:?usage: $0 <environment file>}"
set +a
dir="\${DEZKY_ETCD_SNAPSHOT_DIR:-/var/lib/rancher/k3s/server/db/snapshots}"
newest="$(find "$dir" -maxdepth 1 -type f -name 'etcd-snapshot-*' -printf '%T@ %f\\n' 2>/dev/null | sort -n | tail -n 1)"
if [ -z "$newest" ]; then echo "no scheduled etcd snapshot in $dir" >&2; exit 1; fi
name="\${newest#* }"
age_h=$(( ($(date +%s) - \${newest%%.*}) / 3600 ))
if [ "$age_h" -ge "$DEZKY_ETCD_MAX_AGE_HOURS" ]; then
  echo "newest etcd snapshot $name is \${age_h}h old (limit \${DEZKY_ETCD_MAX_AGE_HOURS}h)" >&2; exit 1
fi
if ! k3s etcd-snapshot ls 2>/dev/null | grep -F "$name" | grep -qi 's3'; then
  echo "etcd snapshot $name is not listed in S3 (k3s etcd-snapshot ls)" >&2; exit 1
fi
echo "etcd snapshot $name is \${age_h}h old and in S3"
`;
}

/**
 * Hours after which the newest scheduled etcd snapshot is too old: two missed runs of a
 * hourly-step schedule (minute, then every N hours) plus one hour; a day plus one hour otherwise.
 */
export function etcdSnapshotMaxAgeHours(cron: string): number {
  const m = /^\d+ \*\/(\d+) \* \* \*$/.exec(cron.trim());
  return m ? 2 * Number(m[1]) + 1 : 25;
}

/** A oneshot service running one job through run-job, and its daily timer. */
export function renderServiceAndTimer(opts: {
  job: "backup" | "check" | "dr-copy" | "etcd-snapshots";
  source: string;
  slug: string;
  onCalendar: string;
  description: string;
  libDir?: string;
  etcDir?: string;
}): SystemdUnit[] {
  const lib = opts.libDir ?? BACKUP_LIB_DIR;
  const etc = opts.etcDir ?? BACKUP_ETC_DIR;
  const unit = `dezky-${opts.job}-${opts.source}`;
  const service = `[Unit]
Description=${opts.description}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=${lib}/run-job ${opts.job} ${etc}/${opts.source}.env ${opts.slug}
Nice=10
IOSchedulingClass=idle
PrivateTmp=true
`;
  const timer = `[Unit]
Description=${opts.description} (timer)

[Timer]
OnCalendar=${opts.onCalendar}
RandomizedDelaySec=10m
Persistent=true

[Install]
WantedBy=timers.target
`;
  return [
    { name: `${unit}.service`, content: service },
    { name: `${unit}.timer`, content: timer },
  ];
}

/**
 * The host's units, all daily so every alerting check has the same 1-day period: backup, DR
 * copies after the k8s CronJobs (01:15-01:45) and the host backup, checks, etcd snapshot check.
 */
export function renderHostUnits(
  schedule: string,
  cell: string,
  dirs: { libDir?: string; etcDir?: string } = {},
): SystemdUnit[] {
  const unit = (
    job: "backup" | "check" | "dr-copy" | "etcd-snapshots",
    source: string,
    onCalendar: string,
    description: string,
  ) =>
    renderServiceAndTimer({
      job,
      source,
      slug: job === "etcd-snapshots" ? alertSlug(cell, job) : alertSlug(cell, job, source),
      onCalendar,
      description,
      ...dirs,
    });
  return [
    ...unit("backup", "host", schedule, "restic backup of Stalwart and k3s server state"),
    ...unit("dr-copy", "host", "*-*-* 05:00:00", "restic copy of host snapshots to the DR box"),
    ...unit("dr-copy", "k8s", "*-*-* 05:30:00", "restic copy of Kubernetes backups to the DR box"),
    ...unit("check", "host", "*-*-* 07:30:00", "restic check of the host repositories"),
    ...unit("check", "k8s", "*-*-* 08:00:00", "restic check of the Kubernetes repositories"),
    ...unit("etcd-snapshots", "etcd", "*-*-* 09:00:00", "age of the newest etcd snapshot in S3"),
  ];
}

/** The scripts installed into the backup lib directory, by file name. */
export function renderHostScripts(alertUrlFile = ALERT_URL_FILE): Record<string, string> {
  return {
    ssh: renderSshWrapper(),
    "ssh-dr": renderDrSshWrapper(),
    "run-job": renderRunJob(alertUrlFile),
    backup: renderBackupScript(),
    check: renderCheckScript(),
    "dr-copy": renderDrCopyScript(),
    "etcd-snapshots": renderEtcdSnapshotCheck(),
  };
}
