/**
 * Authentik on k3s: its PostgreSQL, the official chart, and the platform blueprint. The secret
 * key, database password, bootstrap admin password and API tokens are generated here and reach
 * Authentik through one Kubernetes Secret (AUTHENTIK_BOOTSTRAP_* are read on first start). The
 * tenant providers get the tenant provisioner's token as `connection`: a service account with
 * only the permissions tenant objects need (authentik-tenant-identity.ts), never the bootstrap
 * (superuser) token. No manual token step.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ClientCredentials } from "@dezky/providers";
import {
  ENV_OCIS_SERVICE_PASSWORD,
  ENV_PORTAL_CLIENT_SECRET,
  ENV_ZULIP_CLIENT_SECRET,
  OCIS_CLIENT_ID,
  OCIS_SERVICE_USER,
  platformBlueprint,
} from "./authentik-blueprint";
import { ENV_TENANT_PROVISIONER_TOKEN } from "./authentik-tenant-identity";
import {
  AUTHENTIK_BLUEPRINTS,
  AUTHENTIK_DB,
  AUTHENTIK_ENV_SECRET,
  AUTHENTIK_NAMESPACE,
  AUTHENTIK_REPO,
  authentikValues,
} from "./authentik-values";
import { labels } from "./k8s-shapes";
import { postgresService, postgresStatefulSet } from "./postgres-manifests";

export interface AuthentikArgs {
  provider: k8s.Provider;
  domain: string;
  cell: string;
  /** env.versions.authentik. */
  version: { chart: string; app: string };
  /** env.versions.postgres as repository:tag. */
  postgresImage: string;
  /** Bootstrap admin (akadmin) e-mail. */
  adminEmail: string;
  /** Whether the Zulip OIDC application is declared. */
  zulip: boolean;
  /** Production cells protect the database that holds every identity. */
  production: boolean;
  /** Resources that must exist first (the TLS issuers). */
  dependsOn?: pulumi.Resource[];
}

export interface AuthentikConnectionValue {
  url: string;
  token: string;
}

export class Authentik extends pulumi.ComponentResource {
  readonly url: string;
  /** For the Authentik tenant providers (secret): the tenant provisioner's API token. */
  readonly connection: pulumi.Output<AuthentikConnectionValue>;
  /** The OCIS provisioning identity: mints a bearer at the OCIS application (secret). */
  readonly ocisServiceCredentials: pulumi.Output<ClientCredentials>;
  readonly portalClientSecret: pulumi.Output<string>;
  readonly zulipClientSecret?: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: AuthentikArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:Authentik", name, {}, opts);
    const o = { parent: this, provider: args.provider };
    const password = (role: string, length = 48) =>
      pulumi.secret(
        new random.RandomPassword(`${name}-${role}`, { length, special: false }, { parent: this })
          .result,
      );

    const secretKey = password("secret-key", 64);
    const dbPassword = password("db-password");
    const adminPassword = password("bootstrap-password", 32);
    const apiToken = password("bootstrap-token", 64);
    const ocisServicePassword = password("ocis-service-password", 48);
    const tenantProvisionerToken = password("tenant-provisioner-token", 64);
    this.portalClientSecret = password("portal-client-secret", 64);
    this.zulipClientSecret = args.zulip ? password("zulip-client-secret", 64) : undefined;

    const ns = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: AUTHENTIK_NAMESPACE } },
      o,
    );
    const inNs = { ...o, dependsOn: [ns] };
    const env = new k8s.core.v1.Secret(
      `${name}-env`,
      {
        metadata: {
          name: AUTHENTIK_ENV_SECRET,
          namespace: AUTHENTIK_NAMESPACE,
          labels: labels("authentik", args.cell),
        },
        stringData: pulumi.secret({
          AUTHENTIK_SECRET_KEY: secretKey,
          AUTHENTIK_POSTGRESQL__PASSWORD: dbPassword,
          AUTHENTIK_BOOTSTRAP_PASSWORD: adminPassword,
          AUTHENTIK_BOOTSTRAP_TOKEN: apiToken,
          AUTHENTIK_BOOTSTRAP_EMAIL: args.adminEmail,
          [ENV_OCIS_SERVICE_PASSWORD]: ocisServicePassword,
          [ENV_TENANT_PROVISIONER_TOKEN]: tenantProvisionerToken,
          [ENV_PORTAL_CLIENT_SECRET]: this.portalClientSecret,
          ...(this.zulipClientSecret ? { [ENV_ZULIP_CLIENT_SECRET]: this.zulipClientSecret } : {}),
        }),
      },
      inNs,
    );
    // Name and key agreed with the backup CronJob (components/storage/k8s-backup.ts).
    const dbSecret = new k8s.core.v1.Secret(
      `${name}-postgresql-secret`,
      {
        metadata: { name: AUTHENTIK_DB, namespace: AUTHENTIK_NAMESPACE },
        stringData: pulumi.secret({ password: dbPassword }),
      },
      inNs,
    );
    const db = { name: AUTHENTIK_DB, namespace: AUTHENTIK_NAMESPACE, cell: args.cell };
    const dbSet = new k8s.apps.v1.StatefulSet(
      `${name}-postgresql`,
      postgresStatefulSet({
        ...db,
        image: args.postgresImage,
        database: "authentik",
        user: "authentik",
        passwordSecret: AUTHENTIK_DB,
        storageGi: 10,
      }),
      // Every identity lives here (its volume comes from the claim template): in production
      // neither `pulumi destroy` nor a replace may drop it (issue 18, point 4).
      {
        ...o,
        dependsOn: [dbSecret],
        protect: args.production,
        retainOnDelete: args.production,
      },
    );
    const dbService = new k8s.core.v1.Service(`${name}-postgresql-svc`, postgresService(db), inNs);
    const blueprint = new k8s.core.v1.ConfigMap(
      `${name}-blueprints`,
      {
        metadata: { name: AUTHENTIK_BLUEPRINTS, namespace: AUTHENTIK_NAMESPACE },
        data: {
          "dezky-platform.yaml": platformBlueprint({ domain: args.domain, zulip: args.zulip }),
        },
      },
      inNs,
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-chart`,
      {
        name: "authentik",
        chart: "authentik",
        version: args.version.chart,
        namespace: AUTHENTIK_NAMESPACE,
        repositoryOpts: { repo: AUTHENTIK_REPO },
        values: authentikValues({ domain: args.domain, appVersion: args.version.app }),
      },
      { ...o, dependsOn: [env, dbSet, dbService, blueprint, ...(args.dependsOn ?? [])] },
    );

    this.url = `https://auth.${args.domain}`;
    this.connection = pulumi.secret(
      pulumi.output({ url: this.url, token: tenantProvisionerToken }),
    );
    this.ocisServiceCredentials = pulumi.secret(
      pulumi.output({
        tokenUrl: `${this.url}/application/o/token/`,
        clientId: OCIS_CLIENT_ID,
        username: OCIS_SERVICE_USER,
        password: ocisServicePassword,
        scope: "openid profile email groups roles",
      }),
    );
    this.registerOutputs({ url: this.url });
  }
}
