/**
 * The cell's backup targets: a BX11 Storage Box next to the host (primary) and one in another
 * site (DR, hel1), each with one subaccount per backup source so a leaked key of one source
 * cannot read the others. restic repository URLs are derived from the subaccount outputs.
 *
 * DR is its own trust domain (docs/backups.md): its own repository passwords, its own SSH keys
 * (append-only on the box), and, given `drToken`, its own Hetzner project, so the API token the
 * cluster holds for DNS-01 cannot delete the DR box's snapshots.
 */
import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import { repositoryPassword, storageBoxPassword } from "./passwords";
import { sftpRepositoryUrl } from "./restic-scripts";

export const BACKUP_BOXES_TYPE = "dezky:storage:BackupBoxes";

/** Backup sources: host files + Stalwart data; Kubernetes volumes + database dumps. */
export const BACKUP_SOURCES = ["host", "k8s"] as const;
export type BackupSource = (typeof BACKUP_SOURCES)[number];
export type BoxRole = "primary" | "dr";

/** Path of the restic repository inside a subaccount's home (its chroot). */
export const REPOSITORY_PATH = "restic";

export interface SnapshotPlan {
  maxSnapshots: number;
  minute: number;
  hour: number;
  dayOfWeek?: number;
}

/**
 * Automatic snapshot slots of a BX11: "a maximum of 10/20/30/40 snapshot slots, depending on
 * your Storage Box plan" (docs.hetzner.com/storage/storage-box/snapshots); BX11 is the smallest.
 */
export const BX11_SNAPSHOT_SLOTS = 10;

/** ZFS snapshot plans (UTC): after the nightly backup on primary, after the DR copies on DR. */
export const DEFAULT_SNAPSHOT_PLANS: Record<BoxRole, SnapshotPlan> = {
  primary: { maxSnapshots: BX11_SNAPSHOT_SLOTS, minute: 0, hour: 4 },
  dr: { maxSnapshots: BX11_SNAPSHOT_SLOTS, minute: 0, hour: 7 },
};

/** Names and settings of the boxes and subaccounts of a cell (pure). */
export function backupBoxPlan(cell: string, locations: Record<BoxRole, string>) {
  return (["primary", "dr"] as const).map((role) => ({
    role,
    name: `dezky-${cell}-backup-${role}`,
    location: locations[role],
    subaccounts: BACKUP_SOURCES.map((source) => ({
      source,
      homeDirectory: `${source}`,
      description: `dezky ${cell} ${source} backups (${role})`,
    })),
  }));
}

export interface BackupBoxesArgs {
  cell: string;
  /** Same location as the host. */
  primaryLocation: string;
  /** Another site, hel1 by default in the environments. */
  drLocation: string;
  /** Production: Pulumi protect on the boxes (deleteProtection is always on). */
  production: boolean;
  /** OpenSSH public keys for the main box user (set once; changing them would replace the box). */
  adminSshKeys?: string[];
  /** Allow access from outside Hetzner's network (CI, off-site restore drills). @default false */
  reachableExternally?: boolean;
  snapshotPlans?: Partial<Record<BoxRole, SnapshotPlan>>;
  labels?: Record<string, string>;
  /**
   * API token of a separate Hetzner project for the DR box (dezky:hcloudDrToken). Without it the
   * DR box shares the stack's project, whose token also sits in the cluster for DNS-01.
   */
  drToken?: pulumi.Input<string>;
}

export interface BackupRepository {
  /** sftp://<subaccount>@<server>:23/restic on the primary box. */
  url: pulumi.Output<string>;
  /** The same on the DR box. */
  drUrl: pulumi.Output<string>;
  /** Primary repository password (secret); the k8s source's also goes to the cluster. */
  password: pulumi.Output<string>;
  /** DR repository password (secret): only ever on the host, never in the cluster. */
  drPassword: pulumi.Output<string>;
  /** Subaccount logins (secret passwords) for installing SSH keys. */
  logins: Record<
    BoxRole,
    { user: pulumi.Output<string>; server: pulumi.Output<string>; password: pulumi.Output<string> }
  >;
}

export class BackupBoxes extends pulumi.ComponentResource {
  readonly boxes: Record<BoxRole, hcloud.StorageBox>;
  readonly repositories: Record<BackupSource, BackupRepository>;

