import { defineEnvironment } from "./schema";
import { operators } from "./operators";
import { platformVersions } from "./versions";

/** staging: production's shape on a Cloud server; the place releases are tried first. */
export default defineEnvironment({
  stack: "staging",
  cell: "staging",
  production: false,
  domain: "dezky-staging.eu",
  ...operators,
  host: { kind: "cloud", serverType: "cx43", location: "fsn1", diskGb: 160 },
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
