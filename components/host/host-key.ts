/**
 * A Cloud server's SSH host key, made by the program so every remote command can pin it (no
 * trust on first use). The 32-byte Ed25519 seed comes from a `random.RandomBytes` (secret in
 * state); the OpenSSH key pair is derived from it here, deterministically.
 */
import * as crypto from "node:crypto";

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeUInt32BE(value >>> 0);
  return buf;
}

export interface HostKeyPair {
  /** `ssh-ed25519 AAAA...` (what `ssh-keyscan` prints after the host name). */
  publicKey: string;
  /** OpenSSH private key file content (secret). */
  privateKey: string;
}

/** Derives the OpenSSH Ed25519 key pair from a 32-byte seed (base64). */
export function ed25519HostKey(seedBase64: string, comment = "dezky-host"): HostKeyPair {
  const seed = Buffer.from(seedBase64, "base64").subarray(0, 32);
  if (seed.length !== 32) throw new Error("host key seed must have at least 32 bytes");
  const key = crypto.createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const spki = crypto.createPublicKey(key).export({ format: "der", type: "spki" });
  const pub = spki.subarray(spki.length - 32);
  const pubBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
  const check = seed.readUInt32BE(0);
  let secret = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString("ssh-ed25519"),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (secret.length + pad.length) % 8 !== 0; i++) pad.push(i);
  secret = Buffer.concat([secret, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(pubBlob),
    sshString(secret),
  ]).toString("base64");
  const lines = body.match(/.{1,70}/g) ?? [];
  return {
    publicKey: `ssh-ed25519 ${pubBlob.toString("base64")}`,
    privateKey: [
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      ...lines,
      "-----END OPENSSH PRIVATE KEY-----",
      "",
    ].join("\n"),
  };
}

export interface HostKeyPaths {
  /** Directory of sshd's host keys. */
  dir: string;
  /** sshd's main config, checked with `sshd -t` before the reload. */
  config: string;
}

/**
 * Installs the pinned host key (private half on stdin) in place of the bootstrap key that
 * cloud-init put there from user data, removes every other host key, checks the config and
 * reloads sshd. From then on sshd offers only the pinned key, and the bootstrap key that user
 * data keeps serving (unauthenticated, to anything on the host) opens nothing.
 */
export function hostKeyDeliveryScript(
  pinnedPublicKey: string,
  paths: HostKeyPaths = { dir: "/etc/ssh", config: "/etc/ssh/sshd_config" },
): string {
  const key = `${paths.dir}/ssh_host_ed25519_key`;
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    "#!/bin/sh",
    "set -eu",
    "umask 077",
    `cat > ${q(`${key}.new`)}`,
    `ssh-keygen -y -f ${q(`${key}.new`)} > ${q(`${key}.pub.new`)}`,
    `if [ "$(cut -d ' ' -f 1,2 ${q(`${key}.pub.new`)})" != ${q(pinnedPublicKey)} ]; then`,
    `  rm -f ${q(`${key}.new`)} ${q(`${key}.pub.new`)}`,
    '  echo "host key: the key on stdin is not the pinned one; nothing changed" >&2',
    "  exit 1",
    "fi",
    `chmod 0600 ${q(`${key}.new`)}`,
    `chmod 0644 ${q(`${key}.pub.new`)}`,
    `mv ${q(`${key}.new`)} ${q(key)}`,
    `mv ${q(`${key}.pub.new`)} ${q(`${key}.pub`)}`,
    `for other in ${q(paths.dir)}/ssh_host_*_key ${q(paths.dir)}/ssh_host_*_key.pub; do`,
    `  case "$other" in ${q(key)}|${q(`${key}.pub`)}) ;; *) rm -f "$other" ;; esac`,
    "done",
    `sshd -t -f ${q(paths.config)}`,
    "systemctl reload ssh",
    'echo "pinned host key installed"',
    "",
  ].join("\n");
}
