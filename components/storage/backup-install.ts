/**
 * The host's backup install and enrolment scripts (pure renderers; the HostBackup component runs
 * them over SSH). Secrets travel on stdin as NAME=value lines, never on a command line or in a
 * rendered file:
 * - enrolment (once per box login, docs/backups.md): the subaccount passwords. It generates the
 *   host's keys, writes each subaccount's authorized_keys (primary: `restrict`; DR: `restrict` +
 *   the append-only forced command) and proves the DR key cannot open SFTP, failing closed if the
 *   box does not enforce the forced command.
 * - install (every change): the primary and DR repository passwords and the alert ping URL.
 */
import { shQuote } from "../host/host-scripts";
import { type BackupSource, type BoxRole, REPOSITORY_PATH } from "./backup-boxes";
import {
  ALERT_URL_FILE,
  etcdSnapshotMaxAgeHours,
  renderHostScripts,
  renderHostUnits,
} from "./backup-jobs";
import {
  BACKUP_ETC_DIR,
  BACKUP_LIB_DIR,
  DR_FORCED_COMMAND,
  HOST_BACKUP_PATHS,
  renderResticEnv,
  type Retention,
  sftpRepositoryUrl,
} from "./restic-scripts";

/** A subaccount login on one box (plain strings, from the subaccount outputs). */
export interface BoxLogin {
  user: string;
  server: string;
  port: number;
}

/** Non-secret facts of one source's repositories. */
export interface SourceRepos {
  source: BackupSource;
  primary: BoxLogin;
  dr: BoxLogin;
}

/** Pinned OpenSSH host key lines (`ssh-ed25519 AAAA...`) of each box. */
export type PinnedHostKeys = Record<BoxRole, string[]>;

/** Where things go on the host; tests point these at a temporary tree. */
export interface BackupDirs {
  etcDir: string;
  libDir: string;
  unitDir: string;
  cacheDir: string;
}

export const DEFAULT_BACKUP_DIRS: BackupDirs = {
  etcDir: BACKUP_ETC_DIR,
  libDir: BACKUP_LIB_DIR,
  unitDir: "/etc/systemd/system",
  cacheDir: "/var/cache/restic",
};

const up = (s: string) => s.toUpperCase();

/** Names of the stdin secrets. */
export const secretNames = {
  repoPassword: (s: BackupSource) => `REPO_PASSWORD_${up(s)}`,
  drRepoPassword: (s: BackupSource) => `REPO_PASSWORD_${up(s)}_DR`,
  subPassword: (s: BackupSource, role: BoxRole) =>
    `SUB_PASSWORD_${up(s)}_${role === "primary" ? "PRIMARY" : "DR"}`,
  alertPingUrl: "ALERT_PING_URL",
};

/** Host key and password files of one source. */
export function sourceFiles(etcDir: string, source: BackupSource) {
  return {
    key: `${etcDir}/id_${source}`,
    drKey: `${etcDir}/id_${source}_dr`,
    password: `${etcDir}/${source}.password`,
    drPassword: `${etcDir}/${source}-dr.password`,
    env: `${etcDir}/${source}.env`,
    knownHosts: `${etcDir}/known_hosts`,
  };
}

/** The environment file of a source on the host (pure). */
export function hostEnvFile(
  repos: SourceRepos,
  cell: string,
  retention: Retention,
  dirs: BackupDirs = DEFAULT_BACKUP_DIRS,
  paths: string[] = HOST_BACKUP_PATHS,
): string {
  const f = sourceFiles(dirs.etcDir, repos.source);
  return renderResticEnv({
    repository: sftpRepositoryUrl(
      repos.primary.user,
      repos.primary.server,
      REPOSITORY_PATH,
      repos.primary.port,
    ),
    passwordFile: f.password,
    sshKey: f.key,
    knownHosts: f.knownHosts,
    drTarget: `${repos.dr.user}@${repos.dr.server}`,
    drPort: repos.dr.port,
    drSshKey: f.drKey,
    drPasswordFile: f.drPassword,
    paths: repos.source === "host" ? paths : [],
    hostTag: cell,
    retention,
    cacheDir: dirs.cacheDir,
  });
}