  constructor(name: string, args: BackupBoxesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKUP_BOXES_TYPE, name, {}, opts);
    const plan = backupBoxPlan(args.cell, { primary: args.primaryLocation, dr: args.drLocation });
    const labels = { "dezky.io/cell": args.cell, "dezky.io/managed-by": "pulumi", ...args.labels };
    const boxes = {} as Record<BoxRole, hcloud.StorageBox>;
    const drProvider = args.drToken
      ? new hcloud.Provider(`${name}-dr-provider`, { token: args.drToken }, { parent: this })
      : undefined;
    const subs = {} as Record<
      BoxRole,
      Record<BackupSource, { sub: hcloud.StorageBoxSubaccount; password: pulumi.Output<string> }>
    >;

    for (const box of plan) {
      const password = storageBoxPassword(`${name}-${box.role}-password`, { parent: this });
      const storageBox = new hcloud.StorageBox(
        `${name}-${box.role}`,
        {
          name: box.name,
          storageBoxType: "bx11",
          location: box.location,
          password: password.result,
          labels: { ...labels, "dezky.io/role": `backup-${box.role}` },
          sshKeys: args.adminSshKeys,
          accessSettings: {
            sshEnabled: true,
            sambaEnabled: false,
            webdavEnabled: false,
            zfsEnabled: true,
            reachableExternally: args.reachableExternally ?? false,
          },
          snapshotPlan: args.snapshotPlans?.[box.role] ?? DEFAULT_SNAPSHOT_PLANS[box.role],
          deleteProtection: true,
        },
        {
          parent: this,
          protect: args.production,
          // Backups are customer data: a removed line forgets the box instead of deleting it.
          retainOnDelete: args.production,
          // The API cannot change SSH keys: a change would replace the box and lose its data.
          ignoreChanges: ["sshKeys"],
          additionalSecretOutputs: ["password"],
          ...(box.role === "dr" && drProvider ? { provider: drProvider } : {}),
        },
      );
      boxes[box.role] = storageBox;
      subs[box.role] = {} as Record<
        BackupSource,
        { sub: hcloud.StorageBoxSubaccount; password: pulumi.Output<string> }
      >;
      for (const account of box.subaccounts) {
        const subPassword = storageBoxPassword(`${name}-${box.role}-${account.source}-password`, {
          parent: this,
        });
        const sub = new hcloud.StorageBoxSubaccount(
          `${name}-${box.role}-${account.source}`,
          {
            storageBoxId: storageBox.id.apply(Number),
            homeDirectory: account.homeDirectory,
            password: subPassword.result,
            description: account.description,
            labels: { ...labels, "dezky.io/backup-source": account.source },
            accessSettings: {
              sshEnabled: true,
              sambaEnabled: false,
              webdavEnabled: false,
              readonly: false,
              reachableExternally: args.reachableExternally ?? false,
            },
          },
          {
            parent: storageBox,
            protect: args.production,
            additionalSecretOutputs: ["password"],
            ...(box.role === "dr" && drProvider ? { provider: drProvider } : {}),
          },
        );
        subs[box.role][account.source] = { sub, password: pulumi.secret(subPassword.result) };
      }
    }

    const url = (s: hcloud.StorageBoxSubaccount) =>
      pulumi
        .all([s.username, s.server])
        .apply(([user, server]) => sftpRepositoryUrl(user, server, REPOSITORY_PATH));
    const login = (role: BoxRole, source: BackupSource) => ({
      user: subs[role][source].sub.username,
      server: subs[role][source].sub.server,
      password: subs[role][source].password,
    });
    this.repositories = {} as Record<BackupSource, BackupRepository>;
    for (const source of BACKUP_SOURCES) {
      const password = repositoryPassword(`${name}-${source}-repository-password`, {
        parent: this,
      });
      const drPassword = repositoryPassword(`${name}-${source}-dr-repository-password`, {
        parent: this,
      });
      this.repositories[source] = {
        url: url(subs.primary[source].sub),
        drUrl: url(subs.dr[source].sub),
        password: pulumi.secret(password.result),
        drPassword: pulumi.secret(drPassword.result),
        logins: { primary: login("primary", source), dr: login("dr", source) },
      };
    }
    this.boxes = boxes;
    this.registerOutputs({
      primaryServer: boxes.primary.server,
      drServer: boxes.dr.server,
      repositories: Object.fromEntries(
        BACKUP_SOURCES.map((s) => [
          s,
          { url: this.repositories[s].url, drUrl: this.repositories[s].drUrl },
        ]),
      ),
    });
  }
}
