/**
 * The installimage autosetup for an AX41-NVMe (two NVMe disks, software RAID 1, Debian 12),
 * used by scripts/install-dedicated in the Hetzner rescue system. Pure and tested.
 */
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
