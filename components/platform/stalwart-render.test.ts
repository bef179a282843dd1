import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { platformVersions } from "../../stacks/versions";
import {
  STALWART_LISTENERS,
  releaseUrl,
  stalwartConfig,
  stalwartInstallScript,
  stalwartUnit,
  tlsSyncScript,
} from "./stalwart-render";

const pin = { version: "0.16.18", sha256: "a".repeat(64) };
const script = stalwartInstallScript({ domain: "dezky.eu", ...pin });
const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

describe("stalwartInstallScript", () => {
  it("downloads the pinned release and verifies its sha256 before unpacking", () => {
    expect(script).toContain(`URL="${releaseUrl("0.16.18")}"`);
    expect(script).toContain(`SHA256="${"a".repeat(64)}"`);
    const check = script.indexOf("sha256sum --check");
    const unpack = script.indexOf("tar -xzf");
    expect(check).toBeGreaterThan(0);
    expect(unpack).toBeGreaterThan(check);
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
    const run = spawnSync(
      "shellcheck",
      ["-S", "style", path.join(dir, "install.sh"), path.join(dir, "sync.sh")],
      { encoding: "utf8" },
    );
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("fails closed on a checksum mismatch when run (fake curl, real sha256sum)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stalwart-run-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    // curl writes a tarball whose hash is not the pinned one; every system command is faked.
    fs.writeFileSync(
      path.join(bin, "curl"),
      '#!/bin/sh\nwhile [ "$1" != "--output" ]; do shift; done\necho tampered > "$2"\n',
      { mode: 0o755 },
    );
    for (const cmd of ["id", "useradd", "install", "systemctl", "tar", "ln"]) {
      fs.writeFileSync(path.join(bin, cmd), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    }
    const run = spawnSync("bash", ["-c", script.replace(/PREFIX="\/opt/g, `PREFIX="${dir}/opt`)], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      input: "STALWART_RECOVERY_ADMIN=admin:x\n",
      encoding: "utf8",
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/checksum mismatch, refusing to install/);
    expect(execFileSync("sh", ["-c", `ls ${dir}`], { encoding: "utf8" })).not.toMatch(/opt/);
  });
});

describe("stalwartConfig and unit", () => {
  const config = stalwartConfig({ domain: "dezky.eu", ...pin });
  it("declares every listener with TLS where implicit", () => {
    for (const port of [25, 465, 587, 993, 4190, 8080])
      expect(config).toContain(`bind = ["[::]:${port}"]`);
    expect(STALWART_LISTENERS.filter((l) => l.tls).map((l) => l.port)).toEqual([465, 993]);
    const block = (name: string) =>
      config.split("\n\n").find((b) => b.startsWith(`[server.listener.${name}]`));
    expect(block("submissions")).toContain("tls.implicit = true");
    expect(block("imaptls")).toContain("tls.implicit = true");
    expect(block("smtp")).not.toContain("tls.implicit");
    expect(config).toContain('path = "/var/lib/stalwart/data"');
    expect(config).toContain('hostname = "mail.dezky.eu"');
  });

  it("runs unprivileged with only the bind capability and the recovery env file", () => {
    const unit = stalwartUnit();
    expect(unit).toContain("User=stalwart");
    expect(unit).toContain("AmbientCapabilities=CAP_NET_BIND_SERVICE");
    expect(unit).toContain("EnvironmentFile=/etc/stalwart/recovery.env");
    expect(unit).toContain("ReadWritePaths=/var/lib/stalwart");
  });

  it("uses the environment file's pinned Stalwart version format", () => {
    expect(() =>
      stalwartInstallScript({ domain: "dezky.eu", ...platformVersions.stalwart }),
    ).not.toThrow();
  });
});
