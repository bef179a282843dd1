/**
 * The etcd restore procedure as rendered shell, one script per node role. k3s restores with
 * `k3s server --cluster-reset --cluster-reset-restore-path=<snapshot>`. With etcd-s3 set (our
 * config.yaml sets it, and `k3s server` reads config.yaml and its drop-ins) the path is an object
 * name in the cell's folder, downloaded first; `--etcd-s3=false` restores a file on the node
 * instead (k3s-io/k3s pkg/etcd/etcd.go Reset). The S3 keys and the original cluster token are
 * already on the server in the secret drop-in, so nothing secret appears on a command line.
 * Used by scripts/etcd-restore and docs/runbooks/etcd-restore.md.
 */
import { shQuote } from "../host/host-scripts";
import type { EtcdS3 } from "./config";

export interface RestorePlan {
  /** Run on the primary server: stop, reset from the snapshot, start. */
  primary: string;
  /** Run on every other server before the primary is restored (their etcd data is dropped). */
  otherServers: string;
  /** Run on every other server after the primary is back. */
  rejoin: string;
}

/** Where k3s keeps its local copy of every snapshot (default --etcd-snapshot-dir). */
export const LOCAL_SNAPSHOT_DIR = "/var/lib/rancher/k3s/server/db/snapshots";

/**
 * k3s names snapshots <name>-<node>-<unix time>, and our config compresses them
 * (etcd-snapshot-compress), which appends .zip (k3s-io/k3s pkg/etcd/snapshot.go).
 */
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*-\d{9,}\.zip$/;

export function renderRestoreCommands(args: {
  snapshot: string;
  s3: EtcdS3;
  /** "s3" (default): the cell's bucket and folder; "local": the copy in LOCAL_SNAPSHOT_DIR. */
  source?: "s3" | "local";
  /** Tests point this at a temporary directory. */
  snapshotDir?: string;
}): RestorePlan {
  if (!SNAPSHOT_NAME.test(args.snapshot))
    throw new Error(
      `snapshot name ${args.snapshot} is not a k3s snapshot name; copy it from the Name column of ` +
        "`k3s etcd-snapshot ls` (such as etcd-snapshot-prod-1700000000.zip: compressed, so it ends in .zip)",
    );
  const local = args.source === "local";
  const localFile = `${args.snapshotDir ?? LOCAL_SNAPSHOT_DIR}/${args.snapshot}`;
  const from = local
    ? ["--etcd-s3=false", `--cluster-reset-restore-path=${shQuote(localFile)}`]
    : [
        `--cluster-reset-restore-path=${shQuote(args.snapshot)}`,
        "--etcd-s3",
        `--etcd-s3-endpoint=${shQuote(args.s3.endpoint)}`,
        `--etcd-s3-region=${shQuote(args.s3.region)}`,
        `--etcd-s3-bucket=${shQuote(args.s3.bucket)}`,
        `--etcd-s3-folder=${shQuote(args.s3.folder)}`,
      ];
  const head = ["#!/bin/sh", "set -eu"];
  return {
    primary: [
      ...head,
      ...(local
        ? [
            `[ -f ${shQuote(localFile)} ] || { echo "no local snapshot ${localFile}; k3s was not stopped" >&2; exit 1; }`,
          ]
        : []),
      "systemctl stop k3s",
      "# keep the current datastore aside; k3s moves it too, this is the operator's copy",
      'cp -a /var/lib/rancher/k3s/server/db "/var/lib/rancher/k3s/server/db.before-restore.$(date +%Y%m%d%H%M%S)"',
      // k3s exits 0 after the reset ("restart without --cluster-reset flag now").
      `k3s server --cluster-reset \\`,
      `  ${from.join(" \\\n  ")}`,
      "systemctl start k3s",
      "i=0",
      "until k3s kubectl get --raw=/readyz >/dev/null 2>&1; do",
      "  i=$((i + 1))",
      '  if [ "$i" -gt 60 ]; then echo "k3s did not come back after the restore" >&2; exit 1; fi',
      "  sleep 5",
      "done",
      "k3s kubectl get nodes -o wide",
      "",
    ].join("\n"),
    otherServers: [...head, "systemctl stop k3s", "rm -rf /var/lib/rancher/k3s/server/db", ""].join(
      "\n",
    ),
    rejoin: [...head, "systemctl start k3s", ""].join("\n"),
  };
}
