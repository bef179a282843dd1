/** An Object Storage bucket managed over the S3 API. The resource id is the bucket name. */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";

export interface BucketArgs {
  /** Bucket name; immutable (a change replaces the bucket, which refuses while it holds data). */
  bucket: pulumi.Input<string>;
  /** Hetzner location (= S3 region); a change replaces the bucket. */
  region: pulumi.Input<string>;
  /** Endpoint URL; defaults to https://<region>.your-objectstorage.com. */
  endpoint?: pulumi.Input<string>;
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

export class Bucket extends DezkyResource {
  declare readonly bucket: pulumi.Output<string>;
  /** The endpoint URL clients use (path-style). */
  declare readonly endpointUrl: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;
  declare readonly versioning: pulumi.Output<boolean>;

  /** `opts.provider`: the `s3` ApiConnection (the access key pair). */
  constructor(name: string, args: BucketArgs, opts: DezkyResourceOptions) {
    super(
      "s3:Bucket",
      "s3",
      name,
      { versioning: true, abortIncompleteMultipartDays: 7, ...args, endpointUrl: undefined },
      opts,
    );
  }
}
