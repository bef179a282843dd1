/**
 * `systemd-analyze verify` (the real systemd of Debian 12, the hosts' release) on rendered unit
 * files. The units are placed in a throwaway root that holds a copy of this machine's system
 * units (so `After=`/`WantedBy=` targets resolve) and stand-ins for the executables our own
 * install scripts put on the host; everything else an `ExecStart=` names must exist on this
 * machine, as on the host. Any line systemd prints (unknown key or section, bad value, missing
 * executable, unknown unit) fails the check: systemd itself only warns on most of them and
 * starts the unit without the setting.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface UnitFile {
  /** Path on the host, e.g. /etc/systemd/system/stalwart.service or a drop-in below it. */
  hostPath: string;
  content: string;
}

export interface VerifyResult {
  ok: boolean;
  output: string;
}

const SYSTEM_UNITS = "/usr/lib/systemd/system";

function inRoot(root: string, hostPath: string): string {
  return path.join(root, hostPath.replace(/^\/+/, ""));
}

/** A root with the system units and the given stand-in executables. */
function prepareRoot(installedExecutables: readonly string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-systemd-"));
  fs.mkdirSync(path.join(root, "usr/lib/systemd"), { recursive: true });
  // A real copy: the system units' absolute symlinks then resolve inside the root.
  fs.cpSync(SYSTEM_UNITS, path.join(root, "usr/lib/systemd/system"), {
    recursive: true,
    verbatimSymlinks: true,
  });
  // Debian 12 is merged-/usr: /lib, /bin and /sbin are links into /usr.
  for (const dir of ["lib", "bin", "sbin"]) {
    fs.mkdirSync(path.join(root, "usr", dir), { recursive: true });
    fs.symlinkSync(`usr/${dir}`, path.join(root, dir));
  }
  fs.mkdirSync(path.join(root, "etc/systemd/system"), { recursive: true });
  for (const exe of installedExecutables) {
    const file = inRoot(root, exe);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  }
  return root;
}

/** Every absolute executable an Exec*= line names (after systemd's prefixes such as `-` or `!`). */
export function executablesOf(content: string): string[] {
  return content
    .split("\n")
    .map((line) => /^Exec[A-Za-z]*=\s*[-@:+!]*(\/\S+)/.exec(line)?.[1])
    .filter((exe): exe is string => exe !== undefined);
}

/**
 * Verifies `units` (top-level units; drop-ins are verified through the unit they extend, which
 * must be among `verifyUnits`). `installedExecutables` are the paths our scripts install; every
 * other executable is linked from this machine, where it must exist.
 */
export function verifyUnits(
  units: readonly UnitFile[],
  options: { installedExecutables?: readonly string[]; verifyUnits?: readonly string[] } = {},
): VerifyResult {
  const installed = options.installedExecutables ?? [];
  const root = prepareRoot(installed);
  try {
    const names =
      options.verifyUnits ??
      units.filter((u) => !u.hostPath.includes(".d/")).map((u) => u.hostPath);
    // Units verified by name (a package's unit our drop-in changes) need their binaries too.
    const packaged = names
      .filter((n) => !n.includes("/"))
      .map((n) => path.join(root, "usr/lib/systemd/system", n))
      .filter((file) => fs.existsSync(file))
      .map((file) => fs.readFileSync(file, "utf8"));
    const contents = [...units.map((u) => u.content), ...packaged];
    for (const exe of contents.flatMap(executablesOf)) {
      if (installed.includes(exe)) continue;
      const target = inRoot(root, exe);
      // A copy of the machine's own file; one missing here stays missing, and verify names it.
      if (fs.existsSync(target) || !fs.existsSync(exe)) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(fs.realpathSync(exe), target);
      fs.chmodSync(target, 0o755);
    }
    for (const unit of units) {
      const file = inRoot(root, unit.hostPath);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, unit.content);
    }
    const result = spawnSync(
      "systemd-analyze",
      ["verify", "--man=no", "--generators=no", `--root=${root}`, ...names],
      { encoding: "utf8", timeout: 60_000 },
    );
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
    if (result.error) return { ok: false, output: `systemd-analyze: ${result.error.message}` };
    return { ok: result.status === 0 && output === "", output };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
