/**
 * Restores a cell's etcd from a snapshot in Object Storage (guarded; prints the plan unless
 * --yes). Runs the commands rendered by components/k3s/restore.ts over SSH with the host key
 * pinned from the environment (Cloud hosts: pass --host-key from the stack output/known_hosts).
 *
 *   npx tsx scripts/etcd-restore.ts --stack prod --snapshot etcd-snapshot-prod-fsn1-a-1700000000.zip
 *   npx tsx scripts/etcd-restore.ts --stack prod --snapshot <name> --yes
 *   npx tsx scripts/etcd-restore.ts --stack prod --snapshot <name> --local   # the host's own copy
 *
 * See docs/runbooks/etcd-restore.md. The cluster token and the S3 keys are read by k3s from
 * /etc/rancher/k3s/config.yaml.d/50-secrets.yaml on the host; nothing secret is passed here.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { etcdS3 } from "../components/k3s/config";
import { renderRestoreCommands } from "../components/k3s/restore";
import { environmentFor } from "../stacks/environments";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const stack = arg("stack");
  const snapshot = arg("snapshot");
  if (!stack || !snapshot) {
    console.error(
      "usage: etcd-restore --stack <stack> --snapshot <name> [--local] [--host-key '<ssh-ed25519 ...>'] [--identity <file>] [--yes]",
    );
    process.exit(2);
  }
  const env = environmentFor(stack);
  const source = process.argv.includes("--local") ? "local" : "s3";
  let plan: ReturnType<typeof renderRestoreCommands>;
  try {
    plan = renderRestoreCommands({ snapshot, s3: etcdS3(env), source });
  } catch (e) {
    // A refused snapshot name is the operator's input: say why, without a stack trace.
    console.error(`etcd-restore: ${(e as Error).message}`);
    process.exit(2);
  }
  const host = env.host.kind === "dedicated" ? env.host.ipv4 : arg("host");
  const hostKey = env.host.kind === "dedicated" ? env.host.sshHostKey : arg("host-key");
  const servers = env.extraNodes.filter((n) => n.role === "server");
  console.log(`# etcd restore of cell ${env.cell} from ${snapshot}`);
  if (servers.length) {
    console.log(
      `# 1. on every other server (${servers.map((s) => s.name).join(", ")}):\n${plan.otherServers}`,
    );
  }
  console.log(`# 2. on the primary (${host ?? "<--host>"}):\n${plan.primary}`);
  if (servers.length) console.log(`# 3. on every other server again:\n${plan.rejoin}`);
  if (!process.argv.includes("--yes")) {
    console.log(
      "# dry run: nothing was executed. Re-run with --yes to restore the primary over SSH.",
    );
    return;
  }
  if (servers.length) {
    console.error(
      "multi-server cells: run steps 1 and 3 by hand on each server (runbook); this script runs step 2",
    );
  }
  if (!host || !hostKey) {
    console.error(
      "Cloud host: pass --host <ipv4> and --host-key '<ssh-ed25519 ...>' (stack output / known_hosts)",
    );
    process.exit(2);
  }
  const knownHosts = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "dezky-restore-")),
    "known_hosts",
  );
  fs.writeFileSync(knownHosts, `${host} ${hostKey}\n`);
  const identity = arg("identity");
  const ssh = spawnSync(
    "ssh",
    [
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${knownHosts}`,
      ...(identity ? ["-i", identity] : []),
      `root@${host}`,
      "sh -s",
    ],
    { input: plan.primary, stdio: ["pipe", "inherit", "inherit"] },
  );
  process.exit(ssh.status ?? 1);
}

main();
