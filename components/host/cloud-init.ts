/**
 * cloud-init user data for a Cloud host. It only prepares the machine at first boot (packages,
 * host firewall, unattended upgrades, sshd hardening, a bootstrap SSH host key); everything
 * after first boot converges over SSH, so this document is never re-applied and the server
 * ignores later changes to it (see docs/k3s-upgrades.md "Why user data never replaces a server").
 *
 * Hetzner serves user data unauthenticated to anything on the server for its whole life, so it
 * carries only a bootstrap host key: the first remote command (pinned to it) installs the
 * program's real host key over SSH and sshd stops offering the bootstrap key (cloud-host.ts).
 */
import { stringify } from "yaml";
import {
  AUTO_UPGRADES_CONF,
  BASE_PACKAGES,
  NFTABLES_CONF,
  NFTABLES_DROP_IN,
  NFTABLES_DROP_IN_PATH,
  UNATTENDED_UPGRADES_CONF,
} from "./host-scripts";
import { SSHD_DROP_IN_PATH, SSHD_HARDENING } from "./sshd-scripts";

export interface CloudInitArgs {
  hostname: string;
  fqdn: string;
  /** Rendered nftables ruleset (components/host/firewall-render.ts). */
  nftables: string;
  /** The bootstrap host key pair, replaced over SSH after first boot (never the pinned one). */
  bootstrapHostKey: { publicKey: string; privateKey: string };
  packages?: readonly string[];
}

/** Renders `#cloud-config` YAML. Pure: same input, same bytes. */
/**
 * "Cloud-Init user data to use during Server creation. This field is limited to 32KiB."
 * (docs.hetzner.cloud/reference/cloud#servers-create-a-server).
 */
export const USER_DATA_LIMIT_BYTES = 32 * 1024;

export function renderCloudInit(args: CloudInitArgs): string {
  const doc = {
    hostname: args.hostname,
    fqdn: args.fqdn,
    preserve_hostname: false,
    ssh_pwauth: false,
    // Replace the image's host keys with the bootstrap one; generate no other type, so it is
    // the only key sshd offers until the pinned key is delivered.
    ssh_deletekeys: true,
    ssh_genkeytypes: ["ed25519"],
    ssh_keys: {
      ed25519_private: args.bootstrapHostKey.privateKey,
      ed25519_public: args.bootstrapHostKey.publicKey,
    },
    package_update: true,
    package_upgrade: true,
    packages: [...(args.packages ?? BASE_PACKAGES)],
    write_files: [
      { path: "/etc/nftables.d/dezky-host.nft", permissions: "0644", content: args.nftables },
      { path: "/etc/nftables.conf", permissions: "0644", content: NFTABLES_CONF },
      { path: NFTABLES_DROP_IN_PATH, permissions: "0644", content: NFTABLES_DROP_IN },
      {
        path: "/etc/apt/apt.conf.d/20auto-upgrades",
        permissions: "0644",
        content: AUTO_UPGRADES_CONF,
      },
      {
        path: "/etc/apt/apt.conf.d/52dezky-unattended-upgrades",
        permissions: "0644",
        content: UNATTENDED_UPGRADES_CONF,
      },
      {
        path: SSHD_DROP_IN_PATH,
        permissions: "0644",
        content: SSHD_HARDENING,
      },
    ],
    runcmd: [
      ["systemctl", "daemon-reload"],
      ["nft", "-f", "/etc/nftables.d/dezky-host.nft"],
      ["systemctl", "enable", "--now", "nftables.service"],
      ["systemctl", "enable", "--now", "unattended-upgrades.service"],
      ["systemctl", "reload", "ssh"],
    ],
  };
  const text = `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
  const size = Buffer.byteLength(text, "utf8");
  if (size > USER_DATA_LIMIT_BYTES) {
    throw new Error(
      `cloud-init user data is ${size} bytes; the Hetzner Cloud API takes at most ${USER_DATA_LIMIT_BYTES} (32 KiB): move content to the convergence step`,
    );
  }
  return text;
}
