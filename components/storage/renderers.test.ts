import { describe, expect, it } from "vitest";
import { backupBoxPlan, BX11_SNAPSHOT_SLOTS, DEFAULT_SNAPSHOT_PLANS } from "./backup-boxes";
import { renderBackupEnrol, renderHostBackupInstall, renderKnownHosts } from "./backup-install";
import {
  alertSlug,
  etcdSnapshotMaxAgeHours,
  renderHostScripts,
  renderHostUnits,
} from "./backup-jobs";
import { defaultTargets, renderK8sBackupCronJobs, sftpCommandFor } from "./k8s-backup";
import {
  STORAGE_BOX_SPECIALS,
  storageBoxPasswordArgs,
  storageBoxPasswordProblem,
} from "./passwords";
import {
  BACKUP_ETC_DIR,
  BACKUP_LIB_DIR,
  DR_FORCED_COMMAND,
  sftpRepositoryUrl,
} from "./restic-scripts";

const retention = { daily: 7, weekly: 4, monthly: 12 };

describe("storage renderers", () => {
  it("password args and checker agree with the Storage Box policy", () => {
    const a = storageBoxPasswordArgs();
    expect(a.length).toBeGreaterThanOrEqual(12);
    expect(a.overrideSpecial).toBe(STORAGE_BOX_SPECIALS);
    expect(storageBoxPasswordProblem("Ab1-Ab1-Ab1-")).toBeUndefined();
    expect(storageBoxPasswordProblem("short1A-")).toMatch(/12-128/);
    expect(storageBoxPasswordProblem("abcdefgh1234-")).toMatch(/upper/);
    expect(storageBoxPasswordProblem("Abcdefgh1234$")).toMatch(/allowed set/);
  });

  it("derives repository URLs and sftp commands from subaccount outputs", () => {
    const url = sftpRepositoryUrl("u1-sub1", "u1-sub1.your-storagebox.de", "restic");
    expect(url).toBe("sftp://u1-sub1@u1-sub1.your-storagebox.de:23/restic");
    expect(sftpCommandFor(url)).toBe(
      "ssh -p 23 -i /ssh/id -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=/ssh/known_hosts -o StrictHostKeyChecking=yes u1-sub1@u1-sub1.your-storagebox.de -s sftp",
    );
    expect(() => sftpCommandFor("s3:https://x/y")).toThrow(/not an sftp/);
  });

  it("plans one subaccount per source on both boxes", () => {
    const plan = backupBoxPlan("prod-fsn1-a", { primary: "fsn1", dr: "hel1" });
    expect(plan.map((b) => [b.name, b.location, b.subaccounts.map((s) => s.source)])).toEqual([
      ["dezky-prod-fsn1-a-backup-primary", "fsn1", ["host", "k8s"]],
      ["dezky-prod-fsn1-a-backup-dr", "hel1", ["host", "k8s"]],
    ]);
  });

  it("renders timers for backup, DR copy and a daily check", () => {
    const names = renderHostUnits("*-*-* 02:30:00", "dev").map((u) => u.name);
    expect(names).toContain("dezky-backup-host.timer");
    expect(names).toContain("dezky-dr-copy-k8s.timer");
    expect(names).toContain("dezky-check-host.timer");
    const timer = renderHostUnits("*-*-* 02:30:00", "dev").find(
      (u) => u.name === "dezky-backup-host.timer",
    )!;
    expect(timer.content).toContain("OnCalendar=*-*-* 02:30:00");
  });

  it("renders the three CronJobs against the agreed services with the k8s repository secret", () => {
    const jobs = renderK8sBackupCronJobs(
      defaultTargets({ postgres: "postgres:17.6", mongodb: "mongo:8.0.13" }),
      "dev",
      retention,
    );
    const text = JSON.stringify(jobs);
    expect(jobs.map((j) => (j.metadata as { namespace: string }).namespace)).toEqual([
      "authentik",
      "portal",
      "ocis",
    ]);
    expect(text).toContain("-h authentik-postgresql");
    expect(text).toContain('"claimName":"ocis-metadata","readOnly":true');
    expect(text).toContain('"secretRef":{"name":"restic-repo"}');
    expect(text).toContain("--keep-daily 7 --keep-weekly 4 --keep-monthly 12");
  });

  it("the host install and enrolment scripts keep secrets off the command text", () => {
    const args = {
      cell: "dev",
      stack: "dev",
      schedule: "*-*-* 02:30:00",
      retention,
      sources: [
        {
          source: "host" as const,
          primary: { user: "u1-sub1", server: "u1-sub1.your-storagebox.de", port: 23 },
          dr: { user: "u2-sub1", server: "u2-sub1.your-storagebox.de", port: 23 },
        },
      ],
      hostKeys: { primary: [HOST_KEY], dr: [HOST_KEY] },
      k8sNamespaces: ["authentik"],
      etcdSnapshotSchedule: "0 */6 * * *",
    };
    const install = renderHostBackupInstall(args);
    expect(install).toContain("secret[REPO_PASSWORD_HOST_DR]");
    expect(install).not.toMatch(/REPO_PASSWORD_HOST=\S/);
    expect(install).not.toContain("SUB_PASSWORD");
    const enrol = renderBackupEnrol(args);
    expect(enrol).toContain("secret[SUB_PASSWORD_HOST_DR]");
    expect(enrol).toContain(`restrict,command="%s"`);
    expect(enrol).toContain(DR_FORCED_COMMAND);
  });
});

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmnaA0oPq3m2Xg3cRpxtSmsyX7Pe0EDSGdD4GxGg6Lk";
const login = (n: number) => ({
  user: `u${n}-sub1`,
  server: `u${n}-sub1.your-storagebox.de`,
  port: 23,
});

