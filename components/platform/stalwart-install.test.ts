import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { platformVersions } from "../../stacks/versions";
import { createHarness } from "./stalwart-install-harness";
import { stalwartInstallScript, stalwartRestartScript } from "./stalwart-install";
import { STALWART_SHA256_UNPINNED, releaseUrl, tlsSyncScript } from "./stalwart-render";

const pin = { version: "0.16.18", sha256: "a".repeat(64) };
const script = stalwartInstallScript({ domain: "dezky.eu", ...pin });
const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

describe("stalwartInstallScript (text)", () => {
  it("downloads the pinned release and verifies its sha256 before unpacking", () => {
    expect(script).toContain(`URL="${releaseUrl("0.16.18")}"`);
    expect(script).toContain(`SHA256="${"a".repeat(64)}"`);
    const check = script.indexOf("sha256sum --check");
    const unpack = script.indexOf("tar -xzf");
    expect(check).toBeGreaterThan(0);
    expect(unpack).toBeGreaterThan(check);
  });

  it("starts Stalwart with the 0.16 JSON data-store file, never a TOML config", () => {
    expect(script).toContain("--config=/etc/stalwart/config.json");
    expect(script).toContain('"@type": "RocksDb"');
    expect(script).not.toMatch(/--config[ =]\S*\.toml/);
  });

  it("reads the recovery admin from stdin and never embeds a password", () => {
    expect(script).toMatch(/cat > "\/etc\/stalwart\/recovery.env.new"\n/);
    expect(script).not.toMatch(/STALWART_RECOVERY_ADMIN=admin:[^'"]/);
  });

  it("refuses an unpinned version or a malformed checksum", () => {
    expect(() =>
      stalwartInstallScript({ domain: "dezky.eu", version: "latest", sha256: pin.sha256 }),
    ).toThrow(/exact version/);
    expect(() =>
      stalwartInstallScript({ domain: "dezky.eu", version: "0.16.18", sha256: "abc" }),
    ).toThrow(/64 hex/);
  });

  it.skipIf(!hasShellcheck)("passes shellcheck", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stalwart-sh-"));
    fs.writeFileSync(path.join(dir, "install.sh"), script);
    fs.writeFileSync(path.join(dir, "sync.sh"), `#!/bin/sh\n${tlsSyncScript()}\n`);
    fs.writeFileSync(path.join(dir, "restart.sh"), stalwartRestartScript());
    const run = spawnSync(
      "shellcheck",
      ["-S", "style", ...["install.sh", "sync.sh", "restart.sh"].map((f) => path.join(dir, f))],
      { encoding: "utf8" },
    );
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("renders the stack's pinned version (the checksum may still be the unpinned sentinel)", () => {
    expect(() =>
      stalwartInstallScript({ domain: "dezky.eu", ...platformVersions.stalwart }),
    ).not.toThrow();
  });
});

describe("stalwartInstallScript (run against stub binaries)", () => {
  it("installs, writes the data-store file and unit, and waits until Stalwart is ready", () => {
    const h = createHarness();
    const sha = h.release("0.16.18");
    const run = h.run("0.16.18", sha);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("stalwart 0.16.18 installed and ready");
    expect(h.link()).toBe("opt/stalwart/0.16.18/stalwart");
    expect(h.running()).toBe("opt/stalwart/0.16.18/stalwart");
    const config = JSON.parse(
      fs.readFileSync(path.join(h.root, "etc/stalwart/config.json"), "utf8"),
    );
    expect(config).toEqual({ "@type": "RocksDb", path: "/var/lib/stalwart/data" });
    const unit = fs.readFileSync(path.join(h.root, "etc/systemd/system/stalwart.service"), "utf8");
    expect(unit).toContain(
      "ExecStart=/opt/stalwart/bin/stalwart --config=/etc/stalwart/config.json",
    );
    expect(unit).toContain("Environment=STALWART_HOSTNAME=mail.dezky.eu");
    // An unchanged re-run neither downloads nor restarts.
    const before = h.systemctlLog().length;
    expect(h.run("0.16.18", sha).status).toBe(0);
    expect(h.downloads()).toBe(1);
    expect(h.systemctlLog().slice(before)).not.toContain("restart stalwart.service");
  });

  it("a failed upgrade leaves the old version running and linked, and the re-run retries it", () => {
    const h = createHarness();
    expect(h.run("0.16.18", h.release("0.16.18")).status).toBe(0);
    const next = h.release("0.16.19");
    h.breakVersion("0.16.19", true);

    const failed = h.run("0.16.19", next);
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/0\.16\.19 did not become ready/);
    expect(failed.stderr).toMatch(/rolled back to .*0\.16\.18\/stalwart; it is running/);
    expect(h.link()).toBe("opt/stalwart/0.16.18/stalwart");
    expect(h.running()).toBe("opt/stalwart/0.16.18/stalwart");

    // The re-run must try the new version again (restart with the new link), not just start
    // the old process; once the new version works, it stays.
    h.breakVersion("0.16.19", false);
    const restartsBefore = h.systemctlLog().filter((l) => l === "restart stalwart.service").length;
    const retried = h.run("0.16.19", next);
    expect(retried.stderr).toBe("");
    expect(retried.status).toBe(0);
    expect(h.systemctlLog().filter((l) => l === "restart stalwart.service").length).toBe(
      restartsBefore + 1,
    );
    expect(h.link()).toBe("opt/stalwart/0.16.19/stalwart");
    expect(h.running()).toBe("opt/stalwart/0.16.19/stalwart");
  });

  it("restarts a pinned version that is installed but not ready", () => {
    const h = createHarness();
    const sha = h.release("0.16.18");
    expect(h.run("0.16.18", sha).status).toBe(0);
    fs.writeFileSync(path.join(h.dir, "running"), ""); // the process died
    expect(h.run("0.16.18", sha).status).toBe(0);
    expect(h.running()).toBe("opt/stalwart/0.16.18/stalwart");
  });

  it("fails closed on a checksum mismatch and on the unpinned sentinel", () => {
    const h = createHarness();
    h.release("0.16.18");
    const mismatch = h.run("0.16.18", "b".repeat(64));
    expect(mismatch.status).not.toBe(0);
    expect(mismatch.stderr).toMatch(/checksum mismatch, refusing to install/);
    expect(fs.existsSync(path.join(h.root, "opt/stalwart/0.16.18"))).toBe(false);
    const unpinned = h.run("0.16.18", STALWART_SHA256_UNPINNED);
    expect(unpinned.status).not.toBe(0);
    expect(unpinned.stderr).toMatch(/sha256 is not pinned/);
    expect(h.downloads()).toBe(1); // the sentinel is refused before any download
    expect(h.link()).toBe("");
  });

  it("refuses a release whose binary reports another version", () => {
    const h = createHarness();
    const sha = h.release("0.16.18", "0.15.5");
    const run = h.run("0.16.18", sha);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/reports "0\.15\.5", refusing to switch/);
    expect(h.link()).toBe("");
  });
});

describe("stalwartRestartScript (after a listener change, against stub binaries)", () => {
  it("restarts the service and waits for the readiness probe; fails with the journal when it never answers", () => {
    const h = createHarness();
    expect(h.run("0.16.18", h.release("0.16.18")).status).toBe(0);
    const before = h.systemctlLog().length;
    const ok = h.exec(stalwartRestartScript());
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("restarted with its new listeners and ready");
    expect(h.systemctlLog().slice(before)).toContain("restart stalwart.service");
    h.breakVersion("0.16.18", true);
    const failed = h.exec(stalwartRestartScript());
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/did not become ready within 120s after the listener change/);
    expect(failed.stderr).toContain("stub journal");
  });
});
