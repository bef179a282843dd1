/**
 * Pinning the rescue system's host key by the fingerprint Robot shows, against a real sshd on
 * loopback and the real ssh-keyscan / ssh-keygen (needs openssh-server and root for sshd).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprints, normaliseFingerprint, pinRescueHostKey } from "./rescue-host-key";

const SSHD = ["/usr/sbin/sshd", "/usr/bin/sshd"].find((p) => fs.existsSync(p));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-rescue-"));
let sshd: ChildProcess | undefined;
let port = 0;
let scanned = "";

beforeAll(async () => {
  if (!SSHD || process.getuid?.() !== 0) return;
  for (const type of ["ed25519", "rsa"]) {
    spawnSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-f", path.join(tmp, `host_${type}`)]);
  }
  port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  fs.writeFileSync(
    path.join(tmp, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${path.join(tmp, "host_ed25519")}`,
      `HostKey ${path.join(tmp, "host_rsa")}`,
      `PidFile ${path.join(tmp, "pid")}`,
      "UsePAM no",
      "",
    ].join("\n"),
  );
  sshd = spawn(SSHD, ["-D", "-e", "-f", path.join(tmp, "sshd_config")], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 500));
  scanned = spawnSync("ssh-keyscan", ["-T", "5", "-p", String(port), "127.0.0.1"], {
    encoding: "utf8",
  }).stdout;
});

afterAll(() => {
  sshd?.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const keygenFingerprint = (file: string, hash: "sha256" | "md5") =>
  spawnSync("ssh-keygen", ["-l", "-E", hash, "-f", file], { encoding: "utf8" }).stdout.split(
    " ",
  )[1];

describe("rescue host key pinned by fingerprint", () => {
  it("computes the same fingerprints as ssh-keygen", () => {
    const pub = fs.readFileSync(path.join(tmp, "host_ed25519.pub"), "utf8");
    const file = path.join(tmp, "host_ed25519.pub");
    expect(fingerprints(pub)).toEqual({
      sha256: keygenFingerprint(file, "sha256"),
      md5: keygenFingerprint(file, "md5"),
    });
  });

  it("pins the scanned key whose fingerprint Robot showed (SHA256 or MD5 form)", () => {
    expect(scanned).toMatch(/ssh-ed25519/);
    const pub = fs.readFileSync(path.join(tmp, "host_rsa.pub"), "utf8").split(" ").slice(0, 2);
    const sha = keygenFingerprint(path.join(tmp, "host_rsa.pub"), "sha256");
    const md5 = keygenFingerprint(path.join(tmp, "host_rsa.pub"), "md5").replace(/^MD5:/, "");
    expect(pinRescueHostKey(scanned, sha)).toBe(pub.join(" "));
    expect(pinRescueHostKey(scanned, md5)).toBe(pub.join(" "));
    expect(pinRescueHostKey(scanned, sha.replace("SHA256:", ""))).toBe(pub.join(" "));
  });

  it("refuses when no offered key has that fingerprint (wrong server or someone in between)", () => {
    const other = fingerprints(
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmnaA0oPq3m2Xg3cRpxtSmsyX7Pe0EDSGdD4GxGg6Lk",
    );
    expect(() => pinRescueHostKey(scanned, other.sha256)).toThrow(/none with fingerprint/);
    expect(() => pinRescueHostKey("", other.sha256)).toThrow(/offered 0 host key/);
    expect(() => normaliseFingerprint("yes")).toThrow(/neither a SHA256/);
  });
});
