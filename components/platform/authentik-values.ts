/** Helm values for the official Authentik chart (goauthentik/authentik). No secrets in here. */
import { ingressSpec, resources } from "./k8s-shapes";

export const AUTHENTIK_NAMESPACE = "authentik";
export const AUTHENTIK_REPO = "https://charts.goauthentik.io";
export const AUTHENTIK_ENV_SECRET = "authentik-env";
export const AUTHENTIK_BLUEPRINTS = "authentik-blueprints";
export const AUTHENTIK_DB = "authentik-postgresql";

export interface AuthentikValuesOptions {
  domain: string;
  /** App image tag (env.versions.authentik.app). */
  appVersion: string;
}

export function authentikValues(o: AuthentikValuesOptions) {
  const host = `auth.${o.domain}`;
  const ingress = ingressSpec(host, "authentik-server", 80);
  const probe = (path: string) => ({
    httpGet: { path, port: "http" },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  });
  return {
    global: {
      image: { tag: o.appVersion },
      // Every secret (secret key, DB password, bootstrap password/token/email, blueprint !Env
      // values) arrives through this Secret, never as a chart value.
      envFrom: [{ secretRef: { name: AUTHENTIK_ENV_SECRET } }],
    },
    authentik: {
      error_reporting: { enabled: false },
      postgresql: { host: AUTHENTIK_DB, name: "authentik", user: "authentik", port: 5432 },
    },
    server: {
      replicas: 1,
      resources: resources("200m", "512Mi", "1", "1Gi"),
      readinessProbe: probe("/-/health/ready/"),
      ingress: { enabled: true, ingressClassName: "traefik", hosts: [host], tls: ingress.tls },
    },
    worker: {
      replicas: 1,
      resources: resources("100m", "512Mi", "1", "1Gi"),
    },
    blueprints: { configMaps: [AUTHENTIK_BLUEPRINTS] },
    // Our own PostgreSQL (postgres-manifests.ts). The pinned chart's values.yaml has no
    // `redis` key (Authentik no longer uses Redis), so none is set here.
    postgresql: { enabled: false },
  };
}
