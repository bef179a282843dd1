/**
 * Values for the Zulip chart 2.1.0 (zulip/docker-zulip helm/zulip, published only as the OCI
 * chart oci://ghcr.io/zulip/helm-charts/zulip), with Authentik as the OIDC login. Every key here
 * is checked against the chart's values.schema.json in test/charts; citations in
 * docs/conformance/platform.md.
 */
import { ZULIP_APP_SLUG, ZULIP_CLIENT_ID, issuerUrl } from "./authentik-blueprint";
import { resources } from "./k8s-shapes";

export const ZULIP_NAMESPACE = "zulip";
/** The chart is an OCI artifact; Helm reads it by this reference, not from a repo index. */
export const ZULIP_CHART = "oci://ghcr.io/zulip/helm-charts/zulip";
/** One Secret for Zulip's own secrets and its bundled services' passwords. */
export const ZULIP_SECRET = "zulip-secrets";

/** Keys of ZULIP_SECRET; the bitnami subcharts read theirs under these default names. */
export const ZULIP_SECRET_KEYS = {
  secretKey: "secret-key",
  oidcClientSecret: "oidc-client-secret",
  postgresUser: "password",
  postgresAdmin: "postgres-password",
  rabbitmq: "rabbitmq-password",
  rabbitmqErlangCookie: "rabbitmq-erlang-cookie",
  memcached: "memcached-password",
  redis: "redis-password",
} as const;

/**
 * A JSON-like value as a Python literal. The image's entrypoint writes a SETTING_ value that
 * starts with `{`, `[` or `(` verbatim into settings.py (docker-zulip entrypoint.sh
 * setConfigurationValue, type "array"), so JSON's true/false/null would fail at start-up.
 */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`pythonLiteral: ${value} has no Python literal`);
    return String(value);
  }
  // JSON string escapes (\" \\ \n \uXXXX) are valid in a Python string literal.
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`,
    );
    return `{${entries.join(", ")}}`;
  }
  throw new Error(`pythonLiteral: unsupported ${typeof value}`);
}

const fromZulipSecret = (key: string) => ({
  valueFrom: { secretKeyRef: { name: ZULIP_SECRET, key } },
});

export function zulipValues(o: { domain: string; appVersion: string; adminEmail: string }) {
  const host = `chat.${o.domain}`;
  // Zulip's IdP entry; the secret comes from zulip-secrets.conf (social_auth_oidc_secret).
  const idps = {
    authentik: {
      oidc_url: issuerUrl(o.domain, ZULIP_APP_SLUG),
      display_name: "Dezky",
      client_id: ZULIP_CLIENT_ID,
      auto_signup: true,
    },
  };
  const k = ZULIP_SECRET_KEYS;
  return {
    image: { tag: o.appVersion },
    resources: resources("500m", "2Gi", "2", "4Gi"),
    zulip: {
      environment: {
        SETTING_EXTERNAL_HOST: host,
        SETTING_ZULIP_ADMINISTRATOR: o.adminEmail,
        ZULIP_AUTH_BACKENDS: "GenericOpenIdConnectBackend",
        SETTING_SOCIAL_AUTH_OIDC_ENABLED_IDPS: pythonLiteral(idps),
        // TLS ends at Traefik: an empty CERTIFICATES makes nginx http-only (12.x renamed
        // DISABLE_HTTPS and SSL_CERTIFICATE_GENERATION to CERTIFICATES and refuses the old names).
        CERTIFICATES: "",
        // Traefik's pods (flannel's pod network) are the proxy whose X-Forwarded-For counts.
        LOADBALANCER_IPS: "10.42.0.0/16",
        SECRETS_secret_key: fromZulipSecret(k.secretKey),
        SECRETS_social_auth_oidc_secret: fromZulipSecret(k.oidcClientSecret),
      },
    },
    ingress: {
      enabled: true,
      className: "traefik",
      // The chart's schema requires a secretName in every ingress.tls entry, but the wildcard
      // lives in kube-system as Traefik's default certificate. So no tls block: the router is
      // marked TLS and Traefik serves it with its default (wildcard) certificate.
      annotations: { "traefik.ingress.kubernetes.io/router.tls": "true" },
      hosts: [{ host, paths: [{ path: "/" }] }],
    },
    // Bundled services read their passwords from the same Secret (bitnami existing-secret keys).
    postgresql: { auth: { existingSecret: ZULIP_SECRET } },
    rabbitmq: {
      auth: { existingPasswordSecret: ZULIP_SECRET, existingErlangSecret: ZULIP_SECRET },
    },
    memcached: { auth: { existingPasswordSecret: ZULIP_SECRET } },
    redis: { auth: { existingSecret: ZULIP_SECRET } },
  };
}
