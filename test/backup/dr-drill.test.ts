/**
 * Backup drill with real tools (docs/backups.md): two loopback "Storage Boxes" (sshd, one
 * subaccount each, passwords ending in "="), the *rendered* enrolment and install scripts, the
 * installed backup / DR copy / check jobs with real restic and rclone, then:
 * - DR is its own trust domain: its own repository password and its own key; the primary key
 *   does not open DR, the DR key opens neither SFTP on DR nor the primary;
 * - everything the host holds cannot delete DR history (append-only forced command);
 * - after the DR repository is destroyed with credentials that passed through the host, the
 *   documented path (the box's own snapshot, here a copy no subaccount can reach) brings it back,
 *   and scripts/restore --dr gives back identical bytes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BackupDirs,
  renderBackupEnrol,
  renderHostBackupInstall,
  type SourceRepos,
} from "../../components/storage/backup-install";
import {
  type Box,
  filesUnder,
  missingTools,
  run,
  startBox,
  stopBox,
  which,
  writeStubs,
} from "./loopback-boxes";

const root = path.resolve(__dirname, "..", "..");
const missing = missingTools();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-drill-"));
const dirs: BackupDirs = {
  etcDir: path.join(tmp, "etc"),
  libDir: path.join(tmp, "lib"),
  unitDir: path.join(tmp, "units"),
  cacheDir: path.join(tmp, "cache"),
};
const data = path.join(tmp, "data");
const stubs = path.join(tmp, "stubs");
// Generated-looking secrets that end in "=" (base64 padding, Storage Box special characters).
const subPassword = (role: string) => `Ab1-${role}-${crypto.randomBytes(6).toString("hex")}=`;
const repoPasswords = {
  primary: `${crypto.randomBytes(16).toString("base64")}x=`,
  dr: `${crypto.randomBytes(16).toString("base64")}y==`,
};
let primary: Box | undefined;
let dr: Box | undefined;
let sources: SourceRepos[] = [];
const envFile = path.join(dirs.etcDir, "host.env");
const lib = (job: string) => path.join(dirs.libDir, job);
const stubPath = () => `${stubs}:${process.env.PATH}`;

function installArgs() {
  return {
    cell: "drill",
    stack: "dev",
    schedule: "*-*-* 02:30:00",
    retention: { daily: 7, weekly: 4, monthly: 12 },
    sources,
    hostKeys: { primary: [primary!.hostKey], dr: [dr!.hostKey] },
    k8sNamespaces: [],
    etcdSnapshotSchedule: "0 */6 * * *",
    dirs,
    hostPaths: [path.join(data, "stalwart"), path.join(data, "k3s")],
  };
}

function installStdin(): string {
  return `REPO_PASSWORD_HOST=${repoPasswords.primary}\nREPO_PASSWORD_HOST_DR=${repoPasswords.dr}\n`;
}

