/**
 * Every version pin of an environment, with the upstream that publishes it and where that was
 * read. The pins checker (scripts/check-pins.ts) asks each upstream whether the pin exists; an
 * offline test requires a recorded source for every pin, so a new pin cannot land unchecked.
 */
import type { Environment } from "../../stacks/schema";

export type PinCheck =
  /** A classic Helm repository: the version is listed in <repo>/index.yaml. */
  | { kind: "helm-repo"; repo: string; chart: string; version: string }
  /** An OCI artifact (chart or image): its manifest exists in the registry. */
  | { kind: "oci"; registry: string; repository: string; tag: string }
  /** A GitHub release tag. */
  | { kind: "github-release"; repo: string; tag: string };

export interface Pin {
  /** The pin's path in the environment, e.g. versions.collabora.chart. */
  id: string;
  check: PinCheck;
  /** Where the pin was verified (repo@ref path, or doc URL). */
  source: string;
}

/** docker.io/library/postgres -> registry-1.docker.io + library/postgres; ghcr.io/x/y as is. */
export function imageRef(repository: string, tag: string): PinCheck {
  const [host, ...path] = repository.split("/");
  const registry = host === "docker.io" ? "registry-1.docker.io" : host;
  return { kind: "oci", registry, repository: path.join("/"), tag };
}

/** Recorded sources, keyed by pin id. A pin without one fails the offline test. */
export const PIN_SOURCES: Record<string, string> = {
  "k3s.version":
    "k3s-io/k3s GitHub releases (tag v<kubernetes>+k3sN; 'Embedded Component Versions' lists Kubernetes and Traefik)",
  "versions.certManager":
    "cert-manager/cert-manager@v1.19.1 deploy/charts/cert-manager (shared/specs/charts/cert-manager/v1.19.1); supports Kubernetes 1.31-1.35 (cert-manager.io/docs/releases)",
  "versions.certManagerWebhookHetzner":
    "hetzner/cert-manager-webhook-hetzner@v0.7.0 chart/Chart.yaml version 0.7.0; .github/workflows/test.yml tests Kubernetes 1.32-1.35 (0.8.0 CHANGELOG: drops 1.32 and 1.33)",
  "versions.authentik.chart":
    "goauthentik/helm@4b4cf01 charts/authentik/Chart.yaml version 2026.8.0 (newest chart in the snapshot; no 2026.8.3 chart seen)",
  "versions.authentik.app":
    "ghcr.io/goauthentik/server:2026.8.3, the server release of the @goauthentik/api 2026.8.3 client (npm)",
  "versions.ocis.app": "docker.io/owncloud/ocis tags (owncloud/ocis release v7.1.3)",
  "versions.collabora.chart":
    "CollaboraOnline/online gh-pages index.yaml@08cf7d7: collabora-online 1.1.51, appVersion 25.04.6.2.1",
  "versions.collabora.app":
    "CollaboraOnline/online gh-pages index.yaml@08cf7d7: chart 1.1.51 artifacthub image docker.io/collabora/code:25.04.6.2.1",
  "versions.postgres":
    "Docker Official Image postgres: tags 16.10, 16, 16.10-<variant> (no 16.10.0)",
  "versions.mongodb": "Docker Official Image mongo: tag 7.0.24",
  "versions.portal": "ghcr.io/dezky/portal (Dezky's own release 1.4.0)",
  "versions.provisioning": "ghcr.io/dezky/provisioning (Dezky's own release 1.4.0)",
  "versions.stalwart.version": "stalwartlabs/stalwart GitHub release (owned by the Stalwart work)",
  "versions.zulip.chart":
    "zulip/docker-zulip@helm-2.1.0 helm/zulip/Chart.yaml version 2.1.0; pushed only to oci://ghcr.io/zulip/helm-charts (.github/workflows/helm-push.yaml:49)",
  "versions.zulip.app":
    "zulip/docker-zulip@helm-2.1.0 helm/zulip/Chart.yaml appVersion 12.1-0, image ghcr.io/zulip/zulip-server (values.yaml image.repository)",
};

/** Every pin of one environment with the upstream check that proves it exists. */
export function pinsOf(env: Environment): Pin[] {
  const v = env.versions;
  const pins: Omit<Pin, "source">[] = [
    {
      id: "k3s.version",
      check: { kind: "github-release", repo: "k3s-io/k3s", tag: env.k3s.version },
    },
    {
      id: "versions.certManager",
      check: {
        kind: "helm-repo",
        repo: "https://charts.jetstack.io",
        chart: "cert-manager",
        version: v.certManager,
      },
    },
    {
      id: "versions.certManagerWebhookHetzner",
      check: {
        kind: "helm-repo",
        repo: "https://charts.hetzner.cloud",
        chart: "cert-manager-webhook-hetzner",
        version: v.certManagerWebhookHetzner,
      },
    },
    {
      id: "versions.authentik.chart",
      check: {
        kind: "helm-repo",
        repo: "https://charts.goauthentik.io",
        chart: "authentik",
        version: v.authentik.chart,
      },
    },
    {
      id: "versions.authentik.app",
      check: imageRef("ghcr.io/goauthentik/server", v.authentik.app),
    },
    { id: "versions.ocis.app", check: imageRef("docker.io/owncloud/ocis", v.ocis.app) },
    {
      id: "versions.collabora.chart",
      check: {
        kind: "helm-repo",
        repo: "https://collaboraonline.github.io/online",
        chart: "collabora-online",
        version: v.collabora.chart,
      },
    },
    { id: "versions.collabora.app", check: imageRef("docker.io/collabora/code", v.collabora.app) },
    { id: "versions.postgres", check: imageRef(v.postgres.repository, v.postgres.tag) },
    { id: "versions.mongodb", check: imageRef(v.mongodb.repository, v.mongodb.tag) },
    { id: "versions.portal", check: imageRef(v.portal.repository, v.portal.tag) },
    { id: "versions.provisioning", check: imageRef(v.provisioning.repository, v.provisioning.tag) },
    {
      id: "versions.stalwart.version",
      check: {
        kind: "github-release",
        repo: "stalwartlabs/stalwart",
        tag: `v${v.stalwart.version}`,
      },
    },
  ];
  if (v.zulip) {
    pins.push(
      {
        id: "versions.zulip.chart",
        check: {
          kind: "oci",
          registry: "ghcr.io",
          repository: "zulip/helm-charts/zulip",
          tag: v.zulip.chart,
        },
      },
      { id: "versions.zulip.app", check: imageRef("ghcr.io/zulip/zulip-server", v.zulip.app) },
    );
  }
  return pins.map((p) => ({ ...p, source: PIN_SOURCES[p.id] ?? "" }));
}
