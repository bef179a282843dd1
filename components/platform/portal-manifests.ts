/**
 * The product's own apps in namespace "portal": MongoDB (for the provisioning service), the
 * customer portal at app.<domain> and the provisioning API at api.<domain>, both trusting
 * Authentik (issuer, JWKS, audience = the portal's client id). Secrets only by reference.
 */
import { PORTAL_APP_SLUG, PORTAL_CLIENT_ID, issuerUrl } from "./authentik-blueprint";
import {
  type SecretEnv,
  execProbe,
  fromSecret,
  httpProbe,
  labels,
  plainEnv,
  resources,
} from "./k8s-shapes";

export const PORTAL_NAMESPACE = "portal";
export const MONGODB_SERVICE = "mongodb";
export const MONGODB_SECRET = "mongodb";
export const PORTAL_SECRET = "portal";
export const PROVISIONING_SECRET = "provisioning";

export interface PortalOptions {
  domain: string;
  cell: string;
  mongoImage: string;
  portalImage: string;
  provisioningImage: string;
}

/** What the apps need to validate Authentik tokens. */
export function oidcSettings(domain: string) {
  const issuer = issuerUrl(domain, PORTAL_APP_SLUG);
  return {
    issuer,
    jwksUri: `${issuer}jwks/`,
    audience: PORTAL_CLIENT_ID,
    scopes: "openid profile email groups",
  };
}

export function mongoStatefulSet(o: PortalOptions) {
  const l = labels(MONGODB_SERVICE, o.cell);
  return {
    metadata: { name: MONGODB_SERVICE, namespace: PORTAL_NAMESPACE, labels: l },
    spec: {
      serviceName: MONGODB_SERVICE,
      replicas: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": MONGODB_SERVICE } },
      template: {
        metadata: { labels: l },
        spec: {
          containers: [
            {
              name: "mongodb",
              image: o.mongoImage,
              ports: [{ name: "mongodb", containerPort: 27017 }],
              env: [
                fromSecret("MONGO_INITDB_ROOT_USERNAME", MONGODB_SECRET, "username"),
                fromSecret("MONGO_INITDB_ROOT_PASSWORD", MONGODB_SECRET, "password"),
              ],
              resources: resources("100m", "256Mi", "1", "1Gi"),
              readinessProbe: execProbe(
                ["mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"],
                10,
              ),
              volumeMounts: [{ name: "data", mountPath: "/data/db" }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
        },
      ],
    },
  };
}

type EnvEntry = { name: string; value: string } | SecretEnv;

function appDeployment(name: string, cell: string, image: string, port: number, env: EnvEntry[]) {
  const l = labels(name, cell);
  return {
    metadata: { name, namespace: PORTAL_NAMESPACE, labels: l },
    spec: {
      replicas: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      template: {
        metadata: { labels: l },
        spec: {
          containers: [
            {
              name,
              image,
              ports: [{ name: "http", containerPort: port }],
              env,
              resources: resources("100m", "256Mi", "1", "512Mi"),
              readinessProbe: httpProbe("/healthz", port, 5),
            },
          ],
        },
      },
    },
  };
}

export function portalDeployment(o: PortalOptions) {
  const oidc = oidcSettings(o.domain);
  return appDeployment("portal", o.cell, o.portalImage, 3000, [
    ...plainEnv({
      PUBLIC_URL: `https://app.${o.domain}`,
      API_URL: `https://api.${o.domain}`,
      OIDC_ISSUER: oidc.issuer,
      OIDC_CLIENT_ID: PORTAL_CLIENT_ID,
      OIDC_SCOPES: oidc.scopes,
    }),
    fromSecret("OIDC_CLIENT_SECRET", PORTAL_SECRET, "oidcClientSecret"),
    fromSecret("PORTAL_TOKEN_KEY", PORTAL_SECRET, "tokenKey"),
  ]);
}

export function provisioningDeployment(o: PortalOptions) {
  const oidc = oidcSettings(o.domain);
  return appDeployment("provisioning", o.cell, o.provisioningImage, 8080, [
    ...plainEnv({
      PUBLIC_URL: `https://api.${o.domain}`,
      OIDC_ISSUER: oidc.issuer,
      OIDC_JWKS_URI: oidc.jwksUri,
      OIDC_AUDIENCE: oidc.audience,
    }),
    fromSecret("MONGODB_URI", PROVISIONING_SECRET, "mongodbUri"),
    fromSecret("STRIPE_SECRET_KEY", PROVISIONING_SECRET, "stripeSecretKey"),
    fromSecret("STRIPE_WEBHOOK_SECRET", PROVISIONING_SECRET, "stripeWebhookSecret"),
  ]);
}

export function clusterService(name: string, cell: string, port: number, targetPort: number) {
  return {
    metadata: { name, namespace: PORTAL_NAMESPACE, labels: labels(name, cell) },
    spec: {
      selector: { "app.kubernetes.io/name": name },
      ports: [{ name: "http", port, targetPort }],
    },
  };
}

/** The provisioning service's connection string (secret once the password is in). */
export function mongoUri(username: string, password: string): string {
  return `mongodb://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${MONGODB_SERVICE}.${PORTAL_NAMESPACE}.svc.cluster.local:27017/provisioning?authSource=admin`;
}
