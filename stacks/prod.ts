import { defineEnvironment } from "./schema";
import { operators } from "./operators";
import { platformVersions } from "./versions";

/**
 * prod: the adopted AX41-NVMe in Falkenstein (bought once in Robot, installed with
 * scripts/install-dedicated). Identity is pinned here; nothing is trusted on first use.
 */
export default defineEnvironment({
  stack: "prod",
  cell: "prod-fsn1-a",
  production: true,
  // Deployed first; the other production cells follow once it is healthy.
  canary: true,
  domain: "dezky.eu",
  ...operators,
  host: {
    kind: "dedicated",
    model: "AX41-NVMe",
    location: "fsn1",
    robotServerNumber: 2345678,
    ipv4: "198.51.100.24",
    ipv6Net: "2a01:4f8:10a:1f2d::/64",
    sshHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM0yA7Ue3gTgI3Jw1r1o2bQp8xjvS7x9mMZ1i6oYk0cQ",
    diskGb: 476,
  },
  k3s: { version: "v1.33.5+k3s1" },
  objectStorage: {
    location: "fsn1",
    buckets: { ocis: "dezky-prod-fsn1-a-ocis", etcd: "dezky-prod-fsn1-a-etcd" },
  },
  backup: { primaryLocation: "fsn1", drLocation: "hel1" },
  versions: platformVersions,
  services: { zulip: false },
  costCeilingEur: 120,
});
