/**
 * Dynamic provider for one Object Storage bucket (Hetzner has no bucket API; this speaks S3).
 * The bucket name is the resource id. Ownership is a marker object (marker.ts; Hetzner has no
 * bucket tags), written right after CreateBucket. A create whose CreateBucket response was
 * lost sees BucketAlreadyOwnedByYou, or on a later run finds its marker or, when a run failed
 * before the marker was written, an empty bucket: both are ours. A bucket with another cell's
 * marker, or with content and no marker, is an error unless adopt. Delete refuses a bucket
 * that holds anything but the marker, then removes every version of the marker and the bucket.
 */
import type * as S3 from "@aws-sdk/client-s3";
import { z } from "zod";
import type { Props, TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { isEuLocation } from "../rules";
import {
  failureOf,
  isMissing,
  LIFECYCLE_RULE_ID,
  lifecycleRules,
  s3Client,
  s3Error,
  sdk,
  type S3Connection,
  type S3Credentials,
} from "./client";
import {
  contentCount,
  MARKER_KEY,
  ownershipOf,
  readMarker,
  removeMarker,
  writeMarker,
} from "./marker";

/** S3 bucket naming rules (the subset Hetzner enforces), or a reason. Pure. */
export function bucketNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return "bucket must be a string";
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
    return "bucket must be 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit";
  }
  if (/\.\.|\.-|-\./.test(name)) return "bucket must not contain '..', '.-' or '-.'";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "bucket must not look like an IP address";
  return undefined;
}

const schema = z.object({
  /** Bucket name (unique per location across all Hetzner customers). */
  bucket: z.string().superRefine((name, c) => {
    const problem = bucketNameProblem(name);
    if (problem) c.addIssue({ code: "custom", message: problem });
  }),
  /** Hetzner location, the S3 region (fsn1, nbg1, hel1). */
  region: z
    .string()
    .refine(isEuLocation, { message: "must be an EU Hetzner location (fsn1, nbg1, hel1)" }),
  /** Endpoint URL; defaults to https://<region>.your-objectstorage.com (tests use loopback). */
  endpoint: z.string().optional(),
  /** Cell id: written into the ownership marker and named in errors. */
  cell: z.string().min(1, "cell must be a non-empty string"),
  /** Keep every version of every object. */
  versioning: z.boolean().default(true),
  /** Days after which unfinished multipart uploads are aborted (lifecycle rule). */
  abortIncompleteMultipartDays: z
    .number()
    .int("abortIncompleteMultipartDays must be an integer >= 1")
    .min(1, "abortIncompleteMultipartDays must be an integer >= 1")
    .default(7),
  /** Expire non-current versions after this many days; unset keeps them forever. */
  noncurrentVersionDays: z.number().int().min(1).optional(),
  /** Take over an existing bucket that this program did not create. */
  adopt: z.boolean().optional(),
});

export type BucketInputs = z.infer<typeof schema>;

export interface BucketOutputs extends BucketInputs {
  /** Endpoint URL clients use (path-style). */
  endpointUrl: string;
}

/** The SDK connection of a bucket: its location and endpoint, with the provider's key pair. */
function connectionOf(credentials: S3Credentials, inputs: BucketInputs): S3Connection {
  return {
    region: inputs.region,
    endpoint: inputs.endpoint,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
  };
}

function ctx(props: { bucket?: string; cell?: string }, call: string) {
  return { tenant: undefined, object: `bucket "${props.bucket}" of cell "${props.cell}"`, call };
}

function outputsOf(inputs: BucketInputs, client: S3.S3Client): Promise<BucketOutputs> {
  return Promise.resolve(client.config.endpoint?.()).then((ep) => ({
    ...inputs,
    endpointUrl: ep ? `${ep.protocol}//${ep.hostname}${ep.port ? `:${ep.port}` : ""}` : "",
  }));
}

/** "exists" | "missing"; a 403 means another account holds the name. */
async function probe(client: S3.S3Client, inputs: BucketInputs): Promise<"exists" | "missing"> {
  try {
    await client.send(new (sdk().HeadBucketCommand)({ Bucket: inputs.bucket }));
    return "exists";
  } catch (error) {
    if (isMissing(error)) return "missing";
    const f = failureOf(error);
    if (f.status === 403) {
      throw objectError(
        {
          service: "Object Storage (S3)",
          object: `bucket "${inputs.bucket}" of cell "${inputs.cell}": HEAD /${inputs.bucket} HTTP 403:`,
        },
        "the name is taken by another account, or the key (dezky:s3AccessKey/dezky:s3SecretKey) lacks access",
        "bucket names are global per location, pick another name in the environment",
        403,
      );
    }
    throw s3Error(ctx(inputs, `HEAD /${inputs.bucket}`), error);
  }
}