/** restic against the DR box with explicit credentials (what an attacker on the host could do). */
function resticDr(args: string[], opts: { key?: string; passwordFile?: string } = {}) {
  const wrapper = path.join(tmp, "attacker-ssh-dr");
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\nexec ssh -p ${dr!.port} -i ${opts.key ?? path.join(dirs.etcDir, "id_host_dr")} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${path.join(dirs.etcDir, "known_hosts")} -o StrictHostKeyChecking=yes ${dr!.user}@127.0.0.1 "$@"\n`,
    { mode: 0o755 },
  );
  return run(
    "restic",
    [
      "-r",
      "rclone:restic",
      "-o",
      `rclone.program=${wrapper}`,
      "--password-file",
      opts.passwordFile ?? path.join(dirs.etcDir, "host-dr.password"),
      ...args,
    ],
    { allowFail: true, env: { RESTIC_CACHE_DIR: path.join(tmp, "attacker-cache") } },
  );
}

function sftp(box: Box, key: string, batch: string) {
  return run(
    "sftp",
    [
      "-b",
      "-",
      "-P",
      String(box.port),
      "-i",
      key,
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      "BatchMode=yes",
      "-o",
      `UserKnownHostsFile=${path.join(dirs.etcDir, "known_hosts")}`,
      "-o",
      "StrictHostKeyChecking=yes",
      `${box.user}@127.0.0.1`,
    ],
    { input: batch, allowFail: true },
  );
}

function sftpWithPassword(box: Box, batch: string) {
  return run(
    "sshpass",
    [
      "-e",
      "sftp",
      "-o",
      "BatchMode=no",
      "-b",
      "-",
      "-P",
      String(box.port),
      "-o",
      "PubkeyAuthentication=no",
      "-o",
      `UserKnownHostsFile=${path.join(dirs.etcDir, "known_hosts")}`,
      "-o",
      "StrictHostKeyChecking=yes",
      `${box.user}@127.0.0.1`,
    ],
    { input: batch, allowFail: true, env: { SSHPASS: box.password } },
  );
}

const drSnapshots = () => {
  const r = resticDr(["snapshots", "--json"]);
  if (r.status !== 0) throw new Error(`DR snapshots failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Array<{ id: string; original?: string }>;
};

beforeAll(async () => {
  if (missing.length > 0) return;
  fs.chmodSync(tmp, 0o755);
  primary = await startBox(tmp, "primary", subPassword("primary"));
  dr = await startBox(tmp, "dr", subPassword("dr"));
  const login = (b: Box) => ({ user: b.user, server: "127.0.0.1", port: b.port });
  sources = [{ source: "host", primary: login(primary), dr: login(dr) }];
  fs.mkdirSync(path.join(data, "stalwart", "blobs"), { recursive: true });
  fs.mkdirSync(path.join(data, "k3s", "db"), { recursive: true });
  fs.writeFileSync(path.join(data, "stalwart", "blobs", "msg-1"), crypto.randomBytes(700_000));
  fs.writeFileSync(path.join(data, "stalwart", "config.toml"), "[server]\nhostname = 'mail'\n");
  fs.writeFileSync(path.join(data, "k3s", "db", "snapshot"), crypto.randomBytes(300_000));
  fs.writeFileSync(path.join(data, "k3s", "token"), "K10abc::server:secret\n");
  writeStubs(stubs, {
    systemctl: `echo "systemctl $*" >>${path.join(tmp, "systemctl.log")}`,
    kubectl: "cat >/dev/null; exit 0",
    "apt-get": 'echo "apt-get must not be needed here: $*" >&2; exit 1',
  });
}, 60_000);

