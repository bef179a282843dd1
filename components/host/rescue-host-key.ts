/**
 * The Hetzner rescue system's host key, pinned by the fingerprint Robot shows when rescue is
 * activated (never trusted on first use): scripts/install-dedicated scans the keys the server
 * offers, keeps only the one whose fingerprint matches, and refuses otherwise.
 * Robot may show MD5 (`aa:bb:...`) or SHA256 (`SHA256:...`) fingerprints; both are accepted.
 */
import * as crypto from "node:crypto";

export interface HostKeyFingerprints {
  sha256: string;
  md5: string;
}

/** OpenSSH-style fingerprints of a public key line (`<type> <base64> [comment]`). */
export function fingerprints(keyLine: string): HostKeyFingerprints {
  const blob = Buffer.from(keyLine.trim().split(/\s+/)[1] ?? "", "base64");
  if (blob.length === 0) throw new Error(`not an OpenSSH public key line: ${keyLine}`);
  const sha256 = crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
  const md5 = crypto.createHash("md5").update(blob).digest("hex").match(/../g)!.join(":");
  return { sha256: `SHA256:${sha256}`, md5: `MD5:${md5}` };
}

/** Normalises a fingerprint as typed by an operator (with or without the prefix). */
export function normaliseFingerprint(input: string): string {
  const value = input.trim();
  if (/^SHA256:/i.test(value)) return `SHA256:${value.slice(7).replace(/=+$/, "")}`;
  if (/^MD5:/i.test(value)) return `MD5:${value.slice(4).toLowerCase()}`;
  if (/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(value)) return `MD5:${value.toLowerCase()}`;
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value)) return `SHA256:${value.replace(/=+$/, "")}`;
  throw new Error(
    `--rescue-host-fingerprint: "${input}" is neither a SHA256:... nor an MD5 aa:bb:... fingerprint; copy it from Robot's rescue activation`,
  );
}

/**
 * The scanned key line (`<type> <base64>`) whose fingerprint is `expected`, from `ssh-keyscan`
 * output (`<host> <type> <base64>` lines, comments ignored). Throws when none matches.
 */
export function pinRescueHostKey(keyscanOutput: string, expected: string): string {
  const want = normaliseFingerprint(expected);
  const keys = keyscanOutput
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(/\s+/).slice(1, 3).join(" "));
  for (const key of keys) {
    const fp = fingerprints(key);
    if (fp.sha256 === want || fp.md5 === want) return key;
  }
  throw new Error(
    `the rescue system offered ${keys.length} host key(s), none with fingerprint ${want}; ` +
      "refusing to connect (wrong server, rescue not active, or someone in between)",
  );
}
