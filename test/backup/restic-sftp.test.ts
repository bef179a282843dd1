/**
 * End-to-end backup drill with real tools: openssh-server's sshd on 127.0.0.1 (two ports =
 * two "Storage Boxes"), a throwaway user and key, the *rendered* backup and DR copy scripts
 * with the real restic, then scripts/restore from the DR repository, byte-compared with the
 * originals. Needs the apt packages restic and openssh-server (shellcheck optional).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  renderHostScripts,
  renderResticEnv,
  sftpRepositoryUrl,
} from "../../components/storage/restic-scripts";

const root = path.resolve(__dirname, "..", "..");
const which = (bin: string) => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;
const SSHD = ["/usr/sbin/sshd", "/usr/bin/sshd"].find((p) => fs.existsSync(p));
const missing = [
  !which("restic") && "restic",
  !SSHD && "openssh-server (sshd)",
  !which("ssh-keygen") && "ssh-keygen",
].filter(Boolean);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-restic-"));
const isRoot = process.getuid?.() === 0;
const user = isRoot ? `dzbk${crypto.randomBytes(3).toString("hex")}` : os.userInfo().username;
let sshd: ChildProcess | undefined;
let ports: number[] = [];
let envFile = "";
const lib = path.join(tmp, "lib");
const data = path.join(tmp, "data");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve();
      });
      socket.on("error", () =>
        Date.now() > deadline
          ? reject(new Error(`sshd not listening on ${port}`))
          : setTimeout(attempt, 100),
      );
    };
    attempt();
  });
}

function snapshots(
  repo: string,
): Array<{ id: string; paths: string[]; original?: string; tags?: string[]; hostname: string }> {
  return JSON.parse(
    run(
      "restic",
      ["-r", repo, "--password-file", path.join(tmp, "password"), "snapshots", "--json"],
      {
        PATH: `${lib}:${process.env.PATH}`,
        DEZKY_SSH_KEY: path.join(tmp, "id_backup"),
        DEZKY_KNOWN_HOSTS: path.join(tmp, "known_hosts"),
        RESTIC_CACHE_DIR: path.join(tmp, "cache"),
      },
    ),
  );
}

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        out[path.relative(dir, full)] = crypto
          .createHash("sha256")
          .update(fs.readFileSync(full))
          .digest("hex");
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  if (missing.length > 0) return;
  fs.chmodSync(tmp, 0o755);
  ports = [await freePort(), await freePort()];
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(tmp, "host_key")]);
  run("ssh-keygen", [
    "-q",
    "-t",
    "ed25519",
    "-N",
    "",
    "-C",
    "dezky-backup-test",
    "-f",
    path.join(tmp, "id_backup"),
  ]);
  fs.copyFileSync(path.join(tmp, "id_backup.pub"), path.join(tmp, "authorized_keys"));
  fs.chmodSync(path.join(tmp, "authorized_keys"), 0o644);
  for (const box of ["primary", "dr"])
    fs.mkdirSync(path.join(tmp, "boxes", box), { recursive: true });
  if (isRoot) {
    // "-p *": no password but not locked (sshd without PAM refuses locked accounts).
    run("useradd", ["-M", "-p", "*", "-d", path.join(tmp, "boxes"), "-s", "/bin/sh", user]);
    run("chown", ["-R", `${user}:`, path.join(tmp, "boxes")]);
    fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  }
  fs.writeFileSync(
    path.join(tmp, "sshd_config"),
    [
      ...ports.map((p) => `Port ${p}`),
      "ListenAddress 127.0.0.1",
      `HostKey ${path.join(tmp, "host_key")}`,
      `PidFile ${path.join(tmp, "sshd.pid")}`,
      `AuthorizedKeysFile ${path.join(tmp, "authorized_keys")}`,
      "StrictModes no",
      "UsePAM no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      `AllowUsers ${user}`,
      "Subsystem sftp internal-sftp",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  sshd = spawn(SSHD!, ["-D", "-e", "-f", path.join(tmp, "sshd_config")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let sshdErr = "";
  sshd.stderr?.on("data", (d) => (sshdErr += String(d)));
  await Promise.all(ports.map(waitForPort)).catch((e) => {
    throw new Error(`${e}\n${sshdErr}`);
  });

  // The data a host holds: Stalwart's store and k3s server state (binary and text).
  fs.mkdirSync(path.join(data, "stalwart", "blobs"), { recursive: true });
  fs.mkdirSync(path.join(data, "k3s", "server", "db"), { recursive: true });
  fs.writeFileSync(path.join(data, "stalwart", "blobs", "msg-1"), crypto.randomBytes(700_000));
  fs.writeFileSync(
    path.join(data, "stalwart", "config.toml"),
    "[server]\nhostname = 'mail.dezky.test'\n",
  );
  fs.writeFileSync(path.join(data, "k3s", "server", "db", "snapshot"), crypto.randomBytes(300_000));
  fs.writeFileSync(path.join(data, "k3s", "server", "token"), "K10abc::server:secret\n");

  fs.mkdirSync(lib);
  for (const [name, content] of Object.entries(renderHostScripts())) {
    fs.writeFileSync(path.join(lib, name), content, { mode: 0o755 });
  }
  fs.writeFileSync(path.join(tmp, "password"), crypto.randomBytes(24).toString("base64"), {
    mode: 0o600,
  });
  envFile = path.join(tmp, "host.env");
  fs.writeFileSync(
    envFile,
    renderResticEnv({
      // "//" = absolute path on the SFTP server (the Storage Box uses a relative one).
      repository: sftpRepositoryUrl(
        user,
        "127.0.0.1",
        path.join(tmp, "boxes", "primary", "restic"),
        ports[0],
      ),
      drRepository: sftpRepositoryUrl(
        user,
        "127.0.0.1",
        path.join(tmp, "boxes", "dr", "restic"),
        ports[1],
      ),
      passwordFile: path.join(tmp, "password"),
      sshKey: path.join(tmp, "id_backup"),
      knownHosts: path.join(tmp, "known_hosts"),
      paths: [
        path.join(data, "stalwart"),
        path.join(data, "k3s", "server"),
        path.join(data, "not-there"),
      ],
      hostTag: "test-cell",
      retention: { daily: 7, weekly: 4, monthly: 12 },
      cacheDir: path.join(tmp, "cache"),
    }),
  );
}, 60_000);

afterAll(() => {
  if (sshd) sshd.kill();
  if (isRoot && missing.length === 0) spawnSync("userdel", [user]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("restic over SFTP with the rendered scripts", () => {
  it("has the tools it needs", () => {
    expect(missing, `install with: apt-get install -y restic openssh-server`).toEqual([]);
  });

  it("rendered scripts pass shellcheck (when installed)", () => {
    if (!which("shellcheck")) return;
    for (const name of ["backup", "check", "dr-copy", "ssh"]) {
      const r = spawnSync("shellcheck", ["-x", path.join(lib, name)], { encoding: "utf8" });
      expect(r.stdout + r.stderr, name).toBe("");
    }
    const restore = spawnSync("shellcheck", [path.join(root, "scripts", "restore")], {
      encoding: "utf8",
    });
    expect(restore.stdout).toBe("");
  });

  it("backs up, applies retention, copies to DR and restores identical bytes from DR", () => {
    const repo = (box: string) =>
      `sftp://${user}@127.0.0.1:${box === "primary" ? ports[0] : ports[1]}//${path.join(tmp, "boxes", box, "restic").replace(/^\//, "")}`;
    const started = Date.now();
    run(path.join(lib, "backup"), [envFile]);
    expect(fs.existsSync(path.join(tmp, "boxes", "primary", "restic", "config"))).toBe(true);
    // Change a file and back up again: the same-day snapshots collapse to one under keep-daily.
    fs.writeFileSync(path.join(data, "stalwart", "blobs", "msg-2"), crypto.randomBytes(50_000));
    run(path.join(lib, "backup"), [envFile]);
    const primary = snapshots(repo("primary"));
    expect(primary).toHaveLength(1);
    expect(primary[0].hostname).toBe("test-cell");
    expect(primary[0].tags).toEqual(["host"]);
    expect(primary[0].paths.sort()).toEqual(
      [path.join(data, "k3s", "server"), path.join(data, "stalwart")].sort(),
    );

    run(path.join(lib, "dr-copy"), [envFile]);
    const dr = snapshots(repo("dr"));
    expect(dr).toHaveLength(1);
    expect(dr[0].original ?? dr[0].id).toBe(primary[0].id);
    // Copying again adds nothing (idempotent DR job).
    run(path.join(lib, "dr-copy"), [envFile]);
    expect(snapshots(repo("dr"))).toHaveLength(1);

    run(path.join(lib, "check"), [envFile]);

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
    const originals = filesUnder(data);
    const restored = filesUnder(path.join(target, data));
    expect(Object.keys(restored).length).toBe(5);
    expect(restored).toEqual(originals);

    // Whole service from DR: only Stalwart's files.
    const svcTarget = path.join(tmp, "restored-stalwart");
    run(path.join(root, "scripts", "restore"), [
      "--env",
      envFile,
      "--dr",
      "restore",
      "latest",
      "--path",
      path.join(data, "stalwart"),
      "--target",
      svcTarget,
    ]);
    expect(Object.keys(filesUnder(svcTarget)).every((f) => f.includes("/stalwart/"))).toBe(true);
    expect(filesUnder(path.join(svcTarget, data, "stalwart"))).toEqual(
      filesUnder(path.join(data, "stalwart")),
    );

    // No silent overwrite.
    const refused = spawnSync(
      path.join(root, "scripts", "restore"),
      ["--env", envFile, "--dr", "restore", "latest", "--target", target],
      { encoding: "utf8" },
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/not empty; refusing to overwrite \(pass --force/);
    run(path.join(root, "scripts", "restore"), [
      "--env",
      envFile,
      "--dr",
      "restore",
      "latest",
      "--target",
      target,
      "--force",
    ]);

    const listing = run(path.join(root, "scripts", "restore"), ["--env", envFile, "snapshots"]);
    expect(listing).toContain(primary[0].id.slice(0, 8));
    console.log(
      `restic drill: backup x2 + DR copy x2 + check + 3 restores in ${Date.now() - started} ms`,
    );
  }, 180_000);

  it("restore prints usage and refuses unknown services", () => {
    const help = execFileSync(path.join(root, "scripts", "restore"), ["--help"], {
      encoding: "utf8",
    });
    expect(help).toMatch(/Usage: scripts\/restore/);
    const bad = spawnSync(
      path.join(root, "scripts", "restore"),
      ["--env", envFile, "service", "nope", "--target", "/tmp/x"],
      { encoding: "utf8" },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown service: nope/);
  });
});
