/**
 * Values for the Zulip chart (zulip/docker-zulip helm/zulip), with Authentik as the OIDC login.
 * The OIDC client secret reaches the pod as SECRETS_social_auth_oidc_secret from a Secret.
 */
import { ZULIP_APP_SLUG, ZULIP_CLIENT_ID, issuerUrl } from "./authentik-blueprint";
import { fromSecret, httpProbe, resources } from "./k8s-shapes";

export const ZULIP_NAMESPACE = "zulip";
export const ZULIP_REPO = "https://zulip.github.io/docker-zulip";
export const ZULIP_SECRET = "zulip-oidc";

export function zulipValues(o: { domain: string; appVersion: string; adminEmail: string }) {
  const host = `chat.${o.domain}`;
  const idps = {
    authentik: {
      oidc_url: issuerUrl(o.domain, ZULIP_APP_SLUG),
      display_name: "Dezky",
      client_id: ZULIP_CLIENT_ID,
      auto_signup: true,
    },
  };
  return {
    image: { tag: o.appVersion },
    resources: resources("500m", "2Gi", "2", "4Gi"),
    readinessProbe: httpProbe("/health", 80, 60),
    zulip: {
      environment: {
        SETTING_EXTERNAL_HOST: host,
        SETTING_ZULIP_ADMINISTRATOR: o.adminEmail,
        ZULIP_AUTH_BACKENDS: "GenericOpenIdConnectBackend",
        SETTING_SOCIAL_AUTH_OIDC_ENABLED_IDPS: JSON.stringify(idps),
        DISABLE_HTTPS: "true",
        SSL_CERTIFICATE_GENERATION: "self-signed",
        LOADBALANCER_IPS: "10.42.0.0/16",
      },
      extraEnv: [fromSecret("SECRETS_social_auth_oidc_secret", ZULIP_SECRET, "clientSecret")],
    },
    ingress: {
      enabled: true,
      className: "traefik",
      hosts: [{ host, paths: [{ path: "/" }] }],
      tls: [{ hosts: [host] }],
    },
  };
}