/** known_hosts lines pinning each box's keys for every login on it (pure). */
export function renderKnownHosts(sources: SourceRepos[], keys: PinnedHostKeys): string {
  const lines = new Set<string>();
  for (const s of sources) {
    for (const role of ["primary", "dr"] as const) {
      const login = s[role];
      for (const key of keys[role]) {
        const [type, blob] = key.trim().split(/\s+/);
        lines.add(`[${login.server}]:${login.port} ${type} ${blob}`);
      }
    }
  }
  return [...lines].join("\n") + "\n";
}

/** Fails closed when a box has no pinned host key: names the file, the field and the fix. */
function missingHostKeys(sources: SourceRepos[], keys: PinnedHostKeys, stack: string): string[] {
  const problems: string[] = [];
  for (const role of ["primary", "dr"] as const) {
    if (keys[role].length > 0) continue;
    const servers = [...new Set(sources.map((s) => `${s[role].server} port ${s[role].port}`))];
    problems.push(
      `stacks/${stack}.ts: backup.hostKeys.${role} is empty; the ${role} Storage Box (${servers.join(", ")}) ` +
        `would be trusted on first use. Fill it with the box's host key lines ("ssh-ed25519 AAAA..."), ` +
        `verified out of band (docs/backups.md "Pinning the Storage Box host keys").`,
    );
  }
  return problems;
}

function failClosed(problems: string[]): string {
  return [
    "#!/usr/bin/env bash",
    "# Rendered by components/storage/backup-install.ts: refusing to talk to unpinned hosts.",
    ...problems.map((p) => `echo ${shQuote(p)} >&2`),
    "exit 1",
    "",
  ].join("\n");
}

/** Reads NAME=value lines from stdin, keeping every byte of the value (a trailing "=" too). */
function secretReader(names: string[]): string[] {
  return [
    "declare -A secret=()",
    'while IFS= read -r line || [ -n "$line" ]; do',
    '  name="${line%%=*}"',
    `  case "$name" in ${names.join("|")}) secret[$name]="\${line#*=}" ;; esac`,
    "done",
  ];
}

function writeFile(path: string, content: string, mode: string): string {
  const b64 = Buffer.from(content).toString("base64");
  return `printf '%s' '${b64}' | base64 -d >${shQuote(`${path}.tmp`)} && chmod ${mode} ${shQuote(`${path}.tmp`)} && mv ${shQuote(`${path}.tmp`)} ${shQuote(path)}`;
}

function sshOpts(knownHosts: string): string {
  return `-o UserKnownHostsFile=${shQuote(knownHosts)} -o StrictHostKeyChecking=yes`;
}

/** `sftp ls` with a key, non-interactive (exit 0 = the key opens SFTP). */
function sftpWithKey(login: BoxLogin, key: string, knownHosts: string): string {
  return `sftp -b - -P ${login.port} -i ${shQuote(key)} -o IdentitiesOnly=yes -o BatchMode=yes ${sshOpts(knownHosts)} ${shQuote(`${login.user}@${login.server}`)} <<<'ls' >/dev/null 2>&1`;
}

export interface InstallArgs {
  cell: string;
  stack: string;
  schedule: string;
  retention: Retention;
  sources: SourceRepos[];
  hostKeys: PinnedHostKeys;
  /** Namespaces that get the restic-ssh secret (k8s source primary key) for the CronJobs. */
  k8sNamespaces: string[];
  /** k3s etcd snapshot schedule (cron), for the snapshot age check. */
  etcdSnapshotSchedule: string;
  dirs?: BackupDirs;
  /** Paths the host source backs up (tests use a temporary tree). */
  hostPaths?: string[];
}