afterAll(() => {
  stopBox(primary);
  stopBox(dr);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("backup drill: DR as its own trust domain", () => {
  it("has the tools it needs", () => {
    expect(missing, "apt-get install -y restic rclone sshpass openssh-server curl").toEqual([]);
  });

  it("enrols and installs with secrets that end in '=' (every byte kept)", () => {
    // The component sends the secrets on stdin; the script is a file here.
    const enrolScript = path.join(tmp, "enrol.sh");
    fs.writeFileSync(enrolScript, renderBackupEnrol(installArgs()));
    const stdin = `SUB_PASSWORD_HOST_PRIMARY=${primary!.password}\nSUB_PASSWORD_HOST_DR=${dr!.password}\n`;
    const enrolled = run("bash", [enrolScript], {
      input: stdin,
      env: { PATH: stubPath() },
      allowFail: true,
    });
    expect(enrolled.status, enrolled.stderr).toBe(0);
    const installScript = path.join(tmp, "install.sh");
    fs.writeFileSync(installScript, renderHostBackupInstall(installArgs()));
    const installed = run("bash", [installScript], {
      input: installStdin(),
      env: { PATH: stubPath() },
      allowFail: true,
    });
    expect(installed.status, installed.stderr).toBe(0);
    expect(installed.stdout).toContain("backups installed for cell drill");
    expect(fs.readFileSync(path.join(dirs.etcDir, "host.password"), "utf8")).toBe(
      repoPasswords.primary,
    );
    expect(fs.readFileSync(path.join(dirs.etcDir, "host-dr.password"), "utf8")).toBe(
      repoPasswords.dr,
    );
  });

  it("fails the install when kubectl fails (no 'backups installed' without the CronJobs' secret)", () => {
    const installScript = path.join(tmp, "install-k8s.sh");
    fs.writeFileSync(
      installScript,
      renderHostBackupInstall({ ...installArgs(), k8sNamespaces: ["authentik"] }),
    );
    const failing = writeStubs(path.join(tmp, "failing-kubectl"), {
      kubectl: 'cat >/dev/null; echo "kubectl: connection refused" >&2; exit 1',
    });
    const r = run("bash", [installScript], {
      input: installStdin(),
      env: { PATH: `${failing}:${stubPath()}` },
      allowFail: true,
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain("backups installed");
    expect(r.stderr).toContain("connection refused");
  });

  it("backs up, copies to DR with its own password, and checks both", () => {
    run(lib("backup"), [envFile]);
    fs.writeFileSync(path.join(data, "stalwart", "blobs", "msg-2"), crypto.randomBytes(50_000));
    run(lib("backup"), [envFile]);
    run(lib("dr-copy"), [envFile]);
    run(lib("dr-copy"), [envFile]); // idempotent
    run(lib("check"), [envFile]);
    const copies = drSnapshots();
    expect(copies).toHaveLength(1);
    // Own password: the primary repository's password does not open DR (and vice versa).
    const wrong = resticDr(["snapshots"], {
      passwordFile: path.join(dirs.etcDir, "host.password"),
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/wrong password|no key found/);
    const primaryWithDrPassword = run(
      "bash",
      [
        "-c",
        `set -a; . '${envFile}'; set +a; PATH='${dirs.libDir}':$PATH restic --password-file '${path.join(dirs.etcDir, "host-dr.password")}' snapshots`,
      ],
      { allowFail: true },
    );
    expect(primaryWithDrPassword.stderr).toMatch(/wrong password|no key found/);
  }, 180_000);

  it("keeps the keys apart: primary key refused on DR, DR key refused on primary and for SFTP", () => {
    const primaryKey = path.join(dirs.etcDir, "id_host");
    const drKey = path.join(dirs.etcDir, "id_host_dr");
    expect(fs.readFileSync(`${primaryKey}.pub`, "utf8")).not.toBe(
      fs.readFileSync(`${drKey}.pub`, "utf8"),
    );
    expect(sftp(primary!, primaryKey, "ls\n").status).toBe(0);
    expect(sftp(dr!, primaryKey, "ls\n").status).not.toBe(0);
    expect(sftp(primary!, drKey, "ls\n").status).not.toBe(0);
    expect(sftp(dr!, drKey, "ls\n").status).not.toBe(0); // forced rclone, never SFTP
  });

  it("cannot delete DR history with anything the host holds", () => {
    const before = drSnapshots();
    const forget = resticDr(["forget", "--prune", "--keep-last", "0", "--keep-tag", "none"]);
    expect(forget.status).not.toBe(0);
    expect(forget.stderr).toMatch(/403|Forbidden/);
    run(
      "ssh",
      [
        "-p",
        String(dr!.port),
        "-i",
        path.join(dirs.etcDir, "id_host_dr"),
        "-o",
        "BatchMode=yes",
        "-o",
        `UserKnownHostsFile=${path.join(dirs.etcDir, "known_hosts")}`,
        `${dr!.user}@127.0.0.1`,
        "rm -rf restic",
      ],
      { allowFail: true, input: "" },
    );
    expect(drSnapshots().map((s) => s.id)).toEqual(before.map((s) => s.id));
    expect(fs.existsSync(path.join(dr!.home, "restic", "config"))).toBe(true);
    run(lib("check"), [envFile]);
  }, 180_000);

  it("restores DR from the box's snapshot after the repository was destroyed", () => {
    // The box's own snapshot: a copy in a directory that only the box (root) can read.
    const snapshotRoot = path.join(tmp, "box-dr-zfs");
    fs.mkdirSync(snapshotRoot, { mode: 0o700 });
    run("cp", ["-a", path.join(dr!.home, "restic"), path.join(snapshotRoot, "restic")]);
    expect(sftpWithPassword(dr!, `ls ${snapshotRoot}/restic\n`).status).not.toBe(0);

    // Worst case: the subaccount password (sent to the host at enrolment) is used to destroy it.
    const destroyed = sftpWithPassword(
      dr!,
      "rm restic/config\nrm restic/keys/*\nrm restic/snapshots/*\n",
    );
    expect(destroyed.status, destroyed.stderr).toBe(0);
    const gone = run(
      path.join(root, "scripts", "restore"),
      ["--env", envFile, "--dr", "snapshots"],
      {
        allowFail: true,
      },
    );
    expect(gone.status).not.toBe(0);

    // Documented path (docs/runbooks/restore.md "DR repository destroyed"): roll the box back.
    fs.rmSync(path.join(dr!.home, "restic"), { recursive: true, force: true });
    run("cp", ["-a", path.join(snapshotRoot, "restic"), path.join(dr!.home, "restic")]);
    run(lib("check"), [envFile]);
    const target = path.join(tmp, "restored");
    run(path.join(root, "scripts", "restore"), [
      "--env",
      envFile,
      "--dr",
      "restore",
      "latest",
      "--target",
      target,
    ]);
    const restored = filesUnder(path.join(target, data));
    expect(Object.keys(restored)).toHaveLength(5);
    expect(restored).toEqual(filesUnder(data));

    const refused = spawnSync(
      path.join(root, "scripts", "restore"),
      ["--env", envFile, "--dr", "restore", "latest", "--target", target],
      { encoding: "utf8" },
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/not empty; refusing to overwrite/);
  }, 180_000);

  it("restore prints usage, refuses unknown services and unpinned hosts", () => {
    const help = execFileSync(path.join(root, "scripts", "restore"), ["--help"], {
      encoding: "utf8",
    });
    expect(help).toMatch(/Usage: scripts\/restore/);
    const bad = run(
      path.join(root, "scripts", "restore"),
      ["--env", envFile, "service", "nope", "--target", "/tmp/x"],
      { allowFail: true },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown service: nope/);
    const unpinnedEnv = path.join(tmp, "unpinned.env");
    fs.writeFileSync(
      unpinnedEnv,
      fs
        .readFileSync(envFile, "utf8")
        .replace(/DEZKY_KNOWN_HOSTS=.*/, `DEZKY_KNOWN_HOSTS='${path.join(tmp, "none")}'`),
    );
    const unpinned = run(
      path.join(root, "scripts", "restore"),
      ["--env", unpinnedEnv, "snapshots"],
      {
        allowFail: true,
      },
    );
    expect(unpinned.status).toBe(2);
    expect(unpinned.stderr).toMatch(/known_hosts .* is not readable \(pinned box host keys/);
  });

  it("every rendered script passes shellcheck", () => {
    if (!which("shellcheck")) return;
    const scripts = {
      enrol: renderBackupEnrol(installArgs()),
      install: renderHostBackupInstall(installArgs()),
      ...Object.fromEntries(
        fs.readdirSync(dirs.libDir).map((f) => [f, fs.readFileSync(lib(f), "utf8")]),
      ),
    };
    for (const [name, text] of Object.entries(scripts)) {
      const file = path.join(tmp, `sc-${name}`);
      fs.writeFileSync(file, text);
      const r = spawnSync("shellcheck", ["-x", file], { encoding: "utf8" });
      expect(r.stdout + r.stderr, name).toBe("");
    }
    const restore = spawnSync("shellcheck", [path.join(root, "scripts", "restore")], {
      encoding: "utf8",
    });
    expect(restore.stdout).toBe("");
  });
});
