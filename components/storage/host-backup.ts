/**
 * Installs restic backups on the host over SSH, in two remote commands whose scripts are
 * rendered by ./backup-install.ts:
 * - `<name>-enrol` runs once per set of box logins: it generates the host's primary and DR keys
 *   (they never leave the host) and installs them on the subaccounts with the subaccount
 *   passwords, which therefore reach the host only at enrolment, not at every deploy;
 * - `<name>-install` (re-run when its script changes): scripts, timers, repository passwords,
 *   the alert ping URL, and the k8s source's primary key as the CronJobs' secret.
 * Secrets travel on stdin, never on the command line or in the rendered files.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { contentHash } from "../host/host-scripts";
import type { BackupRepository, BackupSource } from "./backup-boxes";
import {
  type PinnedHostKeys,
  renderBackupEnrol,
  renderHostBackupInstall,
  secretNames,
  type SourceRepos,
} from "./backup-install";
import type { Retention } from "./restic-scripts";

export const HOST_BACKUP_TYPE = "dezky:storage:HostBackup";

/** SSH port of the Storage Box (full SSH incl. rclone and OpenSSH keys is on 23). */
export const STORAGE_BOX_SSH_PORT = 23;

export interface HostBackupArgs {
  cell: string;
  stack: string;
  /** SSH connection to the host as root (the Cell's host block provides it). */
  connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
  /** systemd OnCalendar of the nightly backup (env.backup.schedule). */
  schedule: string;
  retention: Retention;
  repositories: Record<BackupSource, BackupRepository>;
  /** Pinned host keys of both boxes (env.backup.hostKeys); empty fails closed on the host. */
  hostKeys: PinnedHostKeys;
  /** Namespaces of the backup CronJobs (they get the k8s source's primary key as a secret). */
  k8sNamespaces: string[];
  /** k3s etcd snapshot schedule, for the snapshot age check. */
  etcdSnapshotSchedule: string;
  /** Healthchecks ping URL with the project's ping key (secret); none = no alerting. */
  alertPingUrl?: pulumi.Input<string>;
  /** Run only after this (e.g. the host is converged and k3s is up). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

function sourceRepos(source: BackupSource, r: BackupRepository): pulumi.Output<SourceRepos> {
  return pulumi
    .all([r.logins.primary.user, r.logins.primary.server, r.logins.dr.user, r.logins.dr.server])
    .apply(([pu, ps, du, ds]) => ({
      source,
      primary: { user: pu, server: ps, port: STORAGE_BOX_SSH_PORT },
      dr: { user: du, server: ds, port: STORAGE_BOX_SSH_PORT },
    }));
}

function stdinLines(lines: pulumi.Output<string>[]): pulumi.Output<string> {
  return pulumi.secret(pulumi.all(lines).apply((l) => `${l.join("\n")}\n`));
}

export class HostBackup extends pulumi.ComponentResource {
  readonly enrol: command.remote.Command;
  readonly install: command.remote.Command;

  constructor(name: string, args: HostBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(HOST_BACKUP_TYPE, name, {}, opts);
    const sourcesList = Object.keys(args.repositories) as BackupSource[];
    const sources = pulumi.all(sourcesList.map((s) => sourceRepos(s, args.repositories[s])));
    const common = { cell: args.cell, stack: args.stack, hostKeys: args.hostKeys };

    const enrolScript = sources.apply((list) => renderBackupEnrol({ ...common, sources: list }));
    this.enrol = new command.remote.Command(
      `${name}-enrol`,
      {
        connection: args.connection,
        create: enrolScript,
        stdin: stdinLines(
          sourcesList.flatMap((s) => {
            const r = args.repositories[s];
            return (["primary", "dr"] as const).map(
              (role) =>
                pulumi.interpolate`${secretNames.subPassword(s, role)}=${r.logins[role].password}`,
            );
          }),
        ),
        // Once per set of logins and pinned keys: the passwords are not sent again on deploys.
        triggers: [enrolScript.apply(contentHash)],
        logging: "stderr",
      },
      { parent: this, dependsOn: args.dependsOn, additionalSecretOutputs: ["stdin"] },
    );

    const installScript = sources.apply((list) =>
      renderHostBackupInstall({
        ...common,
        schedule: args.schedule,
        retention: args.retention,
        sources: list,
        k8sNamespaces: args.k8sNamespaces,
        etcdSnapshotSchedule: args.etcdSnapshotSchedule,
      }),
    );
    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: args.connection,
        create: installScript,
        stdin: stdinLines([
          ...sourcesList.flatMap((s) => [
            pulumi.interpolate`${secretNames.repoPassword(s)}=${args.repositories[s].password}`,
            pulumi.interpolate`${secretNames.drRepoPassword(s)}=${args.repositories[s].drPassword}`,
          ]),
          pulumi.interpolate`${secretNames.alertPingUrl}=${args.alertPingUrl ?? ""}`,
        ]),
        // Re-run when the rendered script changes (its hash, not the secrets).
        triggers: [installScript.apply(contentHash)],
        logging: "stderr",
      },
      { parent: this, dependsOn: [this.enrol], additionalSecretOutputs: ["stdin"] },
    );
    this.registerOutputs({});
  }
}
