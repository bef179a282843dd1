import { defineEnvironment } from "./schema";
import { operators } from "./operators";
import { platformVersions } from "./versions";

/** dev: a small Hetzner Cloud server, nothing protected, torn down freely. */
export default defineEnvironment({
  stack: "dev",
  cell: "dev",
  production: false,
  domain: "dezky-dev.eu",
  ...operators,
  host: { kind: "cloud", serverType: "cx33", location: "nbg1", diskGb: 80 },
  k3s: { version: "v1.33.5+k3s1" },
  objectStorage: { location: "nbg1", buckets: { ocis: "dezky-dev-ocis", etcd: "dezky-dev-etcd" } },
  backup: { primaryLocation: "nbg1", drLocation: "hel1" },
  versions: platformVersions,
  services: { zulip: false },
  costCeilingEur: 60,
});
