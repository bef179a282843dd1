import { defineEnvironment } from "./schema";
import { platformVersions } from "./versions";

/** dev: a small Hetzner Cloud server, nothing protected, torn down freely. */
export default defineEnvironment({
  stack: "dev",
  cell: "dev",
  production: false,
  domain: "dev.dezky.eu",
  acmeEmail: "ops@dezky.eu",
  host: { kind: "cloud", serverType: "cx32", location: "nbg1", diskGb: 160 },
  adminCidrs: ["203.0.113.0/28", "2001:db8:10::/48"],
  adminSshKeys: [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmnaA0oPq3m2Xg3cRpxtSmsyX7Pe0EDSGdD4GxGg6Lk ops@dezky",
  ],
  k3s: { version: "v1.33.5+k3s1" },
  objectStorage: { location: "nbg1", buckets: { ocis: "dezky-dev-ocis", etcd: "dezky-dev-etcd" } },
  backup: { primaryLocation: "nbg1", drLocation: "hel1" },
  versions: platformVersions,
  services: { zulip: false },
  costCeilingEur: 60,
});
