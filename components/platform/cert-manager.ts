/** cert-manager with a Hetzner DNS-01 solver and the platform's wildcard certificate. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  CERT_MANAGER_NAMESPACE,
  CERT_MANAGER_REPO,
  HCLOUD_TOKEN_KEY,
  HCLOUD_TOKEN_SECRET,
  HETZNER_WEBHOOK_CHART,
  HETZNER_WEBHOOK_REPO,
  HTTP_ISSUER,
  certManagerValues,
  clusterIssuers,
  hetznerWebhookValues,
  traefikDefaultTlsStore,
  wildcardCertificate,
} from "./cert-manager-values";

export interface CertManagerArgs {
  provider: k8s.Provider;
  domain: string;
  acmeEmail: string;
  /** env.versions.certManager. */
  version: string;
  /** env.versions.certManagerWebhookHetzner. */
  webhookVersion: string;
  /** Hetzner Cloud API token (secret) for DNS-01 in the platform zone. */
  hcloudToken: pulumi.Input<string>;
  /** Resources to wait for (k3s installed, the zone created). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * On a fresh cell nothing custom-resource-shaped may be sent before its CRD exists: the
 * issuers and the Certificate wait for the chart (crds.enabled installs cert-manager's CRDs and
 * the Release waits for its webhook), the DNS issuer also for the Hetzner webhook, and the
 * TLSStore for k3s (whose bundled traefik-crd chart brings traefik.io CRDs).
 */

export class CertManager extends pulumi.ComponentResource {
  /** Ready when the issuers and the wildcard certificate are declared. */
  readonly ready: pulumi.Resource[];
  /** The cert-manager chart: its CRDs exist once this is ready. */
  readonly chart: k8s.helm.v3.Release;
  /** The HTTP-01 ClusterIssuer (tenants' own domains). */
  readonly httpIssuer: pulumi.Resource;

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:CertManager", name, {}, opts);
    const o = { parent: this, provider: args.provider };
    const after = args.dependsOn ?? [];
    const ns = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: CERT_MANAGER_NAMESPACE } },
      { ...o, dependsOn: after },
    );
    const token = new k8s.core.v1.Secret(
      `${name}-hcloud-token`,
      {
        metadata: { name: HCLOUD_TOKEN_SECRET, namespace: CERT_MANAGER_NAMESPACE },
        stringData: { [HCLOUD_TOKEN_KEY]: pulumi.secret(args.hcloudToken) },
      },
      { ...o, dependsOn: [ns] },
    );
    const chart = new k8s.helm.v3.Release(
      `${name}-chart`,
      {
        name: "cert-manager",
        chart: "cert-manager",
        version: args.version,
        namespace: CERT_MANAGER_NAMESPACE,
        repositoryOpts: { repo: CERT_MANAGER_REPO },
        values: certManagerValues(),
      },
      { ...o, dependsOn: [ns] },
    );
    const webhook = new k8s.helm.v3.Release(
      `${name}-hetzner-webhook`,
      {
        name: "cert-manager-webhook-hetzner",
        chart: HETZNER_WEBHOOK_CHART,
        version: args.webhookVersion,
        namespace: CERT_MANAGER_NAMESPACE,
        repositoryOpts: { repo: HETZNER_WEBHOOK_REPO },
        values: hetznerWebhookValues(),
      },
      { ...o, dependsOn: [chart, token] },
    );
    const specs = clusterIssuers({ acmeEmail: args.acmeEmail });
    const issuers = specs.map(
      (issuer) =>
        new k8s.apiextensions.CustomResource(`${name}-${issuer.metadata.name}`, issuer, {
          ...o,
          dependsOn: [chart, webhook],
        }),
    );
    this.chart = chart;
    this.httpIssuer = issuers[specs.findIndex((i) => i.metadata.name === HTTP_ISSUER)];
    const certificate = new k8s.apiextensions.CustomResource(
      `${name}-wildcard`,
      wildcardCertificate(args.domain),
      { ...o, dependsOn: issuers },
    );
    const store = new k8s.apiextensions.CustomResource(
      `${name}-tls-store`,
      traefikDefaultTlsStore(),
      { ...o, dependsOn: [certificate, ...after] },
    );
    this.ready = [...issuers, certificate, store];
    this.registerOutputs({});
  }
}
