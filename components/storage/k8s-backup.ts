/**
 * Backups inside k3s: CronJobs that dump the Authentik PostgreSQL and the portal MongoDB and
 * back up the OCIS metadata volume to the k8s source's restic repository on the primary box
 * (the host copies it to DR). Manifests are rendered by pure functions; the component applies
 * them with the cell's Kubernetes provider. The SSH key secret `restic-ssh` is created on the
 * host (components/storage/host-backup.ts), so the private key never enters Pulumi state.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BackupRepository } from "./backup-boxes";
import type { Retention } from "./restic-scripts";

export const K8S_BACKUP_TYPE = "dezky:storage:K8sBackup";
export const RESTIC_IMAGE = "docker.io/restic/restic:0.18.1";

export interface SecretRef {
  name: string;
  key: string;
}

export interface K8sBackupTargets {
  postgres: {
    namespace: string;
    service: string;
    database: string;
    user: string;
    password: SecretRef;
    image: string;
  };
  mongodb: { namespace: string; service: string; uri: SecretRef; image: string };
  ocis: { namespace: string; pvc: string };
}

/** Defaults agreed with the platform block; every value is an arg of K8sBackup. */
export function defaultTargets(images: { postgres: string; mongodb: string }): K8sBackupTargets {
  return {
    postgres: {
      namespace: "authentik",
      service: "authentik-postgresql",
      database: "authentik",
      user: "authentik",
      password: { name: "authentik-postgresql", key: "password" },
      image: images.postgres,
    },
    mongodb: {
      namespace: "portal",
      service: "mongodb",
      uri: { name: "mongodb", key: "uri" },
      image: images.mongodb,
    },
    ocis: { namespace: "ocis", pvc: "ocis-metadata" },
  };
}

/** restic's sftp.command for a repository URL, using the mounted key (pure). */
export function sftpCommandFor(
  url: string,
  key = "/ssh/id",
  knownHosts = "/ssh/known_hosts",
): string {
  const m = /^sftp:\/\/([^@/]+)@([^:/]+):(\d+)\//.exec(url);
  if (!m) throw new Error(`not an sftp://user@host:port/path repository URL: ${url}`);
  return `ssh -p ${m[3]} -i ${key} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes ${m[1]}@${m[2]} -s sftp`;
}

/**
 * The restic container's script: init if needed, back up `path` with a tag, forget --prune, then
 * report the exit status to the alerting service (`DEZKY_ALERT_URL` from the restic-repo
 * Secret; slug `<cell>-backup-<tag>`; docs/alerting.md). The job runs in a subshell with its own
 * `set -e`, so a failing step stops it and the status is still reported. The restic image is
 * Alpine with busybox wget (no curl); curl is used where present.
 */
export function resticJobScript(tag: string, path: string, retention: Retention): string {
  return [
    'o="sftp.command=$DEZKY_SFTP_COMMAND"',
    "(",
    "  set -eu",
    '  restic -o "$o" cat config >/dev/null 2>&1 || restic -o "$o" init',
    `  restic -o "$o" backup --host "$DEZKY_CELL" --tag ${tag} ${path}`,
    `  restic -o "$o" forget --prune --host "$DEZKY_CELL" --tag ${tag} --keep-daily ${retention.daily} --keep-weekly ${retention.weekly} --keep-monthly ${retention.monthly}`,
    ") >/tmp/job.log 2>&1",
    "status=$?",
    "cat /tmp/job.log",
    'if [ -n "${DEZKY_ALERT_URL:-}" ]; then',
    "  tail -c 10000 /tmp/job.log >/tmp/job.tail",
    `  url="$DEZKY_ALERT_URL/$DEZKY_CELL-backup-${tag}/$status?create=1"`,
    "  if command -v curl >/dev/null 2>&1; then",
    '    curl -fsS -m 10 --retry 5 --data-binary @/tmp/job.tail -o /dev/null "$url" || echo "could not report status $status to the alerting service"',
    "  else",
    '    wget -q -T 10 -O /dev/null --post-file=/tmp/job.tail "$url" || wget -q -T 10 -O /dev/null "$url" || echo "could not report status $status to the alerting service"',
    "  fi",
    "else",
    '  echo "no alerting configured (DEZKY_ALERT_URL unset); exit status $status"',
    "fi",
    'exit "$status"',
  ].join("\n");
}

export interface CronJobSpec {
  tag: string;
  namespace: string;
  schedule: string;
  /** Extra pod volumes and the init container producing /dump (dumps only). */
  init?: Record<string, unknown>;
  dataVolume: Record<string, unknown>;
  path: string;
}

