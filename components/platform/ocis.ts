/** OCIS on k3s with its S3 credentials Secret, metadata PVC, config and Ingress at files.<domain>. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ingressSpec } from "./k8s-shapes";
import {
  OCIS_CONFIG,
  OCIS_HTTP_PORT,
  OCIS_NAMESPACE,
  OCIS_S3_SECRET,
  OCIS_SERVICE,
  ocisConfigFiles,
  ocisDeployment,
  ocisMetadataPvc,
  ocisService,
} from "./ocis-manifests";

export interface OcisArgs {
  provider: k8s.Provider;
  domain: string;
  cell: string;
  /** env.versions.ocis.app (>= 7.1). */
  version: string;
  /** The cell's OCIS bucket and its S3 endpoint/region (from components/storage). */
  bucket: {
    name: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    region: pulumi.Input<string>;
  };
  /** S3 credentials (secret). */
  s3AccessKey: pulumi.Input<string>;
  s3SecretKey: pulumi.Input<string>;
  /** Metadata volume size. @default 20 */
  metadataGi?: number;
  production: boolean;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Ocis extends pulumi.ComponentResource {
  readonly url: string;
  readonly deployment: k8s.apps.v1.Deployment;

  constructor(name: string, args: OcisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:Ocis", name, {}, opts);
    const o = { parent: this, provider: args.provider };
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: OCIS_NAMESPACE } }, o);
    const inNs = { ...o, dependsOn: [ns] };
    const s3 = new k8s.core.v1.Secret(
      `${name}-s3`,
      {
        metadata: { name: OCIS_S3_SECRET, namespace: OCIS_NAMESPACE },
        stringData: pulumi.secret({ accessKey: args.s3AccessKey, secretKey: args.s3SecretKey }),
      },
      inNs,
    );
    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { name: OCIS_CONFIG, namespace: OCIS_NAMESPACE },
        data: ocisConfigFiles(args.domain),
      },
      inNs,
    );
    // Holds the metadata tree and generated config: losing it loses every file's metadata.
    const pvc = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-metadata`,
      ocisMetadataPvc({ cell: args.cell, metadataGi: args.metadataGi ?? 20 }),
      { ...inNs, protect: args.production, retainOnDelete: args.production },
    );
    const spec = pulumi
      .all([args.bucket.endpoint, args.bucket.region, args.bucket.name])
      .apply(([endpoint, region, bucket]) =>
        ocisDeployment({
          domain: args.domain,
          cell: args.cell,
          version: args.version,
          s3: { endpoint, region, bucket },
          metadataGi: args.metadataGi ?? 20,
        }),
      );
    // Metadata is known at preview; only the spec waits for the bucket values.
    const metadata = ocisDeployment({
      domain: args.domain,
      cell: args.cell,
      version: args.version,
      s3: { endpoint: "", region: "", bucket: "" },
      metadataGi: 0,
    }).metadata;
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      { metadata, spec: spec.apply((d) => d.spec) },
      {
        ...o,
        dependsOn: [s3, config, pvc, ...(args.dependsOn ?? [])],
      },
    );
    new k8s.core.v1.Service(`${name}-svc`, ocisService(args.cell), inNs);
    new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: { name: "ocis", namespace: OCIS_NAMESPACE },
        spec: ingressSpec(`files.${args.domain}`, OCIS_SERVICE, OCIS_HTTP_PORT),
      },
      inNs,
    );
    this.url = `https://files.${args.domain}`;
    this.registerOutputs({ url: this.url });
  }
}
