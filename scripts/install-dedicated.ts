/**
 * DESTRUCTIVE, one-time OS install of an adopted dedicated server. Never part of `pulumi up`.
 * Prints the plan by default; executing needs --wipe <robotServerNumber> repeated exactly.
 *
 *   npx tsx scripts/install-dedicated.ts --stack prod
 *   npx tsx scripts/install-dedicated.ts --stack prod --wipe 2345678 --rescue-host-key '<key>'
 *
 * Steps (docs/runbooks/dedicated-install.md): Robot "activate rescue" with the deploy key's
 * fingerprint and a hardware reset happen in Robot (or its webservice) by the operator; this
 * script then runs installimage with the rendered autosetup over SSH (rescue host key pinned
 * via --rescue-host-key, shown by Robot when rescue is activated), installs our pinned Ed25519
 * host key from --host-key-file so stacks/<stack>.ts can pin it, and reboots.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderAutosetup } from "../components/host/installimage";
import { environmentFor } from "../stacks/environments";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const stack = arg("stack");
  if (!stack) {
    console.error(
      "usage: install-dedicated --stack <stack> [--wipe <server-number> --rescue-host-key '<key>' --host-key-file <private key>]",
    );
    process.exit(2);
  }
  const env = environmentFor(stack);
  if (env.host.kind !== "dedicated") {
    console.error(`stack ${stack} has a Cloud host; nothing to install`);
    process.exit(2);
  }
  const { ipv4, robotServerNumber } = env.host;
  const autosetup = renderAutosetup({ hostname: env.cell });
  const remote = [
    "set -eu",
    "cat > /autosetup <<'EOF'",
    autosetup.trimEnd(),
    "EOF",
    "installimage -a -c /autosetup",
    // Put our host key in place before the first boot so no other key is ever offered.
    "mount /dev/md2 /mnt 2>/dev/null || mount /dev/md/2 /mnt",
    "rm -f /mnt/etc/ssh/ssh_host_*",
    "cat > /mnt/etc/ssh/ssh_host_ed25519_key",
    "chmod 600 /mnt/etc/ssh/ssh_host_ed25519_key",
    "ssh-keygen -y -f /mnt/etc/ssh/ssh_host_ed25519_key > /mnt/etc/ssh/ssh_host_ed25519_key.pub",
    "umount /mnt",
    "reboot",
  ].join("\n");
  console.log(
    `# Server ${robotServerNumber} (${ipv4}) of stack ${stack} will be WIPED and installed with:\n${autosetup}`,
  );
  console.log(`# Remote script:\n${remote}`);
  if (arg("wipe") !== String(robotServerNumber)) {
    console.log(
      `# dry run. To execute: --wipe ${robotServerNumber} --rescue-host-key '<key>' --host-key-file <file>`,
    );
    return;
  }
  const rescueKey = arg("rescue-host-key");
  const hostKeyFile = arg("host-key-file");
  if (!rescueKey || !hostKeyFile) {
    console.error("--rescue-host-key and --host-key-file are required (no trust on first use)");
    process.exit(2);
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