/** A CronJob manifest (pure). */
export function renderBackupCronJob(
  spec: CronJobSpec,
  cell: string,
  retention: Retention,
): Record<string, unknown> {
  const restic = {
    name: "restic",
    image: RESTIC_IMAGE,
    command: ["/bin/sh", "-c", resticJobScript(spec.tag, spec.path, retention)],
    env: [
      { name: "DEZKY_CELL", value: cell },
      { name: "RESTIC_CACHE_DIR", value: "/tmp/restic-cache" },
    ],
    envFrom: [{ secretRef: { name: "restic-repo" } }],
    volumeMounts: [
      { name: "data", mountPath: spec.path, readOnly: true },
      { name: "ssh", mountPath: "/ssh", readOnly: true },
    ],
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  };
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: {
      name: `backup-${spec.tag}`,
      namespace: spec.namespace,
      labels: { "app.kubernetes.io/part-of": "dezky-backup" },
    },
    spec: {
      schedule: spec.schedule,
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 3 * 3600,
          template: {
            spec: {
              restartPolicy: "Never",
              ...(spec.init ? { initContainers: [spec.init] } : {}),
              containers: [restic],
              volumes: [
                { name: "data", ...spec.dataVolume },
                { name: "ssh", secret: { secretName: "restic-ssh", defaultMode: 0o400 } },
              ],
            },
          },
        },
      },
    },
  };
}

/** The three backup CronJobs of a cell (pure). */
export function renderK8sBackupCronJobs(
  targets: K8sBackupTargets,
  cell: string,
  retention: Retention,
): Record<string, unknown>[] {
  const pg = targets.postgres;
  const mongo = targets.mongodb;
  return [
    renderBackupCronJob(
      {
        tag: "authentik-postgresql",
        namespace: pg.namespace,
        schedule: "15 1 * * *",
        dataVolume: { emptyDir: {} },
        path: "/dump",
        init: {
          name: "pg-dump",
          image: pg.image,
          command: [
            "/bin/sh",
            "-c",
            `pg_dump -Fc -h ${pg.service} -U ${pg.user} -d ${pg.database} -f /dump/authentik.pgdump`,
          ],
          env: [{ name: "PGPASSWORD", valueFrom: { secretKeyRef: pg.password } }],
          volumeMounts: [{ name: "data", mountPath: "/dump" }],
        },
      },
      cell,
      retention,
    ),
    renderBackupCronJob(
      {
        tag: "portal-mongodb",
        namespace: mongo.namespace,
        schedule: "30 1 * * *",
        dataVolume: { emptyDir: {} },
        path: "/dump",
        init: {
          name: "mongodump",
          image: mongo.image,
          command: [
            "/bin/sh",
            "-c",
            'mongodump --uri "$MONGODB_URI" --gzip --archive=/dump/portal.archive',
          ],
          env: [{ name: "MONGODB_URI", valueFrom: { secretKeyRef: mongo.uri } }],
          volumeMounts: [{ name: "data", mountPath: "/dump" }],
        },
      },
      cell,
      retention,
    ),
    renderBackupCronJob(
      {
        tag: "ocis-metadata",
        namespace: targets.ocis.namespace,
        schedule: "45 1 * * *",
        // Single-node cell: a second pod may mount the RWO volume on the same node.
        dataVolume: { persistentVolumeClaim: { claimName: targets.ocis.pvc, readOnly: true } },
        path: "/data",
      },
      cell,
      retention,
    ),
  ];
}

export interface K8sBackupArgs {
  cell: string;
  /** The cell's Kubernetes provider. */
  provider: k8s.Provider;
  repository: BackupRepository;
  retention: Retention;
  targets: K8sBackupTargets;
  /** Healthchecks ping URL (secret); the cluster can only report its own jobs with it. */
  alertPingUrl?: pulumi.Input<string>;
}

export class K8sBackup extends pulumi.ComponentResource {
  constructor(name: string, args: K8sBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(K8S_BACKUP_TYPE, name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const namespaces = [
      ...new Set([
        args.targets.postgres.namespace,
        args.targets.mongodb.namespace,
        args.targets.ocis.namespace,
      ]),
    ];
    const secrets = namespaces.map(
      (ns) =>
        new k8s.core.v1.Secret(
          `${name}-repo-${ns}`,
          {
            metadata: { name: "restic-repo", namespace: ns },
            stringData: {
              RESTIC_REPOSITORY: args.repository.url,
              RESTIC_PASSWORD: args.repository.password,
              DEZKY_SFTP_COMMAND: args.repository.url.apply((u) => sftpCommandFor(u)),
              ...(args.alertPingUrl ? { DEZKY_ALERT_URL: pulumi.secret(args.alertPingUrl) } : {}),
            },
          },
          childOpts,
        ),
    );
    for (const manifest of renderK8sBackupCronJobs(args.targets, args.cell, args.retention)) {
      const meta = manifest.metadata as { name: string; namespace: string };
      new k8s.batch.v1.CronJob(
        `${name}-${meta.name}`,
        manifest as unknown as k8s.batch.v1.CronJobArgs,
        {
          ...childOpts,
          dependsOn: secrets,
        },
      );
    }
    this.registerOutputs({});
  }
}
