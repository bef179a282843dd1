/**
 * Storage and backups of one cell: Object Storage buckets (OCIS, etcd snapshots), the primary
 * and DR Storage Boxes with per-source subaccounts, restic on the host and backup CronJobs in
 * k3s. The Cell exposes this as `cell.storage`.
 */
import type * as command from "@pulumi/command";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../stacks/schema";
import { BackupBoxes, type BackupRepository, type BackupSource } from "./backup-boxes";
import { HostBackup } from "./host-backup";
import { defaultTargets, K8sBackup, type K8sBackupTargets } from "./k8s-backup";
import { ObjectStorage } from "./object-storage";

export const CELL_STORAGE_TYPE = "dezky:storage:CellStorage";

export interface CellStorageArgs {
  env: Environment;
  /** Object Storage key pair from stack config (created in the Hetzner Console). */
  s3AccessKey: pulumi.Input<string>;
  s3SecretKey: pulumi.Input<string>;
  /** The host to install restic on (omit to skip the host jobs, e.g. in isolated tests). */
  host?: {
    connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
    /** Resources that must exist first (host converged, k3s installed). */
    dependsOn: pulumi.Input<pulumi.Resource>[];
  };
  /** The cell's Kubernetes provider (omit to skip the CronJobs). */
  k8sProvider?: k8s.Provider;
  /** Overrides of the backup targets (namespaces, services, secrets) the platform created. */
  targets?: Partial<K8sBackupTargets>;
  /** Adopt existing buckets instead of failing on them. */
  adoptBuckets?: { ocis?: boolean; etcd?: boolean };
  /** Endpoint override for Object Storage (tests). */
  s3Endpoint?: string;
  /** Healthchecks ping URL of this stack (secret); backups, checks, DR copies and etcd report to it. */
  alertPingUrl?: pulumi.Input<string>;
  /** API token of the separate Hetzner project holding the DR box (secret). */
  hcloudDrToken?: pulumi.Input<string>;
}

export class CellStorage extends pulumi.ComponentResource {
  /** Endpoint, region, bucket names and keys for OCIS s3ng and k3s etcd-s3. */
  readonly objectStorage: ObjectStorage;
  /** restic repositories per source (URLs and secret passwords) for CronJobs and restores. */
  readonly repositories: Record<BackupSource, BackupRepository>;
  readonly boxes: BackupBoxes;

  constructor(name: string, args: CellStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CELL_STORAGE_TYPE, name, {}, opts);
    const { env } = args;
    this.objectStorage = new ObjectStorage(
      `${name}-s3`,
      {
        cell: env.cell,
        location: env.objectStorage.location,
        buckets: env.objectStorage.buckets,
        production: env.production,
        accessKey: args.s3AccessKey,
        secretKey: args.s3SecretKey,
        endpoint: args.s3Endpoint,
        adopt: args.adoptBuckets,
      },
      { parent: this },
    );
    this.boxes = new BackupBoxes(
      `${name}-boxes`,
      {
        cell: env.cell,
        primaryLocation: env.backup.primaryLocation,
        drLocation: env.backup.drLocation,
        production: env.production,
        adminSshKeys: env.adminSshKeys,
        drToken: args.hcloudDrToken,
      },
      { parent: this },
    );
    this.repositories = this.boxes.repositories;
    const image = (i: { repository: string; tag: string }) => `${i.repository}:${i.tag}`;
    const defaults = defaultTargets({
      postgres: image(env.versions.postgres),
      mongodb: image(env.versions.mongodb),
    });
    const targets: K8sBackupTargets = { ...defaults, ...args.targets };

    let install: HostBackup | undefined;
    if (args.host) {
      install = new HostBackup(
        `${name}-host-backup`,
        {
          cell: env.cell,
          stack: env.stack,
          connection: args.host.connection,
          schedule: env.backup.schedule,
          retention: env.backup.retention,
          repositories: this.repositories,
          hostKeys: env.backup.hostKeys,
          etcdSnapshotSchedule: env.k3s.snapshotSchedule,
          alertPingUrl: args.alertPingUrl,
          k8sNamespaces: [
            ...new Set([
              targets.postgres.namespace,
              targets.mongodb.namespace,
              targets.ocis.namespace,
            ]),
          ],
          dependsOn: args.host.dependsOn,
        },
        { parent: this },
      );
    }
    if (args.k8sProvider) {
      new K8sBackup(
        `${name}-k8s-backup`,
        {
          cell: env.cell,
          provider: args.k8sProvider,
          repository: this.repositories.k8s,
          retention: env.backup.retention,
          targets,
          alertPingUrl: args.alertPingUrl,
        },
        // The host installs the restic-ssh secret the CronJobs mount.
        { parent: this, dependsOn: install ? [install] : [] },
      );
    }
    this.registerOutputs(this.stackOutputs());
  }

  /** Non-secret stack outputs. */
  stackOutputs(): Record<string, unknown> {
    return {
      objectStorageEndpoint: this.objectStorage.endpoint,
      ocisBucket: this.objectStorage.ocisBucket,
      etcdBucket: this.objectStorage.etcdBucket,
      backupPrimaryServer: this.boxes.boxes.primary.server,
      backupDrServer: this.boxes.boxes.dr.server,
      backupRepositories: {
        host: { primary: this.repositories.host.url, dr: this.repositories.host.drUrl },
        k8s: { primary: this.repositories.k8s.url, dr: this.repositories.k8s.drUrl },
      },
    };
  }
}
