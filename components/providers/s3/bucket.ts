import * as pulumi from "@pulumi/pulumi";
import { bucketProvider } from "./bucket-provider";
import type { S3Connection } from "./client";

export interface BucketArgs {
  /** Region (= Hetzner location), optional endpoint override and the access key pair (secret). */
  connection: pulumi.Input<S3Connection>;
  /** Bucket name; immutable (a change replaces the bucket, which refuses while it holds data). */
  bucket: pulumi.Input<string>;
  /** Cell id, written into the ownership tag. */
  cell: pulumi.Input<string>;
  /** Object versioning. @default true */
  versioning?: pulumi.Input<boolean>;
  /** Abort unfinished multipart uploads after this many days. @default 7 */
  abortIncompleteMultipartDays?: pulumi.Input<number>;
  /** Expire non-current object versions after this many days; unset keeps them. */
  noncurrentVersionDays?: pulumi.Input<number>;
  /** Take over an existing bucket that this program did not create. */
  adopt?: pulumi.Input<boolean>;
}

/** An Object Storage bucket managed over the S3 API. The resource id is the bucket name. */
export class Bucket extends pulumi.dynamic.Resource {
  declare readonly bucket: pulumi.Output<string>;
  declare readonly endpoint: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;
  declare readonly versioning: pulumi.Output<boolean>;
  declare readonly connection: pulumi.Output<S3Connection>;

  constructor(name: string, args: BucketArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      bucketProvider,
      name,
      {
        versioning: true,
        abortIncompleteMultipartDays: 7,
        ...args,
        connection: pulumi.secret(args.connection),
        endpoint: undefined,
        region: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "s3",
      "Bucket",
    );
  }
}