describe("Storage Box host keys are pinned, never trusted on first use", () => {
  const sources = [{ source: "host" as const, primary: login(1), dr: login(2) }];
  it("renders known_hosts lines per login with the box's port", () => {
    expect(renderKnownHosts(sources, { primary: [HOST_KEY], dr: [HOST_KEY] })).toBe(
      `[u1-sub1.your-storagebox.de]:23 ${HOST_KEY}\n[u2-sub1.your-storagebox.de]:23 ${HOST_KEY}\n`,
    );
  });
  it("fails closed with the file, the field and the fix when a box has no pinned key", () => {
    const args = {
      cell: "prod-fsn1-a",
      stack: "prod",
      schedule: "*-*-* 02:30:00",
      retention,
      sources,
      hostKeys: { primary: [HOST_KEY], dr: [] },
      k8sNamespaces: [],
      etcdSnapshotSchedule: "0 */6 * * *",
    };
    for (const script of [renderHostBackupInstall(args), renderBackupEnrol(args)]) {
      expect(script).toMatch(/stacks\/prod\.ts: backup\.hostKeys\.dr is empty/);
      expect(script).toMatch(/exit 1\n$/);
      expect(script).not.toMatch(/sftp|restic|accept-new/);
    }
  });
  it("no rendered script or wrapper accepts new host keys", () => {
    for (const text of Object.values(renderHostScripts())) {
      expect(text).not.toMatch(/accept-new|StrictHostKeyChecking=no/);
    }
    expect(sftpCommandFor("sftp://u@h:23/restic")).toContain("StrictHostKeyChecking=yes");
  });
});

describe("scheduled jobs and alerting", () => {
  it("runs every job daily through run-job with the cell's slug", () => {
    const units = renderHostUnits("*-*-* 02:30:00", "prod-fsn1-a");
    const services = units.filter((u) => u.name.endsWith(".service"));
    expect(services.map((u) => u.content.match(/ExecStart=(.*)/)![1])).toEqual([
      `${BACKUP_LIB_DIR}/run-job backup ${BACKUP_ETC_DIR}/host.env prod-fsn1-a-backup-host`,
      `${BACKUP_LIB_DIR}/run-job dr-copy ${BACKUP_ETC_DIR}/host.env prod-fsn1-a-dr-copy-host`,
      `${BACKUP_LIB_DIR}/run-job dr-copy ${BACKUP_ETC_DIR}/k8s.env prod-fsn1-a-dr-copy-k8s`,
      `${BACKUP_LIB_DIR}/run-job check ${BACKUP_ETC_DIR}/host.env prod-fsn1-a-check-host`,
      `${BACKUP_LIB_DIR}/run-job check ${BACKUP_ETC_DIR}/k8s.env prod-fsn1-a-check-k8s`,
      `${BACKUP_LIB_DIR}/run-job etcd-snapshots ${BACKUP_ETC_DIR}/etcd.env prod-fsn1-a-etcd-snapshots`,
    ]);
    for (const timer of units.filter((u) => u.name.endsWith(".timer"))) {
      // Daily, so each check's 1-day period on the alerting service fits (dead-man's switch).
      expect(timer.content).toMatch(/OnCalendar=\*-\*-\* \d\d:\d\d:00/);
    }
  });
  it("derives the etcd snapshot age limit from the schedule", () => {
    expect(etcdSnapshotMaxAgeHours("0 */6 * * *")).toBe(13);
    expect(etcdSnapshotMaxAgeHours("15 */12 * * *")).toBe(25);
    expect(etcdSnapshotMaxAgeHours("0 3 * * *")).toBe(25);
  });
  it("refuses slugs the alerting service would not accept", () => {
    expect(alertSlug("dev", "backup", "host")).toBe("dev-backup-host");
    expect(() => alertSlug("Dev", "backup")).toThrow(/not a-z0-9/);
  });
  it("keeps the snapshot plans within a BX11's 10 slots", () => {
    for (const plan of Object.values(DEFAULT_SNAPSHOT_PLANS)) {
      expect(plan.maxSnapshots).toBeLessThanOrEqual(BX11_SNAPSHOT_SLOTS);
    }
    expect(BX11_SNAPSHOT_SLOTS).toBe(10);
  });
});
