/**
 * Kubernetes side of Stalwart (which runs on the host, not in k3s): the route that lets Traefik
 * serve mail.<domain> from the host's management port, and the CronJob that copies the
 * platform wildcard certificate to the host for SMTP/IMAP TLS.
 */
import { TRAEFIK_NAMESPACE, WILDCARD_SECRET } from "./cert-manager-values";
import { resources } from "./k8s-shapes";
import { STALWART_HTTP_PORT, STALWART_TLS_INCOMING, tlsSyncScript } from "./stalwart-render";

export const MAIL_NAMESPACE = "mail";
export const STALWART_SERVICE = "stalwart";

/** A selector-less Service; its EndpointSlice names the host's address. */
export function stalwartService() {
  return {
    metadata: { name: STALWART_SERVICE, namespace: MAIL_NAMESPACE },
    spec: { ports: [{ name: "http", port: 80, targetPort: STALWART_HTTP_PORT, protocol: "TCP" }] },
  };
}

export function stalwartEndpointSlice(hostIpv4: string) {
  return {
    metadata: {
      name: `${STALWART_SERVICE}-host`,
      namespace: MAIL_NAMESPACE,
      labels: {
        "kubernetes.io/service-name": STALWART_SERVICE,
        "endpointslice.kubernetes.io/managed-by": "pulumi",
      },
    },
    addressType: "IPv4",
    ports: [{ name: "http", port: STALWART_HTTP_PORT, protocol: "TCP" }],
    endpoints: [{ addresses: [hostIpv4], conditions: { ready: true } }],
  };
}

/** Every 6 h: copy the wildcard certificate to the host; a path unit there installs it. */
export function tlsSyncCronJob(image: string) {
  return {
    metadata: { name: "stalwart-tls-sync", namespace: TRAEFIK_NAMESPACE },
    spec: {
      schedule: "17 */6 * * *",
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: {
            spec: {
              restartPolicy: "OnFailure",
              containers: [
                {
                  name: "sync",
                  image,
                  command: ["sh", "-c", tlsSyncScript()],
                  resources: resources("10m", "16Mi", "100m", "64Mi"),
                  volumeMounts: [
                    { name: "secret", mountPath: "/secret", readOnly: true },
                    { name: "host-tls", mountPath: "/host-tls" },
                  ],
                },
              ],
              volumes: [
                { name: "secret", secret: { secretName: WILDCARD_SECRET } },
                {
                  name: "host-tls",
                  hostPath: { path: STALWART_TLS_INCOMING, type: "DirectoryOrCreate" },
                },
              ],
            },
          },
        },
      },
    },
  };
}