async function getLifecycle(
  client: S3.S3Client,
  inputs: BucketInputs,
): Promise<S3.LifecycleRule[]> {
  try {
    const out = await client.send(
      new (sdk().GetBucketLifecycleConfigurationCommand)({ Bucket: inputs.bucket }),
    );
    return out.Rules ?? [];
  } catch (error) {
    if (isMissing(error, "NoSuchLifecycleConfiguration")) return [];
    throw s3Error(ctx(inputs, `GET /${inputs.bucket}?lifecycle`), error);
  }
}

async function getVersioning(client: S3.S3Client, inputs: BucketInputs): Promise<string> {
  try {
    const out = await client.send(
      new (sdk().GetBucketVersioningCommand)({ Bucket: inputs.bucket }),
    );
    return out.Status ?? "";
  } catch (error) {
    throw s3Error(ctx(inputs, `GET /${inputs.bucket}?versioning`), error);
  }
}

/**
 * Creates the bucket with no option header; the SDK's body names only the LocationConstraint
 * (= region). Hetzner accepts only x-amz-acl, x-amz-bucket-object-lock-enabled and a
 * LocationConstraint (docs ST-010B8). "created" when this
 * call made it; "existing" when it was already ours (BucketAlreadyOwnedByYou: a lost response
 * of our own earlier attempt, or a bucket made another way), which the caller checks.
 */
async function createBucket(
  client: S3.S3Client,
  inputs: BucketInputs,
): Promise<"created" | "existing"> {
  try {
    await client.send(new (sdk().CreateBucketCommand)({ Bucket: inputs.bucket }));
    return "created";
  } catch (error) {
    const f = failureOf(error);
    if (f.code === "BucketAlreadyOwnedByYou") return "existing";
    if (f.code === "BucketAlreadyExists" && (await probe(client, inputs)) === "exists") {
      return "existing";
    }
    throw s3Error(ctx(inputs, `PUT /${inputs.bucket}`), error);
  }
}

/** Runs an S3 call, turning its failure into the provider error naming the call. */
async function call<T>(inputs: BucketInputs, what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw s3Error(ctx(inputs, what), error);
  }
}

/**
 * Whether an existing bucket may be taken as ours: its marker names this cell, or it has no
 * marker and holds nothing (a create of ours that failed before the marker was written), or
 * adopt. Anything else is refused with what was found. Returns whether the marker is current.
 */
async function claim(client: S3.S3Client, inputs: BucketInputs): Promise<boolean> {
  const markerCall = `GET /${inputs.bucket}/${MARKER_KEY}`;
  const found = ownershipOf(
    await call(inputs, markerCall, () => readMarker(client, inputs.bucket)),
    inputs.cell,
  );
  if (found.owner === "ours") return true;
  let why: string;
  if (found.owner === "other-cell") {
    why = `belongs to another cell (${found.cell ?? "?"}) according to its ${MARKER_KEY}`;
  } else {
    const left = await call(inputs, `GET /${inputs.bucket}?versions`, () =>
      contentCount(client, inputs.bucket),
    );
    if (left.count === 0) return false;
    why = `exists and was not created by this program (it holds ${left.more ? "100 or more" : left.count} objects or versions and no ${MARKER_KEY} marker)`;
  }
  if (inputs.adopt) return false;
  throw objectError(
    {
      service: "Object Storage (S3)",
      object: `bucket "${inputs.bucket}" of cell "${inputs.cell}"`,
    },
    why,
    "set adopt: true to take it over, or choose another bucket name",
  );
}

/** Writes the marker unless current, then versioning and the lifecycle rule. */
async function converge(
  client: S3.S3Client,
  inputs: BucketInputs,
  markerCurrent: boolean,
  versioningBefore: string,
): Promise<void> {
  const S = sdk();
  if (!markerCurrent) {
    await call(inputs, `PUT /${inputs.bucket}/${MARKER_KEY}`, () =>
      writeMarker(client, inputs.bucket, inputs.cell),
    );
  }
  const wanted = inputs.versioning ? "Enabled" : versioningBefore === "" ? "" : "Suspended";
  if (wanted !== versioningBefore && wanted !== "") {
    await call(inputs, `PUT /${inputs.bucket}?versioning`, () =>
      client.send(
        new S.PutBucketVersioningCommand({
          Bucket: inputs.bucket,
          VersioningConfiguration: { Status: wanted as "Enabled" | "Suspended" },
        }),
      ),
    );
  }
  const rules = lifecycleRules(
    await getLifecycle(client, inputs),
    inputs.abortIncompleteMultipartDays,
    inputs.noncurrentVersionDays,
  );
  await call(inputs, `PUT /${inputs.bucket}?lifecycle`, () =>
    client.send(
      new S.PutBucketLifecycleConfigurationCommand({
        Bucket: inputs.bucket,
        LifecycleConfiguration: { Rules: rules },
      }),
    ),
  );
}

