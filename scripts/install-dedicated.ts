/**
 * DESTRUCTIVE, one-time OS install of an adopted dedicated server. Never part of `pulumi up`.
 * Prints the plan by default; executing needs --wipe <robotServerNumber> repeated exactly.
 *
 *   npx tsx scripts/install-dedicated.ts --stack prod
 *   npx tsx scripts/install-dedicated.ts --stack prod --wipe 2345678 \
 *     --rescue-host-fingerprint 'SHA256:...' --host-key-file prod-host-key
 *
 * Steps (docs/runbooks/dedicated-install.md): Robot "activate rescue" with the deploy key and a
 * hardware reset happen in Robot by the operator; Robot shows the rescue system's host key
 * fingerprint on activation. This script scans the rescue system's keys and pins the one with
 * that fingerprint (no trust on first use), runs installimage with the rendered autosetup, puts
 * the pinned Ed25519 host key, sshd hardening and the host firewall in place before the first
 * boot, and reboots.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderNftables } from "../components/host/firewall-render";
import { renderAutosetup, renderInstallRemoteScript } from "../components/host/installimage";
import { pinRescueHostKey } from "../components/host/rescue-host-key";
import { environmentFor } from "../stacks/environments";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  console.error(`install-dedicated: ${message}`);
  process.exit(2);
}

function main(): void {
  const stack = arg("stack");
  if (!stack) {
    fail(
      "usage: install-dedicated --stack <stack> [--wipe <server-number> --rescue-host-fingerprint '<SHA256:... or aa:bb:...>' --host-key-file <private key>]",
    );
  }
  const env = environmentFor(stack);
  if (env.host.kind !== "dedicated") fail(`stack ${stack} has a Cloud host; nothing to install`);
  const { ipv4, robotServerNumber } = env.host;
  const autosetup = renderAutosetup({ hostname: env.cell });
  // The first boot already has the cell's firewall (no peers yet: pulumi up adds them).
  const remote = renderInstallRemoteScript({
    autosetup,
    nftables: renderNftables({ adminCidrs: env.adminCidrs, peers: [] }),
  });
  console.log(`# Server ${robotServerNumber} (${ipv4}) of stack ${stack} will be WIPED.`);
  console.log(`# Remote script (the host key arrives on stdin):\n${remote}`);
  if (arg("wipe") !== String(robotServerNumber)) {
    console.log(
      `# dry run. To execute: --wipe ${robotServerNumber} --rescue-host-fingerprint '<from Robot>' --host-key-file <file>`,
    );
    return;
  }
  const fingerprint = arg("rescue-host-fingerprint");
  const hostKeyFile = arg("host-key-file");
  if (!fingerprint || !hostKeyFile) {
    fail("--rescue-host-fingerprint and --host-key-file are required (no trust on first use)");
  }
  const scan = spawnSync("ssh-keyscan", ["-T", "10", "-t", "ed25519,ecdsa,rsa", ipv4], {
    encoding: "utf8",
  });
  let rescueKey: string;
  try {
    rescueKey = pinRescueHostKey(scan.stdout ?? "", fingerprint);
  } catch (e) {
    fail((e as Error).message);
  }
  const knownHosts = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "dezky-install-")),
    "known_hosts",
  );
  fs.writeFileSync(knownHosts, `${ipv4} ${rescueKey}\n`);
  const ssh = spawnSync(
    "ssh",
    [
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${knownHosts}`,
      `root@${ipv4}`,
      remote,
    ],
    { input: fs.readFileSync(hostKeyFile), stdio: ["pipe", "inherit", "inherit"] },
  );
  console.log(
    `# next: set host.sshHostKey in stacks/${stack}.ts to the public half of ${hostKeyFile}, then pulumi up`,
  );
  process.exit(ssh.status ?? 1);
}

main();
