import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { backupBoxPlan } from "./backup-boxes";
import { renderHostBackupInstall } from "./host-backup";
import { defaultTargets, renderK8sBackupCronJobs, sftpCommandFor } from "./k8s-backup";
import {
  STORAGE_BOX_SPECIALS,
  storageBoxPasswordArgs,
  storageBoxPasswordProblem,
} from "./passwords";
import { renderHostUnits, sftpRepositoryUrl } from "./restic-scripts";

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

  it("renders timers for backup, DR copy and a weekly check", () => {
    const names = renderHostUnits("*-*-* 02:30:00").map((u) => u.name);
    expect(names).toContain("dezky-backup-host.timer");
    expect(names).toContain("dezky-dr-copy-k8s.timer");
    expect(names).toContain("dezky-check-host.timer");
    const timer = renderHostUnits("*-*-* 02:30:00").find(
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

  it("the host install script keeps secrets off the command text and passes shellcheck", () => {
    const script = renderHostBackupInstall({
      cell: "dev",
      schedule: "*-*-* 02:30:00",
      retention,
      sources: [
        {
          source: "host",
          url: "sftp://u1-sub1@s1:23/restic",
          drUrl: "sftp://u2-sub1@s2:23/restic",
          logins: [{ user: "u1-sub1", server: "s1", secretVar: "SUB_PASSWORD_HOST_PRIMARY" }],
        },
      ],
      k8sNamespaces: ["authentik"],
    });
    expect(script).toContain("secret[SUB_PASSWORD_HOST_PRIMARY]");
    expect(script).not.toMatch(/REPO_PASSWORD_HOST=\S/);
    const r = spawnSync("sh", ["-c", "command -v shellcheck"]);
    if (r.status !== 0) return;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sc-")), "install.sh");
    fs.writeFileSync(file, script);
    const sc = spawnSync("shellcheck", [file], { encoding: "utf8" });
    expect(sc.stdout).toBe("");
  });
});
