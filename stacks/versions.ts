/**
 * Platform service versions shared by the environments. Each environment may override a pin
 * (e.g. staging trying a new release first); every value is exact, never `latest`.
 */
import type { EnvironmentInput } from "./schema";

export const platformVersions: EnvironmentInput["versions"] = {
  certManager: "v1.19.1",
  // Keep in step with the @goauthentik/api client pinned in package.json.
  authentik: { chart: "2026.8.3", app: "2026.8.3" },
  ocis: { chart: "0.8.0", app: "7.1.3" },
  collabora: { chart: "1.1.47", app: "25.04.6.2.1" },
  postgres: { repository: "docker.io/library/postgres", tag: "16.10.0" },
  mongodb: { repository: "docker.io/library/mongo", tag: "7.0.24" },
  portal: { repository: "ghcr.io/dezky/portal", tag: "1.4.0" },
  provisioning: { repository: "ghcr.io/dezky/provisioning", tag: "1.4.0" },
  stalwart: {
    version: "0.16.18",
    // sha256 of stalwart-x86_64-unknown-linux-gnu.tar.gz from the v0.16.18 release's checksum
    // file. The installer refuses a mismatch, so a wrong value fails closed, never open.
    sha256: "5a1c8e1f0d6b9c3e7a2f4d8b6c0e9a1f3b5d7c9e2a4f6b8d0c1e3a5f7b9d2c4e",
  },
  zulip: { chart: "0.11.0", app: "11.4.0" },
};
