/**
 * Everything one stack deploys: one cell = one host with k3s, its storage and backups, the
 * platform services and the tenants placed on it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../stacks/schema";
import type { StackSecrets } from "../stacks/secrets";
import type { Tenant as TenantSpec } from "../tenants/schema";
import { type CellHost, createCellHosts, type ExtraNodeHost } from "./host";
import { hcloudLabels } from "./host/labels";
import { K3s } from "./k3s";
import { Platform, platformStackOutputs } from "./platform";
import { HTTP_ISSUER } from "./platform/cert-manager-values";
import { PORTAL_NAMESPACE } from "./platform/portal-manifests";
import { CellStorage } from "./storage";
import { Tenant, today } from "./tenant";

export const CELL_TYPE = "dezky:cell:Cell";

export interface CellArgs {
  /** The validated environment of this stack. */
  env: Environment;
  /** The validated tenants placed on this stack. */
  tenants: TenantSpec[];
  /** Secrets from encrypted stack config. */
  secrets: StackSecrets;
}

export class Cell extends pulumi.ComponentResource {
  private readonly outputs: Record<string, unknown>;
  /** The cell's primary host (Cloud in dev/staging, the adopted AX41 in prod). */
  readonly host: CellHost;
  /** Extra k3s nodes (env.extraNodes), empty by default. */
  readonly extraHosts: ExtraNodeHost[];
  /** k3s on the hosts; `this.k3s.provider` deploys everything on the cluster. */
  readonly k3s: K3s;
  /** Buckets (OCIS s3ng: endpoint, region, bucket, keys) and restic repositories (URLs, passwords). */
  readonly storage: CellStorage;
  /** Platform services: zone, API connections and readiness gates for the Tenant component. */
  readonly platform: Platform;
  /** One Tenant component per tenant file of this stack, by slug. */
  readonly tenants: Record<string, Tenant>;

  constructor(name: string, args: CellArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CELL_TYPE, name, {}, opts);
    const { env } = args;

    // --- host and k3s (components/host, components/k3s) ---
    const hosts = createCellHosts({ env, secrets: args.secrets }, { parent: this });
    this.host = hosts.primary;
    this.extraHosts = hosts.extra;
    this.k3s = new K3s(
      `${env.cell}-k3s`,
      { env, host: this.host, extraNodes: this.extraHosts, secrets: args.secrets },
      { parent: this },
    );
    const hostOutputs = {
      hostIpv4: this.host.ipv4,
      hostIpv6: this.host.ipv6,
      kubeconfig: this.k3s.kubeconfig,
    };

    // --- object storage and backups (components/storage) ---
    this.storage = new CellStorage(
      `${env.cell}-storage`,
      {
        env,
        s3AccessKey: args.secrets.s3AccessKey,
        s3SecretKey: args.secrets.s3SecretKey,
        alertPingUrl: args.secrets.alertPingUrl,
        hcloudDrToken: args.secrets.hcloudDrToken,
        host: { connection: this.host.connection, dependsOn: [this.host.ready, this.k3s.install] },
        k8sProvider: this.k3s.provider,
      },
      { parent: this },
    );
    const storageOutputs = this.storage.stackOutputs();

    // --- platform services (components/platform) ---
    const ocisStorage = this.storage.objectStorage;
    this.platform = new Platform(
      `${env.cell}-platform`,
      {
        env,
        provider: this.k3s.provider,
        host: { ipv4: this.host.ipv4, ipv6: this.host.ipv6, connection: this.host.connection },
        storage: {
          ocisBucket: ocisStorage.ocisBucket,
          endpoint: ocisStorage.endpoint,
          region: ocisStorage.region,
          accessKey: ocisStorage.accessKey,
          secretKey: ocisStorage.secretKey,
        },
        hcloudToken: args.secrets.hcloudToken,
        stripeSecretKey: args.secrets.stripeSecretKey,
        stripeWebhookSecret: args.secrets.stripeWebhookSecret,
        dependsOn: [this.host.ready, this.k3s.install, ocisStorage],
      },
      { parent: this },
    );

    // --- tenants (components/tenant) ---
    const date = today();
    this.tenants = Object.fromEntries(
      args.tenants.map((tenant) => [
        tenant.slug,
        new Tenant(
          `${env.cell}-tenant-${tenant.slug}`,
          {
            tenant,
            platformDomain: env.domain,
            production: env.production,
            date,
            zone: { name: this.platform.zone.name, id: this.platform.zone.id },
            hostAddresses: { ipv4: this.host.ipv4, ipv6: this.host.ipv6 },
            apis: this.platform.apis,
            labels: hcloudLabels(env, "tenant"),
            kubernetes: {
              provider: this.k3s.provider,
              clusterIssuer: HTTP_ISSUER,
              namespace: PORTAL_NAMESPACE,
              portalService: { name: "portal", port: 80 },
              dependsOn: this.platform.customDomainPrerequisites,
            },
          },
          { parent: this },
        ),
      ]),
    );
    const tenantOutputs = {
      tenants: Object.fromEntries(
        Object.entries(this.tenants).map(([slug, t]) => [slug, t.output]),
      ),
    };

    this.outputs = {
      stack: env.stack,
      cell: env.cell,
      domain: env.domain,
      ...hostOutputs,
      ...storageOutputs,
      ...platformStackOutputs(this.platform),
      ...tenantOutputs,
    };
    this.registerOutputs(this.outputs);
  }

  /** The stack outputs (documented in docs/outputs.md). */
  stackOutputs(): Record<string, unknown> {
    return this.outputs;
  }
}
