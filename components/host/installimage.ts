/**
 * The installimage autosetup for an AX41-NVMe (two NVMe disks, software RAID 1, Debian 12) and
 * the script scripts/install-dedicated runs in the Hetzner rescue system. Pure and tested.
 */
import { NFTABLES_CONF, NFTABLES_DROP_IN, NFTABLES_DROP_IN_PATH } from "./host-scripts";
import { SSHD_DROP_IN_PATH, SSHD_HARDENING } from "./sshd-scripts";

export interface AutosetupArgs {
  hostname: string;
  /** installimage image path in the rescue system. */
  image?: string;
}

/** Verify the exact file name with `ls /root/.oldroot/nfs/images/` in the rescue system. */
export const DEFAULT_IMAGE = "/root/.oldroot/nfs/images/Debian-1209-bookworm-amd64-base.tar.gz";

export function renderAutosetup(args: AutosetupArgs): string {
  if (!/^[a-z][a-z0-9-]{1,62}$/.test(args.hostname))
    throw new Error(`hostname ${args.hostname} is not a simple name`);
  return [
    "DRIVE1 /dev/nvme0n1",
    "DRIVE2 /dev/nvme1n1",
    "SWRAID 1",
    "SWRAIDLEVEL 1",
    "BOOTLOADER grub",
    `HOSTNAME ${args.hostname}`,
    "PART /boot/efi esp 256M",
    "PART /boot ext3 1024M",
    "PART / ext4 all",
    `IMAGE ${args.image ?? DEFAULT_IMAGE}`,
    "",
  ].join("\n");
}

export interface InstallRemoteArgs {
  autosetup: string;
  /** The host firewall ruleset (components/host/firewall-render.ts renderNftables). */
  nftables: string;
}

function fileFromHeredoc(path: string, content: string): string[] {
  const marker = "DEZKY_EOF";
  if (content.split("\n").includes(marker)) throw new Error(`${path} contains the heredoc marker`);
  return [`cat > ${path} <<'${marker}'`, content.replace(/\n$/, ""), marker];
}

/**
 * The script run in the rescue system (host key on stdin): installimage, then, before the first
 * boot, the pinned host key, sshd hardening and the host firewall (IPv4 and IPv6) enabled in
 * sysinit, so the new system never offers another key, never takes passwords and never has SSH
 * open to the internet over either family, not even before `pulumi up` converges it.
 */
export function renderInstallRemoteScript(args: InstallRemoteArgs): string {
  return [
    "set -eu",
    ...fileFromHeredoc("/autosetup", args.autosetup),
    "installimage -a -c /autosetup",
    "mount /dev/md2 /mnt 2>/dev/null || mount /dev/md/2 /mnt",
    "rm -f /mnt/etc/ssh/ssh_host_*",
    "cat > /mnt/etc/ssh/ssh_host_ed25519_key",
    "chmod 600 /mnt/etc/ssh/ssh_host_ed25519_key",
    "ssh-keygen -y -f /mnt/etc/ssh/ssh_host_ed25519_key > /mnt/etc/ssh/ssh_host_ed25519_key.pub",
    "mkdir -p /mnt/etc/ssh/sshd_config.d /mnt/etc/nftables.d /mnt/etc/systemd/system/nftables.service.d",
    ...fileFromHeredoc(`/mnt${SSHD_DROP_IN_PATH}`, SSHD_HARDENING),
    "grep -qxF 'Include /etc/ssh/sshd_config.d/*.conf' /mnt/etc/ssh/sshd_config || sed -i '1i Include /etc/ssh/sshd_config.d/*.conf' /mnt/etc/ssh/sshd_config",
    ...fileFromHeredoc("/mnt/etc/nftables.d/dezky-host.nft", args.nftables),
    ...fileFromHeredoc("/mnt/etc/nftables.conf", NFTABLES_CONF),
    ...fileFromHeredoc(`/mnt${NFTABLES_DROP_IN_PATH}`, NFTABLES_DROP_IN),
    "for d in proc sys dev; do mount --bind /$d /mnt/$d; done",
    "if [ ! -x /mnt/usr/sbin/nft ]; then",
    "  chroot /mnt env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nftables",
    "fi",
    "# Refuse to reboot into a system whose firewall or sshd config would not load.",
    "chroot /mnt nft -c -f /etc/nftables.d/dezky-host.nft",
    "chroot /mnt sshd -t",
    "mkdir -p /mnt/etc/systemd/system/sysinit.target.wants",
    "ln -sf /lib/systemd/system/nftables.service /mnt/etc/systemd/system/sysinit.target.wants/nftables.service",
    "for d in dev sys proc; do umount /mnt/$d; done",
    "umount /mnt",
    "reboot",
    "",
  ].join("\n");
}
