/**
 * Test support: two "Storage Boxes" on loopback, each a real OpenSSH sshd with its own host key
 * and one subaccount (a throwaway Unix user with a password and a home directory), a fake
 * Healthchecks ping endpoint, and stub binaries. Needs root (users, password auth), restic,
 * rclone, sshd, sshpass.
 *
 * Stricter than the real box where it matters: every key option in authorized_keys is enforced
 * by OpenSSH (forced commands, `restrict`); the box's own ZFS snapshots are modelled by a copy
 * in a root-only directory that no subaccount credential can reach.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export const which = (bin: string) => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;
export const SSHD = ["/usr/sbin/sshd", "/usr/bin/sshd"].find((p) => fs.existsSync(p));
export const isRoot = process.getuid?.() === 0;

/** What is missing on this machine to run the loopback boxes (empty = all there). */
export function missingTools(): string[] {
  return [
    !isRoot && "root (throwaway users with passwords)",
    !SSHD && "openssh-server (sshd)",
    ...["restic", "rclone", "sshpass", "ssh-keygen", "sftp", "curl"].filter((b) => !which(b)),
  ].filter((x): x is string => Boolean(x));
}

export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; allowFail?: boolean; timeout?: number } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    env: { ...process.env, ...opts.env },
    input: opts.input,
    timeout: opts.timeout ?? 180_000,
  });
  const out = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  if (!opts.allowFail && out.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${out.status}\n${out.stdout}\n${out.stderr}`);
  }
  return out;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve();
      });
      socket.on("error", () =>
        Date.now() > deadline
          ? reject(new Error(`sshd not listening on ${port}\n${log()}`))
          : setTimeout(attempt, 100),
      );
    };
    attempt();
  });
}

export interface Box {
  role: "primary" | "dr";
  port: number;
  user: string;
  password: string;
  home: string;
  /** `ssh-ed25519 AAAA...` of this box's sshd. */
  hostKey: string;
  process: ChildProcess;
}

/** Starts one box: a user with `password`, home under `root`, sshd on a free loopback port. */
export async function startBox(
  root: string,
  role: "primary" | "dr",
  password: string,
): Promise<Box> {
  const user = `dz${role[0]}${crypto.randomBytes(3).toString("hex")}`;
  const dir = path.join(root, `box-${role}`);
  const home = path.join(dir, "home");
  fs.mkdirSync(home, { recursive: true });
  fs.chmodSync(dir, 0o755);
  run("useradd", ["-M", "-d", home, "-s", "/bin/sh", user]);
  run("chpasswd", [], { input: `${user}:${password}\n` });
  run("chown", ["-R", `${user}:`, home]);
  fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const hostKeyFile = path.join(dir, "host_key");
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKeyFile]);
  const port = await freePort();
  const config = path.join(dir, "sshd_config");
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKeyFile}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      "AuthorizedKeysFile .ssh/authorized_keys",
      "StrictModes no",
      "UsePAM no",
      "PasswordAuthentication yes",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      `AllowUsers ${user}`,
      "Subsystem sftp internal-sftp",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  const proc = spawn(SSHD!, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr?.on("data", (d) => (log += String(d)));
  await waitForPort(port, () => log);
  const hostKey = fs.readFileSync(`${hostKeyFile}.pub`, "utf8").trim().split(/\s+/).slice(0, 2);
  return {
    role,
    port,
    user,
    password,
    home,
    hostKey: hostKey.join(" "),
    process: proc,
  };
}

export function stopBox(box: Box | undefined): void {
  if (!box) return;
  box.process.kill();
  spawnSync("userdel", [box.user]);
}

/**
 * A fake Healthchecks ping endpoint on loopback that records every request. It runs in its own
 * process: the tests drive the jobs with spawnSync, which would block an in-process server.
 */
export interface PingServer {
  url: string;
  /** Requests so far, oldest first. */
  pings(): Array<{ method: string; path: string; body: string }>;
  close(): Promise<void>;
}

const PING_SERVER = `
const http = require("node:http");
const fs = require("node:fs");
const log = process.argv[1];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    fs.appendFileSync(log, JSON.stringify({ method: req.method, path: req.url, body }) + "\\n");
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("OK");
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
`;

export function startPingServer(logFile: string): Promise<PingServer> {
  fs.writeFileSync(logFile, "");
  const child = spawn(process.execPath, ["-e", PING_SERVER, logFile], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout!.once("data", (d) => {
      resolve({
        url: `http://127.0.0.1:${String(d).trim()}/ping-key-test`,
        pings: () =>
          fs
            .readFileSync(logFile, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l)),
        close: () =>
          new Promise((r) => {
            child.once("exit", () => r());
            child.kill();
          }),
      });
    });
  });
}

/** Writes stub binaries (name -> sh body) into `dir`; returns the dir for PATH. */
export function writeStubs(dir: string, stubs: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(stubs)) {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  return dir;
}

/** sha256 of every file below `dir`, by relative path. */
export function filesUnder(dir: string): Record<string, string> {
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
