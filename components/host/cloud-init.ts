/**
 * cloud-init user data for a Cloud host. It only prepares the machine at first boot (packages,
 * host firewall, unattended upgrades, sshd hardening, the program's SSH host key); everything
 * after first boot converges over SSH, so this document is never re-applied and the server
 * ignores later changes to it (see docs/k3s-upgrades.md "Why user data never replaces a server").
 */
import { stringify } from "yaml";
import {
  AUTO_UPGRADES_CONF,
  BASE_PACKAGES,
  NFTABLES_CONF,
  UNATTENDED_UPGRADES_CONF,
} from "./host-scripts";

export interface CloudInitArgs {
  hostname: string;
  fqdn: string;
  /** Rendered nftables ruleset (components/host/firewall-render.ts). */
  nftables: string;
  /** The host key pair the program pins; the private half makes the user data secret. */
  hostKey: { publicKey: string; privateKey: string };
  packages?: readonly string[];
}

export const SSHD_HARDENING = [
  "PasswordAuthentication no",
  "KbdInteractiveAuthentication no",
  "PermitRootLogin prohibit-password",
  "X11Forwarding no",
  "",
].join("\n");

/** Renders `#cloud-config` YAML. Pure: same input, same bytes. */
export function renderCloudInit(args: CloudInitArgs): string {
  const doc = {
    hostname: args.hostname,
    fqdn: args.fqdn,
    preserve_hostname: false,
    ssh_pwauth: false,
    // Replace the image's host keys with the pinned one; generate no other type, so the
    // pinned Ed25519 key is the only one sshd offers.
    ssh_deletekeys: true,
    ssh_genkeytypes: ["ed25519"],
    ssh_keys: {
      ed25519_private: args.hostKey.privateKey,
      ed25519_public: args.hostKey.publicKey,
    },
    package_update: true,
    package_upgrade: true,
    packages: [...(args.packages ?? BASE_PACKAGES)],
    write_files: [
      { path: "/etc/nftables.d/dezky-host.nft", permissions: "0644", content: args.nftables },
      { path: "/etc/nftables.conf", permissions: "0644", content: NFTABLES_CONF },
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
        path: "/etc/ssh/sshd_config.d/50-dezky.conf",
        permissions: "0644",
        content: SSHD_HARDENING,
      },
    ],
    runcmd: [
      ["nft", "-f", "/etc/nftables.d/dezky-host.nft"],
      ["systemctl", "enable", "--now", "nftables.service"],
      ["systemctl", "enable", "--now", "unattended-upgrades.service"],
      ["systemctl", "reload", "ssh"],
    ],
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}
