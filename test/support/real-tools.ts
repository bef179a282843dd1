/**
 * The real tools some tests drive (restic, sshd, cloud-init, shellcheck, nft, ...): which are
 * missing, and what to do about it. `npm test` installs them itself where it can (Debian, as
 * root or with sudo) and otherwise stops at once with the one command that installs them. The
 * decision is a pure function of the machine, so it is tested without touching the machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface RealTool {
  /** The executable the tests run. */
  command: string;
  /** The Debian package that provides it. */
  aptPackage: string;
}

export const REAL_TOOLS: readonly RealTool[] = [
  { command: "restic", aptPackage: "restic" },
  { command: "rclone", aptPackage: "rclone" },
  { command: "sshpass", aptPackage: "sshpass" },
  { command: "curl", aptPackage: "curl" },
  { command: "wget", aptPackage: "wget" },
  { command: "sshd", aptPackage: "openssh-server" },
  { command: "ssh-keygen", aptPackage: "openssh-client" },
  { command: "cloud-init", aptPackage: "cloud-init" },
  { command: "shellcheck", aptPackage: "shellcheck" },
  { command: "nft", aptPackage: "nftables" },
  { command: "systemd-analyze", aptPackage: "systemd" },
  { command: "git", aptPackage: "git" },
];

/** Debian keeps sshd and nft in sbin, which a normal user's PATH lacks. */
export const SBIN_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/** Set to 1 on a machine that cannot have the tools: their tests skip. Refused in CI. */
export const SKIP_ENV = "DEZKY_SKIP_TOOL_CHECKS";

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The folders searched for tools: PATH, then the sbin folders it lacks. */
export function searchDirs(pathEnv: string | undefined): string[] {
  const dirs = (pathEnv ?? "").split(path.delimiter).filter(Boolean);
  return [...dirs, ...SBIN_DIRS.filter((d) => !dirs.includes(d))];
}

/** Where `command` is, searching `dirs` in order; undefined when it is nowhere. */
export function findTool(
  command: string,
  dirs: string[],
  isExecutable: (file: string) => boolean = isExecutableFile,
): string | undefined {
  return dirs.map((d) => path.join(d, command)).find((file) => isExecutable(file));
}

export interface Machine {
  /** Tools not found. */
  missing: readonly RealTool[];
  /** /etc/debian_version exists and apt-get is found. */
  debian: boolean;
  uid: number;
  /** sudo: absent, works without a password (`sudo -n true`), or can ask on a terminal. */
  sudo: "absent" | "passwordless" | "prompt" | "unusable";
  /** Running in CI (CI=true). */
  ci: boolean;
  /** DEZKY_SKIP_TOOL_CHECKS=1. */
  skip: boolean;
}

export type ToolPlan =
  | { kind: "ready" }
  | { kind: "skip"; message: string }
  | { kind: "install"; commands: string[][]; packages: string[] }
  | { kind: "stop"; message: string };

function packagesOf(tools: readonly RealTool[]): string[] {
  return [...new Set(tools.map((t) => t.aptPackage))];
}

/** The one command a person runs to install `packages` on Debian. */
export function installCommand(packages: string[], sudo: boolean): string {
  const s = sudo ? "sudo " : "";
  return `${s}apt-get update && ${s}apt-get install -y --no-install-recommends ${packages.join(" ")}`;
}

function aptCommands(packages: string[], sudo: string[]): string[][] {
  return [
    [...sudo, "apt-get", "update", "-qq"],
    [...sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", ...packages],
  ];
}

/** What `npm test` does about missing tools on this machine. */
export function planRealTools(m: Machine): ToolPlan {
  if (m.missing.length === 0) return { kind: "ready" };
  const packages = packagesOf(m.missing);
  const names = m.missing.map((t) => t.command).join(", ");
  if (m.skip && m.ci) {
    return {
      kind: "stop",
      message: `${SKIP_ENV}=1 is refused in CI: CI runs every test with the real tools. Missing: ${names}. Install: ${installCommand(packages, m.uid !== 0)}`,
    };
  }
  if (m.skip) {
    return {
      kind: "skip",
      message: `${SKIP_ENV}=1: the tests that need ${names} are skipped on this machine.`,
    };
  }
  if (m.debian && m.uid === 0) {
    return { kind: "install", commands: aptCommands(packages, []), packages };
  }
  if (m.debian && m.sudo === "passwordless") {
    return { kind: "install", commands: aptCommands(packages, ["sudo", "-n"]), packages };
  }
  if (m.debian && m.sudo === "prompt" && !m.ci) {
    return { kind: "install", commands: aptCommands(packages, ["sudo"]), packages };
  }
  const how = m.debian
    ? `run: ${installCommand(packages, m.uid !== 0)}`
    : `install the packages ${packages.join(" ")} with your system's package manager (on Debian: ${installCommand(packages, true)})`;
  return {
    kind: "stop",
    message: `npm test needs real tools that are missing here: ${names}. To install them, ${how}`,
  };
}