/** The enrolment script (pure). Reads SUB_PASSWORD_<SOURCE>_<PRIMARY|DR> from stdin. */
export function renderBackupEnrol(
  args: Omit<
    InstallArgs,
    "schedule" | "retention" | "k8sNamespaces" | "etcdSnapshotSchedule" | "hostPaths"
  >,
): string {
  const problems = missingHostKeys(args.sources, args.hostKeys, args.stack);
  if (problems.length) return failClosed(problems);
  const dirs = args.dirs ?? DEFAULT_BACKUP_DIRS;
  const kh = `${dirs.etcDir}/known_hosts`;
  const names = args.sources.flatMap((s) => [
    secretNames.subPassword(s.source, "primary"),
    secretNames.subPassword(s.source, "dr"),
  ]);
  const lines = [
    "#!/usr/bin/env bash",
    "# Rendered by components/storage/backup-install.ts: enrols this host's backup keys on the boxes.",
    "set -euo pipefail",
    "umask 077",
    ...secretReader(names),
    `for n in ${names.join(" ")}; do`,
    '  [ -n "${secret[$n]:-}" ] || { echo "enrol: $n missing on stdin" >&2; exit 1; }',
    "done",
    "if ! command -v sshpass >/dev/null || ! command -v sftp >/dev/null; then",
    "  DEBIAN_FRONTEND=noninteractive apt-get install -y -q sshpass openssh-client",
    "fi",
    `install -d -m 0700 ${shQuote(dirs.etcDir)}`,
    writeFile(kh, renderKnownHosts(args.sources, args.hostKeys), "600"),
    "# Replaces the subaccount's authorized_keys, logging in with its password (never stored here).",
    "upload_keys() {",
    '  local login="$1" port="$2" password="$3" file="$4" batch',
    '  batch="$(mktemp)"',
    '  printf -- \'-mkdir .ssh\\nput %s .ssh/authorized_keys\\n-chmod 600 .ssh/authorized_keys\\n\' "$file" >"$batch"',
    `  SSHPASS="$password" sshpass -e sftp -o BatchMode=no -b "$batch" -P "$port" -o PubkeyAuthentication=no ${sshOpts(kh)} "$login" >/dev/null`,
    '  rm -f "$batch"',
    "}",
  ];
  for (const s of args.sources) {
    const f = sourceFiles(dirs.etcDir, s.source);
    const pw = (role: BoxRole) => `"\${secret[${secretNames.subPassword(s.source, role)}]}"`;
    const login = (role: BoxRole) => shQuote(`${s[role].user}@${s[role].server}`);
    lines.push(
      `# ${s.source}: primary key (SFTP, the host prunes) and DR key (append-only forced command)`,
      `[ -f ${shQuote(f.key)} ] || ssh-keygen -q -t ed25519 -N '' -C ${shQuote(`dezky-${args.cell}-${s.source}`)} -f ${shQuote(f.key)}`,
      `[ -f ${shQuote(f.drKey)} ] || ssh-keygen -q -t ed25519 -N '' -C ${shQuote(`dezky-${args.cell}-${s.source}-dr`)} -f ${shQuote(f.drKey)}`,
      `printf 'restrict %s\\n' "$(cat ${shQuote(`${f.key}.pub`)})" >${shQuote(`${f.key}.authorized`)}`,
      `printf 'restrict,command="%s" %s\\n' ${shQuote(DR_FORCED_COMMAND)} "$(cat ${shQuote(`${f.drKey}.pub`)})" >${shQuote(`${f.drKey}.authorized`)}`,
      `upload_keys ${login("primary")} ${s.primary.port} ${pw("primary")} ${shQuote(`${f.key}.authorized`)}`,
      `upload_keys ${login("dr")} ${s.dr.port} ${pw("dr")} ${shQuote(`${f.drKey}.authorized`)}`,
      `if ! ${sftpWithKey(s.primary, f.key, kh)}; then`,
      `  echo ${shQuote(`enrol: the ${s.source} key does not open SFTP on ${s.primary.user}@${s.primary.server}`)} >&2; exit 1`,
      "fi",
      `if ${sftpWithKey(s.dr, f.drKey, kh)}; then`,
      "  # The box ignored the forced command: take the key away again and refuse.",
      `  : >${shQuote(`${f.drKey}.authorized`)}`,
      `  upload_keys ${login("dr")} ${s.dr.port} ${pw("dr")} ${shQuote(`${f.drKey}.authorized`)}`,
      `  echo ${shQuote(`enrol: ${s.dr.user}@${s.dr.server} gave the DR key full SFTP access (forced command not enforced); DR key removed, DR copies stay off (docs/backups.md)`)} >&2`,
      "  exit 1",
      "fi",
      `rm -f ${shQuote(`${f.key}.authorized`)} ${shQuote(`${f.drKey}.authorized`)}`,
    );
  }
  lines.push(`echo ${shQuote(`backup keys enrolled for cell ${args.cell}`)}`);
  return `${lines.join("\n")}\n`;
}

