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
    // The tag the provider and install were checked against (docs/conformance/stalwart.md).
    version: "0.16.18",
    // NOT PINNED YET (all zeros): Stalwart releases publish no checksum file (only the
    // tarballs, *.sigstore.json bundles and a GitHub build attestation), and no public source
    // reachable from here records this tarball's hash. The install script refuses this value
    // before downloading, and refuses any tarball whose sha256 differs from the pin. Fill it
    // as docs/platform.md (Stalwart, "Pinning the release") describes.
    sha256: "0000000000000000000000000000000000000000000000000000000000000000",
  },
  zulip: { chart: "0.11.0", app: "11.4.0" },
};
