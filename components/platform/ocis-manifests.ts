/**
 * OCIS as its single binary on k3s (own manifests, so every setting and secret is explicit):
 * s3ng blobs in the cell's bucket, metadata + generated config on the "ocis-metadata" PVC
 * (covered by the backup CronJob), Authentik as external IdP with autoprovisioning, groups
 * from the `groups` claim and roles from the `roles` claim, and the collaboration (WOPI)
 * service for Collabora as a sidecar. Every key is checked against OCIS 7.1.3 (the ocis-charts
 * templates at appVersion 7.1.3, the 7.1 admin docs and the service config structs): see
 * docs/conformance/ocis.md.
 */
import {
  OCIS_ADMIN_GROUP,
  OCIS_CLIENT_ID,
  OCIS_ROLES,
  issuerUrl,
  OCIS_APP_SLUG,
} from "./authentik-blueprint";
import { fromSecret, httpProbe, labels, plainEnv, resources } from "./k8s-shapes";

export const OCIS_NAMESPACE = "ocis";
export const OCIS_METADATA_PVC = "ocis-metadata";
export const OCIS_S3_SECRET = "ocis-s3";
export const OCIS_CONFIG = "ocis-config";
export const OCIS_SERVICE = "ocis";
export const OCIS_HTTP_PORT = 9200;
export const OCIS_WOPI_PORT = 9300;
/** The WOPI source Collabora calls back (in-cluster). */
export const OCIS_WOPI_SRC = `http://${OCIS_SERVICE}.${OCIS_NAMESPACE}.svc.cluster.local:${OCIS_WOPI_PORT}`;

/**
 * The system role the provisioning identity needs. POST/PATCH/DELETE /graph/v1.0/groups sit
 * behind requireAdmin (Accounts.ReadWrite), which of the built-in roles only Admin carries, and
 * OCIS gives each user exactly one role (services/proxy/pkg/userroles/oidcroles.go). The OCIS
 * readiness gate checks the minted identity holds it.
 */
export const OCIS_PROVISIONER_ROLE = {
  roleId: "71881883-1768-46bd-a24d-a356a2afdf7f",
  roleName: "Admin",
  hint:
    `Check that the Authentik service account is in the group "${OCIS_ADMIN_GROUP}" (blueprint), ` +
    `that its token carries roles: ["${OCIS_ROLES.admin}"], and that proxy.yaml maps that value ` +
    "to the admin role; then run pulumi up again.",
};

export interface OcisOptions {
  domain: string;
  cell: string;
  /** env.versions.ocis.app. */
  version: string;
  s3: { endpoint: string; region: string; bucket: string };
  metadataGi: number;
}

/** The non-secret OCIS environment; S3 keys come from the ocis-s3 Secret. */
export function ocisEnv(o: OcisOptions): Record<string, string> {
  return {
    OCIS_URL: `https://files.${o.domain}`,
    OCIS_LOG_LEVEL: "info",
    OCIS_BASE_DATA_PATH: "/var/lib/ocis",
    OCIS_CONFIG_DIR: "/etc/ocis",
    PROXY_TLS: "false",
    PROXY_HTTP_ADDR: `0.0.0.0:${OCIS_HTTP_PORT}`,
    PROXY_DEBUG_ADDR: "0.0.0.0:9205",
    PROXY_CSP_CONFIG_FILE_LOCATION: "/etc/ocis/csp.yaml",
    // External IdP: Authentik.
    OCIS_OIDC_ISSUER: issuerUrl(o.domain, OCIS_APP_SLUG),
    OCIS_EXCLUDE_RUN_SERVICES: "idp",
    PROXY_OIDC_REWRITE_WELLKNOWN: "true",
    WEB_OIDC_CLIENT_ID: OCIS_CLIENT_ID,
    WEB_OIDC_SCOPE: "openid profile email groups roles offline_access",
    PROXY_OIDC_ACCESS_TOKEN_VERIFY_METHOD: "jwt",
    PROXY_USER_OIDC_CLAIM: "preferred_username",
    PROXY_USER_CS3_CLAIM: "username",
    PROXY_AUTOPROVISION_ACCOUNTS: "true",
    PROXY_AUTOPROVISION_CLAIM_USERNAME: "preferred_username",
    PROXY_AUTOPROVISION_CLAIM_EMAIL: "email",
    PROXY_AUTOPROVISION_CLAIM_DISPLAYNAME: "name",
    // Explicit: the default becomes "" upstream (PR #12490).
    PROXY_AUTOPROVISION_CLAIM_GROUPS: "groups",
    PROXY_ROLE_ASSIGNMENT_DRIVER: "oidc",
    PROXY_ROLE_ASSIGNMENT_OIDC_CLAIM: "roles",
    GRAPH_ASSIGN_DEFAULT_USER_ROLE: "false",
    GRAPH_USERNAME_MATCH: "none",
    OCIS_ADMIN_USER_ID: "",
    // Tenant isolation as far as OCIS 7.1 goes (docs/tenants.md): searching users and groups
    // needs 3+ characters and shows no e-mail addresses; no federation (OCM) to other servers.
    GRAPH_IDENTITY_SEARCH_MIN_LENGTH: "3",
    OCIS_SHOW_USER_EMAIL_IN_RESULTS: "false",
    OCIS_ENABLE_OCM: "false",
    // Blobs in object storage, metadata on the PVC.
    STORAGE_USERS_DRIVER: "s3ng",
    STORAGE_SYSTEM_DRIVER: "ocis",
    STORAGE_USERS_S3NG_ENDPOINT: o.s3.endpoint,
    STORAGE_USERS_S3NG_REGION: o.s3.region,
    STORAGE_USERS_S3NG_BUCKET: o.s3.bucket,
    // Office: the WOPI app provider registers Collabora.
    COLLABORATION_APP_NAME: "CollaboraOnline",
    COLLABORATION_APP_PRODUCT: "Collabora",
    COLLABORATION_APP_ADDR: `https://office.${o.domain}`,
    COLLABORATION_APP_INSECURE: "false",
    COLLABORATION_HTTP_ADDR: `0.0.0.0:${OCIS_WOPI_PORT}`,
    COLLABORATION_DEBUG_ADDR: "0.0.0.0:9304",
    COLLABORATION_WOPI_SRC: OCIS_WOPI_SRC,
  };
}

