/**
 * sshd on every cell host, converged over SSH the same way on Cloud and dedicated hosts (the
 * dedicated host never runs cloud-init): the hardening drop-in, checked with `sshd -t` and
 * proven effective with `sshd -T` before it is relied on, and root's authorized_keys, which is
 * never replaced without the key the deploy itself uses.
 */
import * as crypto from "node:crypto";
import { heredoc, script, shQuote } from "./host-scripts";

/**
 * Read first among the drop-ins (sshd keeps the first value it reads), so e.g. cloud-init's
 * 50-cloud-init.conf cannot override it; `sshd -T` proves the result either way.
 */
export const SSHD_DROP_IN_PATH = "/etc/ssh/sshd_config.d/01-dezky.conf";

/**
 * Passwords off, root by key only, no X11. ExposeAuthInfo lets the authorized-keys step see
 * which key the deploy session used (SSH_USER_AUTH, sshd_config(5)), so it can refuse to lock
 * that key out.
 */
export const SSHD_HARDENING = [
  "PasswordAuthentication no",
  "KbdInteractiveAuthentication no",
  "PermitRootLogin prohibit-password",
  "X11Forwarding no",
  "ExposeAuthInfo yes",
  "",
].join("\n");

/** The effective values `sshd -T` must report (lower-case, as it prints them). */
export const SSHD_EFFECTIVE = [
  "passwordauthentication no",
  "kbdinteractiveauthentication no",
  "permitrootlogin without-password",
  "x11forwarding no",
  "exposeauthinfo yes",
];

export interface SshdPaths {
  dropIn: string;
  mainConfig: string;
}

const DEFAULT_SSHD_PATHS: SshdPaths = {
  dropIn: SSHD_DROP_IN_PATH,
  mainConfig: "/etc/ssh/sshd_config",
};

/**
 * Writes the hardening drop-in, makes sure the main config includes the drop-in directory
 * first (sshd keeps the first value it reads), checks the whole config with `sshd -t`, proves
 * the values are effective with `sshd -T`, then reloads ssh.
 */
export function sshdHardeningScript(paths: SshdPaths = DEFAULT_SSHD_PATHS): string {
  const dir = paths.dropIn.replace(/\/[^/]+$/, "");
  const include = `Include ${dir}/*.conf`;
  return script([
    heredoc(paths.dropIn, SSHD_HARDENING),
    `if ! grep -qxF ${shQuote(include)} ${shQuote(paths.mainConfig)}; then`,
    `  { echo ${shQuote(include)}; cat ${shQuote(paths.mainConfig)}; } >${shQuote(`${paths.mainConfig}.new`)}`,
    `  mv ${shQuote(`${paths.mainConfig}.new`)} ${shQuote(paths.mainConfig)}`,
    "fi",
    `sshd -t -f ${shQuote(paths.mainConfig)}`,
    `effective="$(sshd -T -f ${shQuote(paths.mainConfig)} -C user=root,host=localhost,addr=127.0.0.1)"`,
    `for want in ${SSHD_EFFECTIVE.map(shQuote).join(" ")}; do`,
    '  if ! printf \'%s\\n\' "$effective" | grep -qxF "$want"; then',
    `    echo "sshd: '$want' is not effective; check ${paths.mainConfig} and ${dir}" >&2; exit 1`,
    "  fi",
    "done",
    "systemctl reload ssh",
  ]);
}

/**
 * Writes root's authorized_keys from the environment, so operator keys rotate without touching
 * the server (the Cloud server ignores later `sshKeys` changes). Refuses an empty list, and
 * refuses on the host when the key this session authenticated with (SSH_USER_AUTH) would not
 * be in the new file: that would lock the deploy out.
 */
export function authorizedKeysScript(
  keys: readonly string[],
  path = "/root/.ssh/authorized_keys",
): string {
  if (keys.length === 0) throw new Error("authorized keys: at least one admin key is required");
  const content = `${keys.join("\n")}\n`;
  const next = `${path}.next`;
  return script([
    `install -d -m 0700 ${shQuote(path.replace(/\/[^/]+$/, ""))}`,
    `cat > ${shQuote(next)} <<'DEZKY_EOF'`,
    content.slice(0, -1),
    "DEZKY_EOF",
    'auth="${SSH_USER_AUTH:-}"',
    'used=""',
    'if [ -n "$auth" ] && [ -r "$auth" ]; then used="$(awk \'$1 == "publickey" { print $2 " " $3; exit }\' "$auth")"; fi',
    'if [ -z "$used" ]; then',
    `  rm -f ${shQuote(next)}`,
    '  echo "authorized keys: cannot tell which key this session used (needs sshd ExposeAuthInfo); not replacing authorized_keys" >&2',
    "  exit 1",
    "fi",
    `if ! cut -d ' ' -f 1,2 ${shQuote(next)} | grep -qxF "$used"; then`,
    `  rm -f ${shQuote(next)}`,
    '  echo "authorized keys: the key this deploy uses ($used) is not in adminSshKeys; writing them would lock the deploy out" >&2',
    "  exit 1",
    "fi",
    `chmod 0600 ${shQuote(next)}`,
    `mv ${shQuote(next)} ${shQuote(path)}`,
  ]);
}

function readSshString(buf: Buffer, offset: number): [Buffer, number] {
  const length = buf.readUInt32BE(offset);
  return [buf.subarray(offset + 4, offset + 4 + length), offset + 4 + length];
}

/**
 * The public half (`<type> <base64>`) of an OpenSSH private key (openssh-key-v1; the public key
 * sits unencrypted in the header), or undefined when the text is not in that format.
 */
export function deployPublicKey(privateKey: string): string | undefined {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END OPENSSH PRIVATE KEY-----/.exec(
    privateKey,
  );
  if (!m) return undefined;
  try {
    const buf = Buffer.from(m[1].replace(/\s+/g, ""), "base64");
    const magic = "openssh-key-v1\0";
    if (buf.subarray(0, magic.length).toString("latin1") !== magic) return undefined;
    let offset = magic.length;
    for (let i = 0; i < 3; i++) offset = readSshString(buf, offset)[1]; // cipher, kdf, kdf options
    if (buf.readUInt32BE(offset) < 1) return undefined;
    const [blob] = readSshString(buf, offset + 4);
    const [type] = readSshString(blob, 0);
    return `${type.toString("latin1")} ${blob.toString("base64")}`;
  } catch {
    return undefined;
  }
}

/** Throws when the deploy key's public half is not among the admin keys (plan-time guard). */
export function checkDeployKeyKept(privateKey: string, adminSshKeys: readonly string[]): void {
  const pub = deployPublicKey(privateKey);
  if (!pub) return; // not parseable here; the host-side guard (SSH_USER_AUTH) still holds
  const kept = adminSshKeys.some((k) => k.split(/\s+/).slice(0, 2).join(" ") === pub);
  if (!kept) {
    const fingerprint = crypto
      .createHash("sha256")
      .update(Buffer.from(pub.split(" ")[1], "base64"))
      .digest("base64")
      .replace(/=+$/, "");
    throw new Error(
      `stacks: adminSshKeys does not contain the deploy key (dezky:sshPrivateKey, SHA256:${fingerprint}); ` +
        "add its public half to adminSshKeys (stacks/operators.ts) or the authorized-keys step would lock the deploy out",
    );
  }
}
