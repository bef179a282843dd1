/**
 * The etcd restore procedure as rendered shell, one script per node role. k3s restores with
 * `k3s server --cluster-reset --cluster-reset-restore-path=<snapshot>` and the S3 options; the
 * S3 keys and the original cluster token are already on the server in the secret drop-in, so
 * nothing secret appears on a command line. Used by scripts/etcd-restore and
 * docs/runbooks/etcd-restore.md.
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

const SNAPSHOT_NAME = /^[A-Za-z0-9._+-]+$/;

export function renderRestoreCommands(args: { snapshot: string; s3: EtcdS3 }): RestorePlan {
  if (!SNAPSHOT_NAME.test(args.snapshot))
    throw new Error(`snapshot name ${args.snapshot} has unexpected characters`);
  const s3 = [
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
      "systemctl stop k3s",
      "# keep the current datastore aside; k3s moves it too, this is the operator's copy",
      'cp -a /var/lib/rancher/k3s/server/db "/var/lib/rancher/k3s/server/db.before-restore.$(date +%Y%m%d%H%M%S)"',
      `k3s server --cluster-reset --cluster-reset-restore-path=${shQuote(args.snapshot)} \\`,
      `  ${s3.join(" \\\n  ")}`,
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