/** proxy.yaml (role mapping) and csp.yaml (lets the office iframe load). */
export function ocisConfigFiles(domain: string): Record<string, string> {
  const proxy = [
    "role_assignment:",
    "  driver: oidc",
    "  oidc_role_mapper:",
    "    role_claim: roles",
    "    role_mapping:",
    `      - {role_name: admin, claim_value: ${OCIS_ROLES.admin}}`,
    `      - {role_name: spaceadmin, claim_value: ${OCIS_ROLES.spaceAdmin}}`,
    `      - {role_name: user, claim_value: ${OCIS_ROLES.user}}`,
    "",
  ].join("\n");
  const csp = [
    "directives:",
    "  child-src: [\"'self'\"]",
    `  connect-src: ["'self'", "https://auth.${domain}/"]`,
    "  default-src: [\"'none'\"]",
    "  font-src: [\"'self'\"]",
    `  frame-ancestors: ["'self'"]`,
    `  frame-src: ["'self'", "blob:", "https://office.${domain}/"]`,
    '  img-src: ["\'self\'", "data:", "blob:"]',
    "  manifest-src: [\"'self'\"]",
    "  media-src: [\"'self'\"]",
    '  object-src: ["\'self\'", "blob:"]',
    "  script-src: [\"'self'\", \"'unsafe-inline'\"]",
    "  style-src: [\"'self'\", \"'unsafe-inline'\"]",
    "",
  ].join("\n");
  return { "proxy.yaml": proxy, "csp.yaml": csp };
}

export function ocisMetadataPvc(o: Pick<OcisOptions, "cell" | "metadataGi">) {
  return {
    metadata: {
      name: OCIS_METADATA_PVC,
      namespace: OCIS_NAMESPACE,
      labels: { ...labels("ocis", o.cell), "dezky.eu/backup": "true" },
    },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: `${o.metadataGi}Gi` } },
    },
  };
}

export function ocisDeployment(o: OcisOptions) {
  const l = labels("ocis", o.cell);
  const image = `docker.io/owncloud/ocis:${o.version}`;
  const env = [
    ...plainEnv(ocisEnv(o)),
    fromSecret("STORAGE_USERS_S3NG_ACCESS_KEY", OCIS_S3_SECRET, "accessKey"),
    fromSecret("STORAGE_USERS_S3NG_SECRET_KEY", OCIS_S3_SECRET, "secretKey"),
  ];
  const mounts = [
    { name: "data", mountPath: "/var/lib/ocis", subPath: "data" },
    { name: "data", mountPath: "/etc/ocis", subPath: "config" },
    { name: "config", mountPath: "/etc/ocis/proxy.yaml", subPath: "proxy.yaml" },
    { name: "config", mountPath: "/etc/ocis/csp.yaml", subPath: "csp.yaml" },
  ];
  return {
    metadata: { name: "ocis", namespace: OCIS_NAMESPACE, labels: l },
    spec: {
      replicas: 1,
      // One writer on a ReadWriteOnce volume.
      strategy: { type: "Recreate" },
      selector: { matchLabels: { "app.kubernetes.io/name": "ocis" } },
      template: {
        metadata: { labels: l },
        spec: {
          securityContext: { fsGroup: 1000, runAsUser: 1000, runAsGroup: 1000 },
          initContainers: [
            {
              name: "init",
              image,
              // Generates ocis.yaml (internal service secrets) once, on the PVC; never in Pulumi.
              command: ["sh", "-c", "[ -f /etc/ocis/ocis.yaml ] || ocis init --insecure false"],
              env,
              resources: resources("50m", "64Mi", "500m", "256Mi"),
              volumeMounts: mounts.slice(0, 2),
            },
          ],
          containers: [
            {
              name: "ocis",
              image,
              args: ["server"],
              env,
              ports: [{ name: "http", containerPort: OCIS_HTTP_PORT }],
              resources: resources("500m", "1Gi", "2", "3Gi"),
              readinessProbe: httpProbe("/readyz", 9205, 20),
              volumeMounts: mounts,
            },
            {
              name: "collaboration",
              image,
              args: ["collaboration", "server"],
              env,
              ports: [{ name: "wopi", containerPort: OCIS_WOPI_PORT }],
              resources: resources("100m", "128Mi", "500m", "512Mi"),
              readinessProbe: httpProbe("/readyz", 9304, 20),
              volumeMounts: mounts,
            },
          ],
          volumes: [
            { name: "data", persistentVolumeClaim: { claimName: OCIS_METADATA_PVC } },
            { name: "config", configMap: { name: OCIS_CONFIG } },
          ],
        },
      },
    },
  };
}

export function ocisService(cell: string) {
  return {
    metadata: { name: OCIS_SERVICE, namespace: OCIS_NAMESPACE, labels: labels("ocis", cell) },
    spec: {
      selector: { "app.kubernetes.io/name": "ocis" },
      ports: [
        { name: "http", port: OCIS_HTTP_PORT },
        { name: "wopi", port: OCIS_WOPI_PORT },
      ],
    },
  };
}
