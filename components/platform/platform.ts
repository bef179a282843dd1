/**
 * The platform services of one cell, in dependency order: zone -> TLS -> Authentik -> OCIS +
 * Collabora -> portal (+ Zulip) and Stalwart on the host, then one readiness gate per API the
 * tenant providers call. Exposes what the Tenant component needs: the zone and, per service,
 * the API connection (a provider resource holding the credential) and the gate.
 */
import type * as inputs from "@pulumi/command/types/input";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiConnection, ApiReadiness } from "@dezky/providers";
import { PlatformZone } from "../dns/zone";
import type { TenantApis } from "../tenant/shared";
import type { Environment } from "../../stacks/schema";
import { Authentik } from "./authentik";
import { CertManager } from "./cert-manager";
import { Collabora } from "./collabora";
import { Ocis } from "./ocis";
import { OCIS_PROVISIONER_ROLE } from "./ocis-manifests";
import { Portal } from "./portal";
import { Stalwart } from "./stalwart";
import { StalwartConfig } from "./stalwart-config";
import { Zulip } from "./zulip";

export const PLATFORM_TYPE = "dezky:platform:Platform";

export interface PlatformHost {
  ipv4: pulumi.Input<string>;
  /** The host's IPv6 address (not the /64). */
  ipv6: pulumi.Input<string>;
  /** SSH connection (root) for Stalwart's install. */
  connection: pulumi.Input<inputs.remote.ConnectionArgs>;
}

export interface PlatformStorage {
  /** The cell's OCIS bucket. */
  ocisBucket: pulumi.Input<string>;
  /** S3 endpoint, e.g. https://fsn1.your-objectstorage.com. */
  endpoint: pulumi.Input<string>;
  region: pulumi.Input<string>;
  accessKey: pulumi.Input<string>;
  secretKey: pulumi.Input<string>;
}

export interface PlatformArgs {
  env: Environment;
  /** Kubernetes provider of the cell's k3s. */
  provider: k8s.Provider;
  host: PlatformHost;
  storage: PlatformStorage;
  hcloudToken: pulumi.Input<string>;
  stripeSecretKey: pulumi.Input<string>;
  stripeWebhookSecret: pulumi.Input<string>;
  /** Resources that must be ready before any workload (k3s, buckets). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Image reference from an env image pin. */
export function imageRef(image: { repository: string; tag: string }): string {
  return `${image.repository}:${image.tag}`;
}

export class Platform extends pulumi.ComponentResource {
  readonly zone: { id: pulumi.Output<string>; name: string; nameservers: pulumi.Output<string[]> };
  /**
   * Per service the tenant layer uses: the API connection and the readiness gate. Stalwart's is
   * the tenant provisioning account (least privilege), never the recovery admin, and exists
   * only after the server settings, the restart and the account.
   */
  readonly apis: TenantApis;
  /** Public service URLs (not secret). */
  readonly urls: Record<string, string>;
  /**
   * What a tenant's own-domain Certificate and Ingress need on a fresh cell: cert-manager's
   * CRDs (its chart), the HTTP-01 ClusterIssuer they name, and the portal namespace.
   */
  readonly customDomainPrerequisites: pulumi.Resource[];

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PLATFORM_TYPE, name, {}, opts);
    const { env, provider } = args;
    const child = { parent: this };

