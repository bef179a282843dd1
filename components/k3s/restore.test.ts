/**
 * The rendered etcd restore under a real POSIX sh with a stub k3s that follows k3s's rules as
 * read at the pinned version (docs/conformance/k3s.md): our config.yaml sets etcd-s3, so
 * --cluster-reset-restore-path names an object in the cell's folder unless --etcd-s3=false
 * (the last value of a flag wins); k3s exits 0 after the reset. Snapshot names are what k3s
 * lists: <name>-<node>-<unix time>.zip (compressed).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import dev from "../../stacks/dev";
import { etcdS3 } from "./config";
import { renderRestoreCommands } from "./restore";

let dir = "";
const state = (f: string) => path.join(dir, "state", f);
const s3 = etcdS3(dev);
const NAME = "etcd-snapshot-dev-1764500000.zip";

function stub(name: string, body: string) {
  fs.writeFileSync(path.join(dir, "bin", name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-restore-"));
  for (const d of ["bin", "state", "snapshots", `bucket/${s3.folder}`])
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, "bucket", s3.folder, NAME), "snapshot");
  fs.writeFileSync(state("log"), "");
  stub(
    "k3s",
    `log=${state("log")}
case "$1" in
  kubectl) exit 0 ;;
  server) ;;
  *) exit 1 ;;
esac
s3=true; folder=""; restore=""
for a in "$@"; do
  case "$a" in
    --etcd-s3|--etcd-s3=true) s3=true ;;
    --etcd-s3=false) s3=false ;;
    --etcd-s3-folder=*) folder="\${a#--etcd-s3-folder=}" ;;
    --cluster-reset-restore-path=*) restore="\${a#--cluster-reset-restore-path=}" ;;
  esac
done
folder="\${folder:-${s3.folder}}"
if [ "$s3" = true ]; then
  [ -f "${path.join(dir, "bucket")}/$folder/$restore" ] || { echo "failed to download snapshot from S3: NoSuchKey $folder/$restore" >&2; exit 1; }
else
  [ -f "$restore" ] || { echo "etcd: snapshot path does not exist: $restore" >&2; exit 1; }
fi
echo "reset s3=$s3 from=$restore" >>"$log"
echo "Managed etcd cluster membership has been reset, restart without --cluster-reset flag now"`,
  );
  stub("systemctl", `echo "systemctl $*" >>${state("log")}`);
  stub("cp", "exit 0");
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(script: string) {
  const r = spawnSync("sh", ["-s"], {
    input: script,
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}` },
  });
  return { status: r.status, stderr: r.stderr, log: fs.readFileSync(state("log"), "utf8") };
}

describe("etcd restore", () => {
  it("restores a listed snapshot from the cell's S3 folder, then starts k3s", () => {
    const r = run(renderRestoreCommands({ snapshot: NAME, s3 }).primary);
    expect(r.status, r.stderr).toBe(0);
    expect(r.log.split("\n").filter(Boolean)).toEqual([
      "systemctl stop k3s",
      `reset s3=true from=${NAME}`,
      "systemctl start k3s",
    ]);
  });

  it("refuses a name k3s never lists (uncompressed, or no timestamp) before anything runs", () => {
    for (const bad of ["etcd-snapshot-dev-1764500000", "pre-upgrade-v1.33.6-k3s1", "x; rm -rf /"])
      expect(() => renderRestoreCommands({ snapshot: bad, s3 }), bad).toThrow(
        /not a k3s snapshot name.*etcd-snapshot ls/,
      );
    expect(() =>
      renderRestoreCommands({ snapshot: "pre-upgrade-v1.33.6-k3s1-dev-1764500000.zip", s3 }),
    ).not.toThrow();
  });

  it("restores the node's local copy with --etcd-s3=false (config.yaml sets etcd-s3)", () => {
    const snapshotDir = path.join(dir, "snapshots");
    fs.writeFileSync(path.join(snapshotDir, NAME), "snapshot");
    const r = run(
      renderRestoreCommands({ snapshot: NAME, s3, source: "local", snapshotDir }).primary,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.log).toContain(`reset s3=false from=${path.join(snapshotDir, NAME)}`);
  });

  it("a missing local snapshot stops the restore before k3s is stopped", () => {
    const snapshotDir = path.join(dir, "snapshots");
    const r = run(
      renderRestoreCommands({ snapshot: NAME, s3, source: "local", snapshotDir }).primary,
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/k3s was not stopped/);
    expect(r.log).toBe("");
  });
});
