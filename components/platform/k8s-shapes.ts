/**
 * Small pure builders for the Kubernetes shapes every platform workload repeats: resource
 * requests/limits, HTTP readiness probes, env entries read from Secrets, and Ingress rules.
 */

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** Requests and limits; limits default to twice the CPU request and the memory request. */
export function resources(
  cpu: string,
  memory: string,
  cpuLimit?: string,
  memoryLimit?: string,
): Resources {
  return {
    requests: { cpu, memory },
    limits: { cpu: cpuLimit ?? cpu, memory: memoryLimit ?? memory },
  };
}

export interface HttpProbe {
  httpGet: { path: string; port: number | string; scheme?: string };
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export function httpProbe(
  path: string,
  port: number | string,
  initialDelaySeconds = 10,
): HttpProbe {
  return {
    httpGet: { path, port },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
}

export function execProbe(command: string[], initialDelaySeconds = 10) {
  return {
    exec: { command },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
}

export interface SecretEnv {
  name: string;
  valueFrom: { secretKeyRef: { name: string; key: string } };
}

/** An env entry whose value comes from a Secret key (never a literal value). */
export function fromSecret(name: string, secret: string, key: string = name): SecretEnv {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** Plain env entries from a record of non-secret values. */
export function plainEnv(values: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

/**
 * An Ingress served by k3s's Traefik. TLS comes from Traefik's default certificate (the
 * wildcard issued by cert-manager, see cert-manager-values.ts), so no per-Ingress secret.
 */
export function ingressSpec(host: string, service: string, port: number, path = "/") {
  return {
    ingressClassName: "traefik",
    tls: [{ hosts: [host] }],
    rules: [
      {
        host,
        http: {
          paths: [
            {
              path,
              pathType: "Prefix",
              backend: { service: { name: service, port: { number: port } } },
            },
          ],
        },
      },
    ],
  };
}

/** Labels every platform object carries. */
export function labels(app: string, cell: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": app,
    "app.kubernetes.io/managed-by": "pulumi",
    "dezky.eu/cell": cell,
  };
}
