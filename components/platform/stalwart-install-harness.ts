/**
 * Test harness (not exported from index.ts): runs the rendered Stalwart install script under a
 * temporary root with stub binaries for the system commands it calls. `systemctl` keeps the
 * service state in a file and "runs" whatever the version symlink points at; `curl` serves the
 * release tarball (built here) and answers the readiness probe by asking the running stub
 * binary. A stub Stalwart binary reports its version and is ready unless its version is listed
 * in the `broken` file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stalwartInstallScript } from "./stalwart-install";

export interface Harness {
  dir: string;
  root: string;
  /** Builds a release tarball whose binary reports `reports`; returns its sha256. */
  release(version: string, reports?: string): string;
  /** Marks a version as starting but never ready. */
  breakVersion(version: string, broken: boolean): void;
  run(version: string, sha256: string): { status: number | null; stdout: string; stderr: string };
  /** Runs another rendered script with the same stubs. */
  exec(script: string): { status: number | null; stdout: string; stderr: string };
  link(): string;
  running(): string;
  /** Every systemctl call, one per line. */
  systemctlLog(): string[];
  downloads(): number;
}

const STUBS: Record<string, string> = {
  id: "exit 1",
  useradd: "exit 0",
  chown: "exit 0",
  journalctl: 'echo "stub journal"',
  sleep: "exit 0",
  // install without -o/-g (the test user is not root of a real system and has no stalwart group)
  install: [
    'args=""',
    'while [ "$#" -gt 0 ]; do',
    '  case "$1" in -o|-g) shift 2 ;; *) args="$args \\"$1\\""; shift ;; esac',
    "done",
    'eval "set -- $args"',
    'exec /usr/bin/install "$@"',
  ].join("\n"),
  systemctl: [
    'echo "$*" >> "$H/systemctl.log"',
    'case "$1" in',
    '  restart) if [ "$2" = stalwart.service ]; then readlink "$H/root/opt/stalwart/bin/stalwart" > "$H/running"; fi ;;',
    '  start) if [ "$2" = stalwart.service ] && [ ! -s "$H/running" ]; then readlink "$H/root/opt/stalwart/bin/stalwart" > "$H/running"; fi ;;',
    '  is-active) [ -s "$H/running" ] ;;',
    "esac",
  ].join("\n"),
  curl: [
    'out=""; url=""',
    'while [ "$#" -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; http*) url="$1"; shift ;; *) shift ;; esac; done',
    'case "$url" in',
    '  http://127.0.0.1:8080/healthz/ready) bin="$(cat "$H/running" 2>/dev/null)"; [ -n "$bin" ] && "$bin" --ready ;;',
    '  https://github.com/*) echo "$url" >> "$H/downloads.log"; v="${url#*/download/v}"; v="${v%%/*}"; cp "$H/releases/$v.tar.gz" "$out" ;;',
    "  *) exit 22 ;;",
    "esac",
  ].join("\n"),
};

export function createHarness(): Harness {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stalwart-install-"));
  const root = path.join(dir, "root");
  const bin = path.join(dir, "bin");
  for (const d of [root, bin, path.join(dir, "releases")]) fs.mkdirSync(d, { recursive: true });
  for (const [name, body] of Object.entries(STUBS)) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  }
  fs.writeFileSync(path.join(dir, "broken"), "");
  const read = (f: string) =>
    fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : "";
  return {
    dir,
    root,
    release(version, reports = version) {
      const work = fs.mkdtempSync(path.join(dir, "build-"));
      fs.writeFileSync(
        path.join(work, "stalwart"),
        [
          "#!/bin/sh",
          `case "$1" in --version) echo ${reports} ;;`,
          `  --ready) ! grep -qx ${reports} "${dir}/broken" ;;`,
          "esac",
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
      const tarball = path.join(dir, "releases", `${version}.tar.gz`);
      execFileSync("tar", ["-czf", tarball, "-C", work, "stalwart"]);
      return crypto.createHash("sha256").update(fs.readFileSync(tarball)).digest("hex");
    },
    breakVersion(version, broken) {
      const list = read("broken")
        .split("\n")
        .filter((v) => v && v !== version);
      if (broken) list.push(version);
      fs.writeFileSync(path.join(dir, "broken"), list.map((v) => `${v}\n`).join(""));
    },
    run(version, sha256) {
      return this.exec(stalwartInstallScript({ domain: "dezky.eu", version, sha256, root }));
    },
    exec(script) {
      const result = spawnSync("bash", ["-c", script], {
        // SHLVL keeps Debian bash from sourcing ~/.bashrc when stdin is a socket.
        env: { PATH: `${bin}:/usr/bin:/bin`, H: dir, SHLVL: "1" },
        input: "STALWART_RECOVERY_ADMIN=admin:secret\n",
        encoding: "utf8",
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    link() {
      const l = path.join(root, "opt/stalwart/bin/stalwart");
      return fs.existsSync(l) ? path.relative(root, fs.readlinkSync(l)) : "";
    },
    running() {
      const r = read("running").trim();
      return r ? path.relative(root, r) : "";
    },
    systemctlLog() {
      return read("systemctl.log").split("\n").filter(Boolean);
    },
    downloads() {
      return read("downloads.log").split("\n").filter(Boolean).length;
    },
  };
}
