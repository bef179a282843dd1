/**
 * Values for the official Collabora Online chart (collabora/online). Collabora accepts WOPI
 * requests only from the OCIS collaboration service (aliasgroups); TLS ends at Traefik.
 */
import { OCIS_WOPI_SRC } from "./ocis-manifests";

export const COLLABORA_NAMESPACE = "collabora";
export const COLLABORA_REPO = "https://collaboraonline.github.io/online/";
export const COLLABORA_ADMIN_SECRET = "collabora-admin";

export function collaboraValues(o: { domain: string; appVersion: string }) {
  const host = `office.${o.domain}`;
  const probe = {
    httpGet: { path: "/", port: 9980 },
    initialDelaySeconds: 20,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
  return {
    image: { tag: o.appVersion },
    replicaCount: 1,
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
    readinessProbe: probe,
    livenessProbe: { ...probe, initialDelaySeconds: 60 },
    ingress: {
      enabled: true,
      className: "traefik",
      hosts: [{ host, paths: [{ path: "/", pathType: "ImplementationSpecific" }] }],
      tls: [{ hosts: [host] }],
    },
  };
}