    const zone = new PlatformZone(
      `${name}-dns`,
      {
        domain: env.domain,
        ipv4: args.host.ipv4,
        ipv6: args.host.ipv6,
        production: env.production,
        labels: { cell: env.cell },
      },
      child,
    );
    const tls = new CertManager(
      `${name}-tls`,
      {
        provider,
        domain: env.domain,
        acmeEmail: env.acmeEmail,
        version: env.versions.certManager,
        webhookVersion: env.versions.certManagerWebhookHetzner,
        hcloudToken: args.hcloudToken,
        dependsOn: [zone, ...(args.dependsOn ?? [])],
      },
      child,
    );
    const authentik = new Authentik(
      `${name}-authentik`,
      {
        provider,
        domain: env.domain,
        cell: env.cell,
        version: env.versions.authentik,
        postgresImage: imageRef(env.versions.postgres),
        adminEmail: env.acmeEmail,
        zulip: env.services.zulip,
        production: env.production,
        dependsOn: tls.ready,
      },
      child,
    );
    const authentikApi = new ApiConnection(
      `${name}-authentik-api`,
      { service: "authentik", connection: authentik.connection },
      child,
    );
    const authentikReady = new ApiReadiness(
      `${name}-authentik-ready`,
      {
        service: "Authentik",
        url: `${authentik.url}/-/health/ready/`,
        trigger: env.versions.authentik.app,
      },
      { ...child, provider: authentikApi, dependsOn: [authentik.release] },
    );
    const ocis = new Ocis(
      `${name}-ocis`,
      {
        provider,
        domain: env.domain,
        cell: env.cell,
        version: env.versions.ocis.app,
        bucket: {
          name: args.storage.ocisBucket,
          endpoint: args.storage.endpoint,
          region: args.storage.region,
        },
        s3AccessKey: args.storage.accessKey,
        s3SecretKey: args.storage.secretKey,
        production: env.production,
        dependsOn: [authentikReady],
      },
      child,
    );
    const collabora = new Collabora(
      `${name}-collabora`,
      { provider, domain: env.domain, version: env.versions.collabora, dependsOn: tls.ready },
      child,
    );
    const portal = new Portal(
      `${name}-portal`,
      {
        provider,
        domain: env.domain,
        cell: env.cell,
        images: {
          mongodb: imageRef(env.versions.mongodb),
          portal: imageRef(env.versions.portal),
          provisioning: imageRef(env.versions.provisioning),
        },
        oidcClientSecret: authentik.portalClientSecret,
        stripeSecretKey: args.stripeSecretKey,
        stripeWebhookSecret: args.stripeWebhookSecret,
        production: env.production,
        dependsOn: [authentikReady],
      },
      child,
    );
    const zulip =
      env.services.zulip && env.versions.zulip && authentik.zulipClientSecret
        ? new Zulip(
            `${name}-zulip`,
            {
              provider,
              domain: env.domain,
              version: env.versions.zulip,
              adminEmail: env.acmeEmail,
              oidcClientSecret: authentik.zulipClientSecret,
              dependsOn: [authentikReady],
            },
            child,
          )
        : undefined;
    const stalwart = new Stalwart(
      `${name}-stalwart`,
      {
        connection: args.host.connection,
        hostIpv4: args.host.ipv4,
        provider,
        domain: env.domain,
        version: env.versions.stalwart,
        toolsImage: imageRef(env.versions.postgres),
        dependsOn: tls.ready,
      },
      child,
    );

    // The provisioning identity's stable client credentials: the OCIS providers mint their
    // own short-lived bearer from them whenever they need one (nothing expiring is stored).
    const ocisApi = new ApiConnection(
      `${name}-ocis-api`,
      {
        service: "ocis",
        connection: authentik.ocisServiceCredentials.apply((c) => ({ url: ocis.url, ...c })),
      },
      child,
    );
    const ocisReady = new ApiReadiness(
      `${name}-ocis-ready`,
      {
        service: "OCIS",
        url: `${ocis.url}/graph/v1.0/me`,
        authenticate: true,
        requireRole: OCIS_PROVISIONER_ROLE,
        trigger: env.versions.ocis.app,
      },
      { ...child, provider: ocisApi, dependsOn: [ocis.deployment, authentikReady] },
    );
    const stalwartAdminApi = new ApiConnection(
      `${name}-stalwart-admin-api`,
      { service: "stalwart-admin", connection: stalwart.connection },
      child,
    );
    const stalwartReady = new ApiReadiness(
      `${name}-stalwart-ready`,
      {
        service: "Stalwart",
        url: `${stalwart.url}/healthz/ready`,
        trigger: env.versions.stalwart.version,
      },
      { ...child, provider: stalwartAdminApi, dependsOn: [stalwart.install] },
    );

    // Server settings and the tenant account through the API, with the recovery admin.
    const stalwartConfig = new StalwartConfig(
      `${name}-stalwart-config`,
      {
        adminApi: stalwartAdminApi,
        sshConnection: args.host.connection,
        url: stalwart.url,
        domain: env.domain,
        dependsOn: [stalwartReady, stalwart.tlsInitial],
      },
      child,
    );

    this.customDomainPrerequisites = [tls.chart, tls.httpIssuer, portal.namespace];
    this.zone = { id: zone.zoneId, name: zone.zoneName, nameservers: zone.nameservers };
    this.apis = {
      authentik: { connection: authentikApi, ready: authentikReady },
      ocis: { connection: ocisApi, ready: ocisReady },
      stalwart: { connection: stalwartConfig.tenantApi, ready: stalwartReady },
    };
    this.urls = {
      portal: portal.appUrl,
      api: portal.apiUrl,
      auth: authentik.url,
      files: ocis.url,
      office: collabora.url,
      mail: stalwart.url,
      ...(zulip ? { chat: zulip.url } : {}),
    };
    this.registerOutputs({
      zoneId: this.zone.id,
      nameservers: this.zone.nameservers,
      urls: this.urls,
    });
  }
}

/** Non-secret stack outputs of the platform: service URLs and the zone's nameservers. */
export function platformStackOutputs(platform: Platform): Record<string, unknown> {
  return {
    platformUrls: platform.urls,
    zoneName: platform.zone.name,
    zoneId: platform.zone.id,
    nameservers: platform.zone.nameservers,
  };
}
