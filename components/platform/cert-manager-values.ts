/**
 * cert-manager, the Hetzner DNS-01 webhook and the issuers, as data.
 *
 * Why DNS-01: tenant subdomains are served by a wildcard (`*.<domain>`), and ACME issues
 * wildcards only through DNS-01. The platform zone is on Hetzner DNS (Cloud API), so the
 * webhook uses the same hcloud token the program already has. One wildcard certificate plus
 * the apex becomes Traefik's default certificate, so every Ingress under the domain is covered
 * without per-host orders (and without Let's Encrypt rate limits growing with tenants).
 * HTTP-01 stays available as a second issuer for names outside the zone (a tenant's own
 * domain pointed at us by CNAME).
 */

export const CERT_MANAGER_NAMESPACE = "cert-manager";
export const CERT_MANAGER_REPO = "https://charts.jetstack.io";
export const HETZNER_WEBHOOK_REPO = "https://charts.hetzner.cloud";
export const HETZNER_WEBHOOK_CHART = "cert-manager-webhook-hetzner";
/** The API group the webhook registers; the issuer must name the same one. */
export const WEBHOOK_GROUP_NAME = "acme.dezky.eu";
export const HCLOUD_TOKEN_SECRET = "hcloud-dns-token";
export const HCLOUD_TOKEN_KEY = "token";
export const DNS_ISSUER = "letsencrypt-dns";
export const HTTP_ISSUER = "letsencrypt-http";
export const WILDCARD_SECRET = "platform-wildcard-tls";
/** Traefik (k3s) lives in kube-system; its default TLSStore is read from there. */
export const TRAEFIK_NAMESPACE = "kube-system";

/**
 * Every cell, dev and staging included, uses Let's Encrypt's production directory: staging's
 * roots are in no trust store, so Node's fetch (readiness gates), OCIS -> Authentik discovery
 * and Collabora's WOPI calls would all fail there. Each cluster registers its own ACME account
 * (its own `<issuer>-account` key Secret). Why, and the rate limits: docs/platform.md.
 */
export const LETSENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

const small = {
  requests: { cpu: "20m", memory: "64Mi" },
  limits: { cpu: "200m", memory: "256Mi" },
};

export function certManagerValues() {
  return {
    crds: { enabled: true, keep: true },
    resources: small,
    webhook: { resources: small },
    cainjector: { resources: small },
    startupapicheck: { resources: small },
  };
}

export function hetznerWebhookValues() {
  return { groupName: WEBHOOK_GROUP_NAME, resources: small };
}

export interface IssuerOptions {
  acmeEmail: string;
}

export function clusterIssuers(opts: IssuerOptions) {
  const server = LETSENCRYPT;
  const acme = (name: string, solver: Record<string, unknown>) => ({
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name },
    spec: {
      acme: {
        email: opts.acmeEmail,
        server,
        privateKeySecretRef: { name: `${name}-account` },
        solvers: [solver],
      },
    },
  });
  return [
    acme(DNS_ISSUER, {
      dns01: {
        webhook: {
          groupName: WEBHOOK_GROUP_NAME,
          solverName: "hetzner",
          config: { tokenSecretKeyRef: { name: HCLOUD_TOKEN_SECRET, key: HCLOUD_TOKEN_KEY } },
        },
      },
    }),
    acme(HTTP_ISSUER, { http01: { ingress: { ingressClassName: "traefik" } } }),
  ];
}

/** The wildcard + apex certificate for the platform domain. */
export function wildcardCertificate(domain: string) {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "platform-wildcard", namespace: TRAEFIK_NAMESPACE },
    spec: {
      secretName: WILDCARD_SECRET,
      dnsNames: [domain, `*.${domain}`],
      issuerRef: { kind: "ClusterIssuer", name: DNS_ISSUER },
      // cert-manager's defaults (RSA 2048, a new key on every renewal since v1.18).
    },
  };
}

/** Makes the wildcard Traefik's default certificate. */
export function traefikDefaultTlsStore() {
  return {
    apiVersion: "traefik.io/v1alpha1",
    kind: "TLSStore",
    metadata: { name: "default", namespace: TRAEFIK_NAMESPACE },
    spec: { defaultCertificate: { secretName: WILDCARD_SECRET } },
  };
}
