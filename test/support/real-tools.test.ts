import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  findTool,
  installCommand,
  type Machine,
  planRealTools,
  REAL_TOOLS,
  SBIN_DIRS,
  searchDirs,
} from "./real-tools";

const tool = (command: string) => REAL_TOOLS.find((t) => t.command === command)!;
const base: Machine = {
  missing: [tool("restic"), tool("sshd"), tool("nft")],
  debian: true,
  uid: 1000,
  sudo: "absent",
  ci: false,
  skip: false,
};
const PACKAGES = ["restic", "openssh-server", "nftables"];

describe("planRealTools: what npm test does about missing tools", () => {
  it("does nothing when every tool is there", () => {
    expect(planRealTools({ ...base, missing: [] })).toEqual({ kind: "ready" });
  });

  it("installs with apt-get as root on Debian (CI's case)", () => {
    const plan = planRealTools({ ...base, uid: 0, ci: true });
    expect(plan).toEqual({
      kind: "install",
      packages: PACKAGES,
      commands: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...PACKAGES],
      ],
    });
  });

  it("installs through sudo -n when sudo needs no password", () => {
    const plan = planRealTools({ ...base, sudo: "passwordless", ci: true });
    expect(plan.kind).toBe("install");
    if (plan.kind !== "install") return;
    expect(plan.commands.every((c) => c[0] === "sudo" && c[1] === "-n")).toBe(true);
  });

  it("lets sudo ask for the password on a terminal, never in CI", () => {
    const local = planRealTools({ ...base, sudo: "prompt" });
    expect(local.kind === "install" && local.commands[1].slice(0, 2)).toEqual(["sudo", "apt-get"]);
    expect(planRealTools({ ...base, sudo: "prompt", ci: true }).kind).toBe("stop");
  });

  it("stops with the one command that installs them when it cannot install", () => {
    for (const sudo of ["absent", "unusable"] as const) {
      const plan = planRealTools({ ...base, sudo });
      expect(plan).toEqual({
        kind: "stop",
        message: `npm test needs real tools that are missing here: restic, sshd, nft. To install them, run: sudo apt-get update && sudo apt-get install -y --no-install-recommends restic openssh-server nftables`,
      });
    }
  });

  it("names the packages on a machine without apt-get", () => {
    const plan = planRealTools({ ...base, debian: false, uid: 0 });
    expect(plan.kind).toBe("stop");
    expect(plan.kind === "stop" && plan.message).toContain(
      "install the packages restic openssh-server nftables with your system's package manager",
    );
  });

  it("skips only outside CI when asked to; CI never skips", () => {
    expect(planRealTools({ ...base, skip: true }).kind).toBe("skip");
    const ci = planRealTools({ ...base, skip: true, ci: true, uid: 0 });
    expect(ci.kind).toBe("stop");
    expect(ci.kind === "stop" && ci.message).toMatch(/refused in CI.*apt-get install/);
  });

  it("lists a package once even when it provides several missing tools", () => {
    const plan = planRealTools({
      ...base,
      uid: 0,
      missing: [tool("sshd"), { command: "sftp-server", aptPackage: "openssh-server" }],
    });
    expect(plan.kind === "install" && plan.packages).toEqual(["openssh-server"]);
  });
});

describe("finding the tools", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-tools-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "restic"), "#!/bin/sh\n", { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "nft"), "not executable", { mode: 0o644 });

  it("finds executables in PATH order and ignores files that cannot run", () => {
    expect(findTool("restic", [path.join(dir, "nope"), bin])).toBe(path.join(bin, "restic"));
    expect(findTool("nft", [bin])).toBeUndefined();
    expect(findTool("shellcheck", [bin])).toBeUndefined();
  });

  it("also searches the sbin folders a normal user's PATH lacks, once", () => {
    expect(searchDirs(`/usr/bin${path.delimiter}/usr/sbin`)).toEqual([
      "/usr/bin",
      "/usr/sbin",
      ...SBIN_DIRS.filter((d) => d !== "/usr/sbin"),
    ]);
    expect(searchDirs(undefined)).toEqual(SBIN_DIRS);
  });

  it("prints a command a person can paste", () => {
    expect(installCommand(["restic"], false)).toBe(
      "apt-get update && apt-get install -y --no-install-recommends restic",
    );
  });
});

describe(".ci/run", () => {
  it("installs every package the tests need (CI never skips them)", () => {
    const run = fs.readFileSync(path.resolve(__dirname, "../../.ci/run"), "utf8");
    const list = /^APT_PACKAGES=\(([^)]*)\)$/m.exec(run)?.[1].split(/\s+/) ?? [];
    expect(run).toContain('apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}"');
    for (const t of REAL_TOOLS) expect(list, t.aptPackage).toContain(t.aptPackage);
    expect(run).not.toMatch(/DEZKY_SKIP_TOOL_CHECKS=1/);
  });
});
