/**
 * sshd on the cell hosts, with a real OpenSSH sshd on loopback (needs root and openssh-server):
 * the hardening drop-in is effective even when the main config says otherwise; the
 * authorized-keys step refuses to drop the key the deploy session uses; the Cloud host's
 * pinned key replaces the bootstrap key from user data, which then opens nothing.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ed25519HostKey, hostKeyDeliveryScript } from "./host-key";
import { authorizedKeysScript, SSHD_HARDENING, sshdHardeningScript } from "./sshd-scripts";

const SSHD = ["/usr/sbin/sshd", "/usr/bin/sshd"].find((p) => fs.existsSync(p));
const isRoot = process.getuid?.() === 0;
const missing = [!SSHD && "openssh-server", !isRoot && "root"].filter(Boolean);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-sshd-"));
const stubs = path.join(tmp, "stubs");
const keys = path.join(tmp, "hostkeys");
const bootstrap = ed25519HostKey(Buffer.alloc(32, 7).toString("base64"), "bootstrap");
const pinned = ed25519HostKey(Buffer.alloc(32, 9).toString("base64"), "pinned");
let sshd: ChildProcess | undefined;
let port = 0;

function sh(cmd: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(cmd, args, {
    encoding: "utf8",
    input,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

function sshAs(key: string, hostKey: string, remote: string, input = "") {
  const kh = path.join(tmp, `kh-${hostKey.slice(-8).replace(/\W/g, "")}`);
  fs.writeFileSync(kh, `[127.0.0.1]:${port} ${hostKey}\n`);
  return sh(
    "ssh",
    [
      "-p",
      String(port),
      "-i",
      key,
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      "BatchMode=yes",
      "-o",
      `UserKnownHostsFile=${kh}`,
      "-o",
      "StrictHostKeyChecking=yes",
      "root@127.0.0.1",
      remote,
    ],
    input,
  );
}

beforeAll(async () => {
  if (missing.length) return;
  fs.mkdirSync(keys);
  fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(keys, "ssh_host_ed25519_key"), bootstrap.privateKey, { mode: 0o600 });
  fs.writeFileSync(path.join(keys, "ssh_host_ed25519_key.pub"), `${bootstrap.publicKey}\n`);
  for (const who of ["deploy", "other"]) {
    sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", who, "-f", path.join(tmp, who)]);
  }
  fs.writeFileSync(
    path.join(tmp, "authorized_keys"),
    fs.readFileSync(path.join(tmp, "deploy.pub")),
  );
  port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const config = path.join(tmp, "sshd_config");
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${path.join(keys, "ssh_host_ed25519_key")}`,
      `PidFile ${path.join(tmp, "sshd.pid")}`,
      `AuthorizedKeysFile ${path.join(tmp, "authorized_keys")}`,
      "StrictModes no",
      "UsePAM no",
      SSHD_HARDENING,
    ].join("\n"),
  );
  fs.mkdirSync(stubs);
  // `systemctl reload ssh` reloads the test sshd.
  fs.writeFileSync(
    path.join(stubs, "systemctl"),
    `#!/bin/sh\n[ "$1 $2" = "reload ssh" ] && kill -HUP "$(cat ${path.join(tmp, "sshd.pid")})"\n`,
    { mode: 0o755 },
  );
  sshd = spawn(SSHD!, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise((r) => setTimeout(r, 500));
}, 30_000);

afterAll(() => {
  sshd?.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("sshd hardening (both host kinds)", () => {
  it("has the tools it needs", () => expect(missing).toEqual([]));

  it("is effective even when the main config enables passwords after the include", () => {
    const dropIn = path.join(tmp, "sshd_config.d", "01-dezky.conf");
    // A later drop-in that turns passwords back on, as a cloud image may ship.
    fs.mkdirSync(path.dirname(dropIn), { recursive: true });
    fs.writeFileSync(
      path.join(tmp, "sshd_config.d", "50-cloud-init.conf"),
      "PasswordAuthentication yes\n",
    );
    const main = path.join(tmp, "main_config");
    // As an installimage system may have it: no Include, passwords and root login on.
    fs.writeFileSync(
      main,
      `HostKey ${path.join(keys, "ssh_host_ed25519_key")}\nPasswordAuthentication yes\nPermitRootLogin yes\n`,
    );
    const r = sh("sh", ["-s"], sshdHardeningScript({ dropIn, mainConfig: main }), {
      PATH: `${stubs}:${process.env.PATH}`,
    });
    expect(r.status, r.stderr).toBe(0);
    const effective = sh(SSHD!, ["-T", "-f", main, "-C", "user=root,host=x,addr=127.0.0.1"]).stdout;
    expect(effective).toContain("passwordauthentication no");
    expect(effective).toContain("permitrootlogin without-password");
    expect(effective).toContain("exposeauthinfo yes");
  });
});

describe("authorized keys never lock the deploy out", () => {
  const target = () => path.join(tmp, "root-authorized_keys");
  const pub = (who: string) => fs.readFileSync(path.join(tmp, `${who}.pub`), "utf8").trim();

  it("refuses a list without the key this session authenticated with, changing nothing", () => {
    fs.writeFileSync(target(), "before\n");
    const r = sshAs(
      path.join(tmp, "deploy"),
      bootstrap.publicKey,
      "sh -s",
      authorizedKeysScript([pub("other")], target()),
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/is not in adminSshKeys; writing them would lock the deploy out/);
    expect(fs.readFileSync(target(), "utf8")).toBe("before\n");
  });

  it("writes a list that keeps the session's key", () => {
    const r = sshAs(
      path.join(tmp, "deploy"),
      bootstrap.publicKey,
      "sh -s",
      authorizedKeysScript([pub("other"), pub("deploy")], target()),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(target(), "utf8")).toBe(`${pub("other")}\n${pub("deploy")}\n`);
  });

  it("refuses when it cannot tell which key the session used", () => {
    const r = sh("sh", ["-s"], authorizedKeysScript([pub("deploy")], target()), {
      SSH_USER_AUTH: "",
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cannot tell which key this session used/);
  });
});

describe("Cloud host key delivery", () => {
  it("replaces the bootstrap key with the pinned one; the bootstrap key then opens nothing", () => {
    const paths = { dir: keys, config: path.join(tmp, "sshd_config") };
    const script = path.join(tmp, "deliver.sh");
    fs.writeFileSync(script, hostKeyDeliveryScript(pinned.publicKey, paths));
    const remote = `PATH=${stubs}:$PATH sh ${script}`;
    const wrong = sshAs(
      path.join(tmp, "deploy"),
      bootstrap.publicKey,
      remote,
      bootstrap.privateKey, // not the pinned key: refused, nothing changes
    );
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/not the pinned one/);

    const ok = sshAs(path.join(tmp, "deploy"), bootstrap.publicKey, remote, pinned.privateKey);
    expect(ok.status, ok.stderr).toBe(0);
    // sshd re-executes on SIGHUP; give it a moment.
    spawnSync("sleep", ["1"]);
    expect(sshAs(path.join(tmp, "deploy"), pinned.publicKey, "true").status).toBe(0);
    const old = sshAs(path.join(tmp, "deploy"), bootstrap.publicKey, "true");
    expect(old.status).not.toBe(0);
    expect(old.stderr).toMatch(/HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });
});
