/**
 * Platform service versions shared by the environments. Each environment may override a pin
 * (e.g. staging trying a new release first); every value is exact, never `latest`.
 */
import type { EnvironmentInput } from "./schema";

export const platformVersions: EnvironmentInput["versions"] = {
  certManager: "v1.19.1",
  // 0.7.0: its CI tests Kubernetes 1.32-1.35; 0.8.0+ drop 1.33 (CHANGELOG). Where each pin
  // comes from, and what supports what: scripts/lib/pin-sources.ts.
  certManagerWebhookHetzner: "0.7.0",
  // Chart 2026.8.0 is the newest published chart seen; the app tag stays in step with the
  // @goauthentik/api client pinned in package.json.
  authentik: { chart: "2026.8.0", app: "2026.8.3" },
  ocis: { app: "7.1.3" },
  // Chart 1.1.51 is the release whose appVersion is 25.04.6.2.1 (the repo's index.yaml).
  collabora: { chart: "1.1.51", app: "25.04.6.2.1" },
  // Official tags are 16.10, 16, 16.10-<variant>; there is no 16.10.0.
  postgres: { repository: "docker.io/library/postgres", tag: "16.10" },
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
  // Chart 2.1.0 (OCI only) ships appVersion 12.1-0; the image tags are <zulip>-<build>.
  zulip: { chart: "2.1.0", app: "12.1-0" },
};
