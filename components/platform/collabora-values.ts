/**
 * Values for the official Collabora Online chart (CollaboraOnline/online,
 * kubernetes/helm/collabora-online). Collabora accepts WOPI requests only from the OCIS
 * collaboration service (aliasgroups); TLS ends at Traefik. Every key is checked in test/charts
 * against the keys the chart reads (test/charts/contracts/collabora-online.json, with sources).
 */
import { OCIS_WOPI_SRC } from "./ocis-manifests";

export const COLLABORA_NAMESPACE = "collabora";
export const COLLABORA_REPO = "https://collaboraonline.github.io/online/";
export const COLLABORA_ADMIN_SECRET = "collabora-admin";

export function collaboraValues(o: { domain: string; appVersion: string }) {
  const host = `office.${o.domain}`;
  return {
    image: { tag: o.appVersion },
    // Exactly one pod: the chart's default HPA (autoscaling.enabled: true, minReplicas 2)
    // ignores replicaCount, and co-editing needs every request of a document (same WOPISrc)
    // on the same pod, which Traefik's round robin does not give across pods.
    replicaCount: 1,
    autoscaling: { enabled: false },
    collabora: {
      aliasgroups: [{ host: OCIS_WOPI_SRC }],
      extra_params: "--o:ssl.enable=false --o:ssl.termination=true --o:welcome.enable=false",
      server_name: host,
      // Admin console credentials come from a Secret, never from values.
      existingSecret: {
        enabled: true,
        secretName: COLLABORA_ADMIN_SECRET,
        usernameKey: "username",
        passwordKey: "password",
      },
    },
    resources: {
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "2", memory: "3Gi" },
    },
    // The chart renders its probes from probes.* (HTTP on the container port); only timing is
    // ours: a slow first start on a small host gets 5 minutes before liveness applies.
    probes: {
      startup: { enabled: true, failureThreshold: 60, periodSeconds: 5 },
      readiness: { enabled: true, periodSeconds: 10, failureThreshold: 3 },
      liveness: { enabled: true, periodSeconds: 10, failureThreshold: 6 },
    },
    ingress: {
      enabled: true,
      className: "traefik",
      hosts: [{ host, paths: [{ path: "/", pathType: "ImplementationSpecific" }] }],
      tls: [{ hosts: [host] }],
    },
  };
}
