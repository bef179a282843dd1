/**
 * The cell's Object Storage buckets on Hetzner (S3 API; no Hetzner API exists for buckets):
 * one bucket for OCIS (s3ng driver) and one for k3s etcd snapshots. Buckets are per cell, not
 * per tenant: Hetzner allows about 100 buckets per account.
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiConnection, s3 } from "@dezky/providers";

export const OBJECT_STORAGE_TYPE = "dezky:storage:ObjectStorage";

export interface VersionedBucketArgs {
  /** The `s3` ApiConnection (the access key pair). */
  api: ApiConnection;
  /** Hetzner location (the S3 region) and the endpoint URL. */
  region: string;
  endpoint: string;
  bucket: string;
  cell: string;
  /** Production buckets are protected and retained when removed from the program. */
  production: boolean;
  /** Take over an existing bucket not created by this program. */
  adopt?: boolean;
  /** Expire non-current versions after this many days; unset keeps them. */
  noncurrentVersionDays?: number;
}

/**
 * A versioned bucket with the multipart-abort lifecycle rule. Reusable, e.g. by
 * scripts/bootstrap-backend for the Pulumi state bucket.
 */
export function createVersionedBucket(
  name: string,
  args: VersionedBucketArgs,
  opts: pulumi.CustomResourceOptions = {},
): s3.Bucket {
  return new s3.Bucket(
    name,
    {
      region: args.region,
      endpoint: args.endpoint,
      bucket: args.bucket,
      cell: args.cell,
      versioning: true,
      abortIncompleteMultipartDays: 7,
      noncurrentVersionDays: args.noncurrentVersionDays,
      adopt: args.adopt ?? false,
    },
    {
      ...opts,
      provider: args.api,
      protect: opts.protect ?? args.production,
      retainOnDelete: opts.retainOnDelete ?? args.production,
    },
  );
}

export interface ObjectStorageArgs {
  cell: string;
  /** Hetzner location of the buckets (the S3 region). */
  location: string;
  buckets: { ocis: string; etcd: string };
  production: boolean;
  /** Access key pair from stack config (dezky:s3AccessKey / dezky:s3SecretKey). */
  accessKey: pulumi.Input<string>;
  secretKey: pulumi.Input<string>;
  /** Endpoint override (tests); defaults to https://<location>.your-objectstorage.com. */
  endpoint?: string;
  /** Adopt existing buckets of these roles. */
  adopt?: { ocis?: boolean; etcd?: boolean };
  /** Expire non-current etcd snapshot versions after this many days. @default 30 */
  etcdNoncurrentVersionDays?: number;
}

/** What the platform (OCIS s3ng) and k3s (etcd-s3) need from Object Storage. */
export interface ObjectStorageInfo {
  endpoint: string;
  region: string;
  ocisBucket: pulumi.Output<string>;
  etcdBucket: pulumi.Output<string>;
  accessKey: pulumi.Output<string>;
  secretKey: pulumi.Output<string>;
}

export class ObjectStorage extends pulumi.ComponentResource implements ObjectStorageInfo {
  readonly endpoint: string;
  readonly region: string;
  readonly ocisBucket: pulumi.Output<string>;
  readonly etcdBucket: pulumi.Output<string>;
  readonly accessKey: pulumi.Output<string>;
  readonly secretKey: pulumi.Output<string>;

  constructor(name: string, args: ObjectStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(OBJECT_STORAGE_TYPE, name, {}, opts);
    this.region = args.location;
    this.endpoint = args.endpoint ?? s3.hetznerEndpoint(args.location);
    this.accessKey = pulumi.secret(pulumi.output(args.accessKey));
    this.secretKey = pulumi.secret(pulumi.output(args.secretKey));
    const api = new ApiConnection(
      `${name}-s3-api`,
      {
        service: "s3",
        connection: pulumi
          .all([this.accessKey, this.secretKey])
          .apply(([accessKeyId, secretAccessKey]) => ({ accessKeyId, secretAccessKey })),
      },
      { parent: this },
    );
    const common = {
      api,
      region: args.location,
      endpoint: this.endpoint,
      cell: args.cell,
      production: args.production,
    };
    const ocis = createVersionedBucket(
      `${name}-ocis`,
      { ...common, bucket: args.buckets.ocis, adopt: args.adopt?.ocis },
      { parent: this },
    );
    const etcd = createVersionedBucket(
      `${name}-etcd`,
      {
        ...common,
        bucket: args.buckets.etcd,
        adopt: args.adopt?.etcd,
        noncurrentVersionDays: args.etcdNoncurrentVersionDays ?? 30,
      },
      { parent: this },
    );
    this.ocisBucket = ocis.bucket;
    this.etcdBucket = etcd.bucket;
    this.registerOutputs({
      endpoint: this.endpoint,
      region: this.region,
      ocisBucket: this.ocisBucket,
      etcdBucket: this.etcdBucket,
    });
  }
}
