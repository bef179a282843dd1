import { defineEnvironment } from "./schema";
import { platformVersions } from "./versions";

/** staging: production's shape on a Cloud server; the place releases are tried first. */
export default defineEnvironment({
  stack: "staging",
  cell: "staging",
  production: false,
  domain: "staging.dezky.eu",
  acmeEmail: "ops@dezky.eu",
  host: { kind: "cloud", serverType: "cx42", location: "fsn1", diskGb: 320 },
  adminCidrs: ["203.0.113.0/28", "2001:db8:10::/48"],
  adminSshKeys: [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmnaA0oPq3m2Xg3cRpxtSmsyX7Pe0EDSGdD4GxGg6Lk ops@dezky",
  ],
  k3s: { version: "v1.33.5+k3s1" },
  objectStorage: {
    location: "fsn1",
    buckets: { ocis: "dezky-staging-ocis", etcd: "dezky-staging-etcd" },
  },
  backup: { primaryLocation: "fsn1", drLocation: "hel1" },
  versions: platformVersions,
  services: { zulip: true },
  costCeilingEur: 80,
});