/**
 * Older state named the location and the endpoint override inside its connection, and kept
 * the endpoint clients use as `endpoint`; now `endpoint` is the override and `endpointUrl`
 * the one in use.
 */
function upgrade(props: Props): Props {
  const legacy = props.connection as { region?: string; endpoint?: string } | undefined;
  if (!legacy) return props;
  const { endpoint: inUse, ...rest } = props;
  return {
    ...rest,
    region: rest.region ?? legacy.region,
    endpoint: legacy.endpoint,
    endpointUrl: rest.endpointUrl ?? inUse,
  };
}

export const bucketType: TypeSpec<BucketInputs, BucketOutputs, S3Credentials> = {
  type: "s3:Bucket",
  service: "s3",
  schema,
  // The name and the location are the bucket; a change needs a new one (refused while it
  // holds data, see delete).
  replaces: ["bucket", "region"],
  // The same name elsewhere: the old bucket must go first (names are unique per location);
  // a new name is created before the old one goes.
  deleteBeforeReplace: (replaces) => !replaces.includes("bucket"),
  updates: [
    "endpoint",
    "cell",
    "versioning",
    "abortIncompleteMultipartDays",
    "noncurrentVersionDays",
  ],
  upgrade,

  async create(op, inputs) {
    const client = s3Client(connectionOf(op.connection, inputs));
    try {
      let markerCurrent = false;
      let versioning = "";
      const made =
        (await probe(client, inputs)) === "exists"
          ? "existing"
          : await createBucket(client, inputs);
      if (made === "existing") {
        markerCurrent = await claim(client, inputs);
        versioning = await getVersioning(client, inputs);
      }
      await converge(client, inputs, markerCurrent, versioning);
      return { id: inputs.bucket, outs: await outputsOf(inputs, client) };
    } finally {
      client.destroy();
    }
  },

  async read(op, id, props) {
    const client = s3Client(connectionOf(op.connection, props));
    try {
      const inputs = { ...props, bucket: id };
      if ((await probe(client, inputs)) === "missing") return undefined;
      const [versioning, rules] = [
        await getVersioning(client, inputs),
        await getLifecycle(client, inputs),
      ];
      const ours = rules.find((r) => r.ID === LIFECYCLE_RULE_ID && r.Status === "Enabled");
      const observed: BucketOutputs = {
        ...(await outputsOf(inputs, client)),
        versioning: versioning === "Enabled",
        abortIncompleteMultipartDays:
          ours?.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? 0,
        noncurrentVersionDays: ours?.NoncurrentVersionExpiration?.NoncurrentDays,
      };
      return observed;
    } finally {
      client.destroy();
    }
  },

  async update(op, id, _olds, news) {
    const client = s3Client(connectionOf(op.connection, news));
    try {
      const inputs = { ...news, bucket: id };
      // The state says the bucket is ours: only a missing or older marker is (re)written.
      const marker = await call(inputs, `GET /${id}/${MARKER_KEY}`, () => readMarker(client, id));
      const current = ownershipOf(marker, inputs.cell).owner === "ours";
      await converge(client, inputs, current, await getVersioning(client, inputs));
      return outputsOf(inputs, client);
    } finally {
      client.destroy();
    }
  },

  async delete(op, id, props) {
    const client = s3Client(connectionOf(op.connection, props));
    const inputs = { ...props, bucket: id };
    const where = {
      service: "Object Storage (S3)",
      object: `bucket "${id}" of cell "${props.cell}"`,
    };
    try {
      let left: { count: number; more: boolean };
      try {
        left = await contentCount(client, id);
        if (left.count === 0) await removeMarker(client, id);
      } catch (error) {
        if (isMissing(error)) return;
        throw s3Error(ctx(inputs, `GET /${id}?versions`), error);
      }
      if (left.count > 0) {
        throw objectError(
          where,
          `still holds ${left.more ? "100 or more" : left.count} objects or versions; deleting it would lose data`,
          "empty it deliberately (objects and all versions) or keep it (remove it from the program with retainOnDelete)",
        );
      }
      try {
        await client.send(new (sdk().DeleteBucketCommand)({ Bucket: id }));
      } catch (error) {
        if (isMissing(error)) return;
        if (failureOf(error).code === "BucketNotEmpty") {
          // Objects arrived meanwhile: the bucket stays, so it gets its marker back.
          await call(inputs, `PUT /${id}/${MARKER_KEY}`, () => writeMarker(client, id, props.cell));
          throw objectError(
            { ...where, object: `${where.object}: DELETE /${id}:` },
            "BucketNotEmpty; objects arrived meanwhile, the bucket and its marker were kept",
            "empty it or keep it",
          );
        }
        throw s3Error(ctx(inputs, `DELETE /${id}`), error);
      }
    } finally {
      client.destroy();
    }
  },
};
