/**
 * The rendered k3s install/upgrade script under a real POSIX sh with stub binaries (k3s,
 * curl, systemctl, journalctl) and its files in a temporary tree: version guards come before
 * any change on disk, patch downgrades are refused, and a config that k3s has not come up with
 * yet is applied by the next run (no "ready" with the old config still running).
 */
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderInstallScript } from "./scripts";

let dir = "";
const state = (f: string) => path.join(dir, "state", f);
const paths = () => ({
  config: path.join(dir, "etc", "config.yaml"),
  applied: path.join(dir, "etc", "applied.sha256"),
  installer: path.join(dir, "k3s-install.sh"),
});

function stub(name: string, body: string) {
  fs.writeFileSync(path.join(dir, "bin", name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-k3s-"));
  for (const d of ["bin", "state", "etc"]) fs.mkdirSync(path.join(dir, d));
  fs.writeFileSync(state("version"), "v1.33.5+k3s1\n");
  fs.writeFileSync(state("log"), "");
  stub(
    "k3s",
    `case "$1" in
  --version) echo "k3s version $(cat ${state("version")}) (abcdef12)"; echo "go version go1.24" ;;
  kubectl)
    if [ "$2" = wait ]; then
      echo "k3s $*" >>${state("waits")}
      [ ! -f ${state("crd-missing")} ] || { echo "timed out waiting for the condition" >&2; exit 1; }
    fi
    exit 0 ;;
  etcd-snapshot) echo "k3s $*" >>${state("log")} ;;
esac`,
  );
  stub(
    "curl",
    `out=""; while [ $# -gt 0 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
cat >"$out" <<'EOF'
#!/bin/sh
echo "$INSTALL_K3S_VERSION" >${state("version")}
echo "install.sh $INSTALL_K3S_VERSION $INSTALL_K3S_EXEC" >>${state("log")}
EOF`,
  );
  stub("systemctl", `echo "systemctl $*" >>${state("log")}`);
  stub("journalctl", "true");
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function runInstall(version: string, config: string) {
  const script = renderInstallScript({
    version,
    role: "primary",
    config,
    upgradeMode: "script",
    paths: paths(),
  });
  const r = spawnSync("sh", ["-s"], {
    input: script,
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}` },
  });
  const log = fs.readFileSync(state("log"), "utf8");
  fs.writeFileSync(state("log"), "");
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, log };
}

const sha = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const configA = "node-name: dev\ncluster-init: true\n";
const configB = "node-name: dev\ncluster-init: true\netcd-snapshot-retention: 10\n";

describe("k3s install script", () => {
  it("applies a new config by restarting k3s, and records what k3s came up with", () => {
    const first = runInstall("v1.33.5+k3s1", configA);
    expect(first.status, first.stderr).toBe(0);
    expect(first.log).toContain("systemctl restart k3s");
    expect(fs.readFileSync(paths().applied, "utf8").trim()).toBe(sha(configA));
    const again = runInstall("v1.33.5+k3s1", configA);
    expect(again.status).toBe(0);
    expect(again.log).toBe(""); // nothing changed, nothing restarted
  });

  it("a refused upgrade changes nothing on disk, and the next run applies the new config", () => {
    runInstall("v1.33.5+k3s1", configA);
    const refused = runInstall("v1.35.0+k3s1", configB);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/refusing to skip a minor version/);
    expect(fs.readFileSync(paths().config, "utf8")).toBe(configA);
    expect(refused.log).toBe("");

    const next = runInstall("v1.33.5+k3s1", configB);
    expect(next.status, next.stderr).toBe(0);
    expect(next.log).toContain("systemctl restart k3s");
    expect(fs.readFileSync(paths().config, "utf8")).toBe(configB);
    expect(fs.readFileSync(paths().applied, "utf8").trim()).toBe(sha(configB));
  });

  it("waits for the Traefik CRDs the platform needs before it reports ready", () => {
    const ok = runInstall("v1.33.5+k3s1", configA);
    expect(ok.status, ok.stderr).toBe(0);
    expect(fs.readFileSync(state("waits"), "utf8")).toContain(
      "kubectl wait --for condition=established --timeout=300s crd/tlsstores.traefik.io",
    );
    fs.writeFileSync(state("crd-missing"), "");
    const missing = runInstall("v1.33.5+k3s1", configB);
    expect(missing.status).not.toBe(0);
    expect(missing.stdout).not.toContain("ready");
    // Not recorded as applied: the next run checks again.
    expect(fs.readFileSync(paths().applied, "utf8").trim()).toBe(sha(configA));
  });

  it("refuses patch and build downgrades, not only minor ones", () => {
    runInstall("v1.33.5+k3s1", configA);
    for (const older of ["v1.33.4+k3s1", "v1.32.9+k3s1"]) {
      const r = runInstall(older, configA);
      expect(r.status, older).not.toBe(0);
      expect(r.stderr).toMatch(/refusing to downgrade k3s from v1.33.5\+k3s1/);
      expect(r.log).not.toContain("install.sh");
    }
    fs.writeFileSync(state("version"), "v1.33.5+k3s2\n");
    expect(runInstall("v1.33.5+k3s1", configA).stderr).toMatch(/refusing to downgrade/);
  });

  it("upgrades a patch release after an etcd snapshot, then waits for readiness", () => {
    runInstall("v1.33.5+k3s1", configA);
    const r = runInstall("v1.33.6+k3s1", configA);
    expect(r.status, r.stderr).toBe(0);
    expect(r.log.split("\n").filter(Boolean)).toEqual([
      "k3s etcd-snapshot save --name pre-upgrade-v1.33.6-k3s1",
      "install.sh v1.33.6+k3s1 server",
    ]);
    expect(r.stdout).toContain("k3s v1.33.6+k3s1 ready");
  });
});