/** The install script (pure). Reads REPO_PASSWORD_<SOURCE>[_DR] and ALERT_PING_URL from stdin. */
export function renderHostBackupInstall(args: InstallArgs): string {
  const problems = missingHostKeys(args.sources, args.hostKeys, args.stack);
  if (problems.length) return failClosed(problems);
  const dirs = args.dirs ?? DEFAULT_BACKUP_DIRS;
  const kh = `${dirs.etcDir}/known_hosts`;
  const required = args.sources.flatMap((s) => [
    secretNames.repoPassword(s.source),
    secretNames.drRepoPassword(s.source),
  ]);
  const units = renderHostUnits(args.schedule, args.cell, dirs);
  // ALERT_URL_FILE on the host; the same file name below a test's directory.
  const alertFile = `${dirs.etcDir}/${ALERT_URL_FILE.split("/").pop()}`;
  const lines = [
    "#!/usr/bin/env bash",
    "# Rendered by components/storage/backup-install.ts: installs restic backups on this host.",
    "set -euo pipefail",
    "umask 077",
    ...secretReader([...required, secretNames.alertPingUrl]),
    `for n in ${required.join(" ")}; do`,
    '  [ -n "${secret[$n]:-}" ] || { echo "install: $n missing on stdin" >&2; exit 1; }',
    "done",
    "if ! command -v restic >/dev/null || ! command -v curl >/dev/null || ! command -v sftp >/dev/null; then",
    "  DEBIAN_FRONTEND=noninteractive apt-get install -y -q restic curl openssh-client",
    "fi",
    'command -v kubectl >/dev/null || { echo "install: kubectl (k3s) is missing; the CronJobs need the restic-ssh secret" >&2; exit 1; }',
    `install -d -m 0700 ${shQuote(dirs.etcDir)}`,
    `install -d -m 0755 ${shQuote(dirs.libDir)} ${shQuote(dirs.unitDir)}`,
    `install -d -m 0700 ${shQuote(dirs.cacheDir)}`,
    ...Object.entries(renderHostScripts(alertFile)).map(([name, content]) =>
      writeFile(`${dirs.libDir}/${name}`, content, "755"),
    ),
    ...units.map((u) => writeFile(`${dirs.unitDir}/${u.name}`, u.content, "644")),
    writeFile(kh, renderKnownHosts(args.sources, args.hostKeys), "600"),
    writeFile(
      `${dirs.etcDir}/etcd.env`,
      `DEZKY_ETCD_MAX_AGE_HOURS=${etcdSnapshotMaxAgeHours(args.etcdSnapshotSchedule)}\n`,
      "600",
    ),
  ];
  for (const s of args.sources) {
    const f = sourceFiles(dirs.etcDir, s.source);
    lines.push(
      writeFile(f.env, hostEnvFile(s, args.cell, args.retention, dirs, args.hostPaths), "600"),
      `printf '%s' "\${secret[${secretNames.repoPassword(s.source)}]}" >${shQuote(f.password)}`,
      `printf '%s' "\${secret[${secretNames.drRepoPassword(s.source)}]}" >${shQuote(f.drPassword)}`,
      `if [ ! -f ${shQuote(f.key)} ] || [ ! -f ${shQuote(f.drKey)} ] || ! ${sftpWithKey(s.primary, f.key, kh)}; then`,
      `  echo ${shQuote(`install: the ${s.source} backup keys are not enrolled on ${s.primary.user}@${s.primary.server}; re-run the enrolment (docs/runbooks/restore.md "Keys after a rebuild")`)} >&2`,
      "  exit 1",
      "fi",
    );
  }
  lines.push(
    `if [ -n "\${secret[${secretNames.alertPingUrl}]:-}" ]; then`,
    `  printf '%s\\n' "\${secret[${secretNames.alertPingUrl}]}" >${shQuote(alertFile)}`,
    "else",
    `  rm -f ${shQuote(alertFile)}`,
    "fi",
    "systemctl daemon-reload",
    ...units
      .filter((u) => u.name.endsWith(".timer"))
      .map((u) => `systemctl enable --now ${shQuote(u.name)}`),
    "# One statement per command: under set -e a failure inside an && list would be ignored.",
  );
  for (const ns of args.k8sNamespaces) {
    const f = sourceFiles(dirs.etcDir, "k8s");
    lines.push(
      `kubectl create namespace ${shQuote(ns)} --dry-run=client -o yaml | kubectl apply -f - >/dev/null`,
      `kubectl -n ${shQuote(ns)} create secret generic restic-ssh --from-file=id=${shQuote(f.key)} --from-file=known_hosts=${shQuote(kh)} --dry-run=client -o yaml | kubectl apply -f - >/dev/null`,
    );
  }
  lines.push(`echo ${shQuote(`backups installed for cell ${args.cell}`)}`);
  return `${lines.join("\n")}\n`;
}
