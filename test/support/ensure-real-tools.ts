/**
 * Runs before the tests (test/global-setup.ts): finds the real tools, installs the missing ones
 * with apt-get where this machine allows it, and otherwise stops the run at once with the one
 * command that installs them. Also puts the sbin folders on the workers' PATH, where Debian
 * keeps sshd and nft.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  findTool,
  installCommand,
  type Machine,
  planRealTools,
  REAL_TOOLS,
  type RealTool,
  SBIN_DIRS,
  SKIP_ENV,
  searchDirs,
} from "./real-tools";

function missingTools(): RealTool[] {
  const dirs = searchDirs(process.env.PATH);
  return REAL_TOOLS.filter((t) => !findTool(t.command, dirs));
}

function sudoState(): Machine["sudo"] {
  const dirs = searchDirs(process.env.PATH);
  if (!findTool("sudo", dirs)) return "absent";
  if (spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0) return "passwordless";
  return process.stdin.isTTY ? "prompt" : "unusable";
}

function stop(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

/** Makes sure the real tools are there (or stops the run); returns what it did, for the log. */
export function ensureRealTools(): string {
  const missing = missingTools();
  const machine: Machine = {
    missing,
    debian:
      fs.existsSync("/etc/debian_version") && !!findTool("apt-get", searchDirs(process.env.PATH)),
    uid: process.getuid?.() ?? -1,
    sudo: missing.length ? sudoState() : "absent",
    ci: process.env.CI === "true" || process.env.CI === "1",
    skip: process.env[SKIP_ENV] === "1",
  };
  const plan = planRealTools(machine);
  let done = "real tools: all present";
  if (plan.kind === "stop") stop(plan.message);
  if (plan.kind === "skip") {
    process.stderr.write(`${plan.message}\n`);
    done = plan.message;
  }
  if (plan.kind === "install") {
    process.stderr.write(`Installing the real tools the tests need: ${plan.packages.join(" ")}\n`);
    for (const argv of plan.commands) {
      const r = spawnSync(argv[0], argv.slice(1), {
        stdio: "inherit",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
      if (r.status !== 0) {
        stop(
          `${argv.join(" ")} failed (exit ${r.status ?? r.signal}). Install the tools by hand: ${installCommand(plan.packages, machine.uid !== 0)}`,
        );
      }
    }
    const still = missingTools();
    if (still.length) {
      stop(
        `Installed ${plan.packages.join(" ")}, yet ${still.map((t) => t.command).join(", ")} is still not found in PATH or ${SBIN_DIRS.join(", ")}. Check PATH, or: ${installCommand(plan.packages, machine.uid !== 0)}`,
      );
    }
    done = `real tools: installed ${plan.packages.join(" ")}`;
  }
  // The workers inherit this PATH: tests call sshd/nft by name.
  process.env.PATH = searchDirs(process.env.PATH).join(path.delimiter);
  return done;
}
