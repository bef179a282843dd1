import { defineEnvironment } from "./schema";
import { operators } from "./operators";
import { platformVersions } from "./versions";

/** dev: a small Hetzner Cloud server, nothing protected, torn down freely. */
export default defineEnvironment({
  stack: "dev",
  cell: "dev",
  production: false,
  domain: "dev.dezky.eu",
  ...operators,
  host: { kind: "cloud", serverType: "cx32", location: "nbg1", diskGb: 160 },
  k3s: { version: "v1.33.5+k3s1" },
  objectStorage: { location: "nbg1", buckets: { ocis: "dezky-dev-ocis", etcd: "dezky-dev-etcd" } },
  backup: { primaryLocation: "nbg1", drLocation: "hel1" },
  versions: platformVersions,
  services: { zulip: false },
  costCeilingEur: 60,
});
