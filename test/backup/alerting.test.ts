/**
 * Alerting with real tools (docs/alerting.md): the rendered run-job wrapper, backup, check,
 * DR copy and etcd snapshot check, and the k8s CronJob script, each reporting its exit status
 * to a fake Healthchecks ping endpoint on loopback. Success pings `/<slug>/0`; every failure
 * pings a non-zero status with the output's tail, which alerts at once on the service. A job
 * that never runs sends nothing, which the service's period + grace turns into an alert.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHostScripts } from "../../components/storage/backup-jobs";
import { resticJobScript } from "../../components/storage/k8s-backup";
import { renderResticEnv } from "../../components/storage/restic-scripts";
import { type PingServer, run, startPingServer, which, writeStubs } from "./loopback-boxes";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-alert-"));
const lib = path.join(tmp, "lib");
const alertFile = path.join(tmp, "alert.url");
const data = path.join(tmp, "data");
const missing = ["restic", "curl", "wget"].filter((b) => !which(b));
let ping: PingServer;

function envFile(name: string, overrides: Partial<Parameters<typeof renderResticEnv>[0]> = {}) {
  const file = path.join(tmp, `${name}.env`);
  fs.writeFileSync(
    file,
    renderResticEnv({
      repository: path.join(tmp, "repo"),
      passwordFile: path.join(tmp, "password"),
      sshKey: path.join(tmp, "none"),
      knownHosts: path.join(tmp, "known_hosts"),
      drTarget: "nobody@127.0.0.1",
      drPort: 1,
      drSshKey: path.join(tmp, "none"),
      drPasswordFile: path.join(tmp, "password"),
      paths: [data],
      hostTag: "alert-cell",
      retention: { daily: 7, weekly: 4, monthly: 12 },
      cacheDir: path.join(tmp, "cache"),
      ...overrides,
    }),
  );
  return file;
}

function runJob(job: string, env: string, slug: string, extra: NodeJS.ProcessEnv = {}) {
  return run(path.join(lib, "run-job"), [job, env, slug], {
    allowFail: true,
    env: { DEZKY_ALERT_URL_FILE: alertFile, ...extra },
  });
}

const lastPing = () => ping.pings()[ping.pings().length - 1];

beforeAll(async () => {
  if (missing.length) return;
  ping = await startPingServer(path.join(tmp, "pings.jsonl"));
  fs.mkdirSync(lib);
  for (const [name, content] of Object.entries(renderHostScripts(alertFile))) {
    fs.writeFileSync(path.join(lib, name), content, { mode: 0o755 });
  }
  fs.writeFileSync(alertFile, `${ping.url}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(tmp, "password"), "alert-test-password=", { mode: 0o600 });
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(data, "file"), "payload\n");
});

afterAll(async () => {
  await ping?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("every job reports its exit status to the alerting service", () => {
  it("has the tools it needs", () => {
    expect(missing, "apt-get install -y restic curl wget").toEqual([]);
  });

  it("a successful backup pings success with its log", () => {
    const r = runJob("backup", envFile("ok"), "alert-cell-backup-host");
    expect(r.status, r.stderr).toBe(0);
    expect(lastPing()).toMatchObject({
      method: "POST",
      path: "/ping-key-test/alert-cell-backup-host/0?create=1",
    });
    expect(lastPing().body).toMatch(/done/);
  });

  it("a failing backup fires the alert with the error, and keeps its exit status", () => {
    const r = runJob(
      "backup",
      envFile("nothing", { paths: [path.join(tmp, "gone")] }),
      "alert-cell-backup-host",
    );
    expect(r.status).toBe(1);
    expect(lastPing().path).toBe("/ping-key-test/alert-cell-backup-host/1?create=1");
    expect(lastPing().body).toMatch(/nothing to back up/);
    const wrongPassword = path.join(tmp, "wrong");
    fs.writeFileSync(wrongPassword, "not-the-password");
    const bad = runJob(
      "backup",
      envFile("badpw", { passwordFile: wrongPassword }),
      "alert-cell-backup-host",
    );
    expect(bad.status).not.toBe(0);
    expect(lastPing().path).toMatch(/\/alert-cell-backup-host\/[1-9]\d*\?create=1$/);
    expect(lastPing().body).toMatch(/Fatal: /);
  });

  it("a failing check and a failing DR copy fire alerts too", () => {
    const check = runJob("check", envFile("ok"), "alert-cell-check-host");
    expect(check.status).not.toBe(0); // the DR repository is unreachable here
    expect(lastPing().path).toMatch(/\/alert-cell-check-host\/[1-9]\d*\?create=1$/);
    const copy = runJob("dr-copy", envFile("ok"), "alert-cell-dr-copy-host");
    expect(copy.status).not.toBe(0);
    expect(lastPing().path).toMatch(/\/alert-cell-dr-copy-host\/[1-9]\d*\?create=1$/);
  });

  it("the etcd snapshot check alerts on an old snapshot or one missing in S3", () => {
    const dir = path.join(tmp, "snapshots");
    fs.mkdirSync(dir);
    const name = "etcd-snapshot-alert-cell-1700000000.zip";
    fs.writeFileSync(path.join(dir, name), "x");
    const stubs = writeStubs(path.join(tmp, "stubs"), {
      k3s: `echo "${name} s3://dezky-etcd/alert-cell/${name} 1 2026-01-01T00:00:00Z"`,
    });
    const env = path.join(tmp, "etcd.env");
    fs.writeFileSync(env, `DEZKY_ETCD_MAX_AGE_HOURS=13\nDEZKY_ETCD_SNAPSHOT_DIR=${dir}\n`);
    const withStubs = { PATH: `${stubs}:${process.env.PATH}` };
    expect(runJob("etcd-snapshots", env, "alert-cell-etcd-snapshots", withStubs).status).toBe(0);
    expect(lastPing().path).toBe("/ping-key-test/alert-cell-etcd-snapshots/0?create=1");

    const old = new Date(Date.now() - 14 * 3600_000);
    fs.utimesSync(path.join(dir, name), old, old);
    expect(runJob("etcd-snapshots", env, "alert-cell-etcd-snapshots", withStubs).status).toBe(1);
    expect(lastPing().path).toBe("/ping-key-test/alert-cell-etcd-snapshots/1?create=1");
    expect(lastPing().body).toMatch(/14h old \(limit 13h\)/);

    fs.utimesSync(path.join(dir, name), new Date(), new Date());
    writeStubs(path.join(tmp, "stubs"), { k3s: "echo 'some-other-snapshot 1'" });
    expect(runJob("etcd-snapshots", env, "alert-cell-etcd-snapshots", withStubs).status).toBe(1);
    expect(lastPing().body).toMatch(/not listed in S3/);
  });

  it("no ping URL configured: the job still runs and says so", () => {
    const r = runJob("backup", envFile("ok"), "alert-cell-backup-host", {
      DEZKY_ALERT_URL_FILE: path.join(tmp, "absent"),
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/no alerting configured/);
  });

  it("the k8s CronJob script reports success and failure with busybox-style wget (no curl)", () => {
    // Only what the restic image has: sh, restic, wget, cat, tail (no curl).
    const bin = path.join(tmp, "image-bin");
    fs.mkdirSync(bin);
    for (const tool of ["sh", "restic", "wget", "cat", "tail"]) {
      const found = run("sh", ["-c", `command -v ${tool}`]).stdout.trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    const env = {
      PATH: bin,
      RESTIC_REPOSITORY: path.join(tmp, "k8s-repo"),
      RESTIC_PASSWORD: "k8s-password=",
      RESTIC_CACHE_DIR: path.join(tmp, "k8s-cache"),
      DEZKY_SFTP_COMMAND: "ssh -p 23 x@y -s sftp",
      DEZKY_CELL: "alert-cell",
      DEZKY_ALERT_URL: ping.url,
    };
    const script = resticJobScript("ocis-metadata", data, { daily: 7, weekly: 4, monthly: 12 });
    const ok = run(path.join(bin, "sh"), ["-c", script], { env, allowFail: true });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(lastPing().path).toBe("/ping-key-test/alert-cell-backup-ocis-metadata/0?create=1");
    const failed = run(path.join(bin, "sh"), ["-c", script], {
      env: { ...env, RESTIC_PASSWORD: "wrong" },
      allowFail: true,
    });
    expect(failed.status).not.toBe(0);
    expect(lastPing().path).toMatch(/\/alert-cell-backup-ocis-metadata\/[1-9]\d*\?create=1$/);
    expect(lastPing().body).toMatch(/Fatal: /);
  });
});
