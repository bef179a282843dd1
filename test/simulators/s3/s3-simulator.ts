/**
 * An S3 simulator on the shared FaultServer, standing in for Hetzner Object Storage where
 * s3rver cannot: bucket versioning, lifecycle rules, object versions, several accounts (a
 * bucket name taken by someone else), and what Hetzner refuses or answers differently:
 * - the actions Hetzner does not support (bucket tagging among them) answer 501
 *   NotImplemented, and CreateBucket / lifecycle options outside the documented subset are
 *   refused (hetzner-limits.ts, with the sources);
 * - CreateBucket of a bucket the caller already owns answers 409 BucketAlreadyOwnedByYou,
 *   one owned by another account 409 BucketAlreadyExists; HeadBucket on a foreign bucket 403
 *   (S3 API reference, CreateBucket and HeadBucket "Errors");
 * - PutBucketLifecycleConfiguration requires a Content-MD5 that matches the body;
 * - requests with aws-chunked trailing checksums (the SDK's default "flexible checksums")
 *   are refused with XAmzContentSHA256Mismatch, as Hetzner answers them
 *   (hetznercloud/terraform-provider-hcloud#1114: PutObject from aws-sdk-go-v2, request id
 *   `...-fsn1-prod1-ceph3`; home-assistant/core#144015: UploadPart).
 * Lifecycle rules need an ID and a Status. Signatures are not verified, but the access key in
 * the Authorization header must be known.
 */
import { createHash } from "node:crypto";
import { FaultServer, type SimRequest, type SimResponse } from "../fault-server";
import {
  createBucketRefusal,
  lifecycleRuleRefusal,
  NOT_IMPLEMENTED,
  unsupportedAction,
} from "./hetzner-limits";
import {
  errorResponse,
  listObjects,
  listVersions,
  refusal,
  xml,
  type S3SimulatorOptions,
  type SimBucket,
  type SimObjectVersion,
} from "./state";
import { allTags, el, tagText, xmlDoc } from "./xml";

export type { S3SimulatorOptions, SimBucket, SimObjectVersion } from "./state";

const SUBRESOURCES = ["versioning", "lifecycle", "versions", "uploads", "location", "policy"];

export class S3Simulator {
  readonly buckets = new Map<string, SimBucket>();
  readonly server: FaultServer;
  private readonly accounts: Record<string, string>;
  private readonly location: string;
  private versionCounter = 0;

  constructor(options: S3SimulatorOptions = {}) {
    this.accounts = options.accounts ?? { SIMKEY: "acct-dezky" };
    this.location = options.location ?? "fsn1";
    this.server = new FaultServer((req) => this.handle(req));
  }

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Seeds a bucket directly, e.g. one owned by another account. */
  seedBucket(name: string, init: Partial<SimBucket> = {}): SimBucket {
    const bucket: SimBucket = {
      owner: "acct-dezky",
      created: new Date().toISOString(),
      versioning: "",
      objects: new Map(),
      ...init,
    };
    this.buckets.set(name, bucket);
    return bucket;
  }

  /** Seeds an object (a new version when the bucket is versioned). */
  seedObject(bucketName: string, key: string, body = "seeded"): void {
    const bucket = this.buckets.get(bucketName) ?? this.seedBucket(bucketName);
    const v = this.newVersion(bucket, body, false);
    const versions = bucket.objects.get(key) ?? [];
    bucket.objects.set(key, bucket.versioning === "Enabled" ? [...versions, v] : [v]);
  }

  private newVersion(bucket: SimBucket, body: string, deleteMarker: boolean): SimObjectVersion {
    return {
      versionId: bucket.versioning === "Enabled" ? `v${++this.versionCounter}` : "null",
      body,
      deleteMarker,
      lastModified: new Date().toISOString(),
    };
  }

  private account(req: SimRequest): string | undefined {
    const auth = String(req.headers.authorization ?? "");
    const key = /Credential=([^/]+)\//.exec(auth)?.[1];
    return key ? this.accounts[key] : undefined;
  }

  private handle(req: SimRequest): SimResponse {
    const [, bucketName = "", ...keyParts] = req.path.split("/");
    const key = decodeURIComponent(keyParts.join("/"));
    const account = this.account(req);
    if (!req.headers.authorization) {
      return errorResponse(403, "AccessDenied", "Anonymous access is not allowed", req.path);
    }
    if (!account) {
      return errorResponse(
        403,
        "InvalidAccessKeyId",
        "The access key does not exist in our records",
        req.path,
      );
    }
    const sha = String(req.headers["x-amz-content-sha256"] ?? "");
    if (sha.startsWith("STREAMING-") || req.headers["x-amz-trailer"]) {
      return errorResponse(
        400,
        "XAmzContentSHA256Mismatch",
        "The provided x-amz-content-sha256 header does not match",
        req.path,
      );
    }
    if (bucketName === "") return this.listBuckets(account);
    const unsupported = unsupportedAction(req, key !== "");
    if (unsupported) return refusal(NOT_IMPLEMENTED, req.path);
    const sub = SUBRESOURCES.find((s) => req.query.has(s));
    const bucket = this.buckets.get(bucketName);
    if (req.method === "PUT" && !sub && !key) return this.createBucket(req, bucketName, account);
    if (!bucket) {
      return req.method === "HEAD"
        ? { status: 404 }
        : errorResponse(
            404,
            "NoSuchBucket",
            "The specified bucket does not exist",
            `/${bucketName}`,
          );
    }
    if (bucket.owner !== account) {
      return req.method === "HEAD"
        ? { status: 403 }
        : errorResponse(403, "AccessDenied", "Access Denied", `/${bucketName}`);
    }
    if (key) return this.object(req, bucketName, bucket, key);
    switch (`${req.method} ${sub ?? ""}`) {
      case "HEAD ":
        return { status: 200, headers: { "x-amz-bucket-region": "sim" } };
      case "DELETE ":
        return this.deleteBucket(bucketName, bucket);
      case "GET versioning":
        return xml(
          200,
          xmlDoc(
            "VersioningConfiguration",
            bucket.versioning ? el("Status", bucket.versioning) : "",
          ),
        );
      case "PUT versioning":
        return this.putVersioning(req, bucket);
      case "GET lifecycle":
        return bucket.lifecycleXml
          ? xml(
              200,
              xmlDoc(
                "LifecycleConfiguration",
                allTags(bucket.lifecycleXml, "Rule")
                  .map((r) => el("Rule", r))
                  .join(""),
              ),
            )
          : errorResponse(
              404,
              "NoSuchLifecycleConfiguration",
              "The lifecycle configuration does not exist",
              `/${bucketName}`,
            );
      case "PUT lifecycle":
        return this.putLifecycle(req, bucket);
      case "DELETE lifecycle":
        bucket.lifecycleXml = undefined;
        bucket.lifecycleRules = undefined;
        return { status: 204 };
      case "GET ":
        return listObjects(req, bucketName, bucket);
      case "GET versions":
        return listVersions(req, bucketName, bucket);
      default:
        return errorResponse(
          501,
          "NotImplemented",
          `the simulator does not implement ${req.method} ?${sub}`,
          req.path,
        );
    }
  }

  private listBuckets(account: string): SimResponse {
    const items = [...this.buckets.entries()]
      .filter(([, b]) => b.owner === account)
      .map(([name, b]) => el("Bucket", { Name: name, CreationDate: b.created }))
      .join("");
    return xml(
      200,
      xmlDoc("ListAllMyBucketsResult", el("Owner", { ID: account }) + el("Buckets", items)),
    );
  }

  private createBucket(req: SimRequest, name: string, account: string): SimResponse {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
      return errorResponse(
        400,
        "InvalidBucketName",
        "The specified bucket is not valid.",
        `/${name}`,
      );
    }
    const refused = createBucketRefusal(req, this.location);
    if (refused) return refusal(refused, `/${name}`);
    const existing = this.buckets.get(name);
    if (existing) {
      return existing.owner === account
        ? errorResponse(
            409,
            "BucketAlreadyOwnedByYou",
            "Your previous request to create the named bucket succeeded and you already own it.",
            `/${name}`,
          )
        : errorResponse(
            409,
            "BucketAlreadyExists",
            "The requested bucket name is not available.",
            `/${name}`,
          );
    }
    this.seedBucket(name, { owner: account });
    return { status: 200, headers: { location: `/${name}` } };
  }

  private deleteBucket(name: string, bucket: SimBucket): SimResponse {
    if (bucket.objects.size > 0) {
      return errorResponse(
        409,
        "BucketNotEmpty",
        "The bucket you tried to delete is not empty",
        `/${name}`,
      );
    }
    this.buckets.delete(name);
    return { status: 204 };
  }

  /**
   * PutBucketLifecycleConfiguration: "you must include the Content-MD5 header" (S3 API
   * reference); Ceph RGW required it until ceph/ceph#45990 and Hetzner does not publish its
   * RGW version, so the simulator requires Content-MD5 (an x-amz-checksum-* alone is not
   * enough) and checks it against the body (400 InvalidDigest, as S3 answers a wrong one).
   */
  private requireContentMd5(req: SimRequest): SimResponse | undefined {
    const md5 = req.headers["content-md5"];
    if (!md5) {
      return errorResponse(
        400,
        "InvalidRequest",
        "Missing required header for this request: Content-MD5",
        req.path,
      );
    }
    const expected = createHash("md5").update(req.rawBody).digest("base64");
    return md5 === expected
      ? undefined
      : errorResponse(400, "InvalidDigest", "The Content-MD5 you specified was invalid.", req.path);
  }

  private putVersioning(req: SimRequest, bucket: SimBucket): SimResponse {
    const status = tagText(req.rawBody, "Status");
    if (status !== "Enabled" && status !== "Suspended") {
      return errorResponse(400, "MalformedXML", "Status must be Enabled or Suspended", req.path);
    }
    bucket.versioning = status;
    return { status: 200 };
  }

  private putLifecycle(req: SimRequest, bucket: SimBucket): SimResponse {
    const missing = this.requireContentMd5(req);
    if (missing) return missing;
    const rules = allTags(req.rawBody, "Rule");
    if (rules.length === 0 || rules.length > 1000)
      return errorResponse(400, "MalformedXML", "1-1000 rules required", req.path);
    const parsed = [];
    for (const rule of rules) {
      const id = tagText(rule, "ID");
      const status = tagText(rule, "Status");
      if (!id || (status !== "Enabled" && status !== "Disabled")) {
        return errorResponse(
          400,
          "MalformedXML",
          "every Rule needs an ID and Status Enabled|Disabled",
          req.path,
        );
      }
      const refused = lifecycleRuleRefusal(rule);
      if (refused) return refusal(refused, req.path);
      const abort = tagText(rule, "DaysAfterInitiation");
      const noncurrent = tagText(rule, "NoncurrentDays");
      parsed.push({
        id,
        status,
        abortDays: abort ? Number(abort) : undefined,
        noncurrentDays: noncurrent ? Number(noncurrent) : undefined,
      });
    }
    bucket.lifecycleXml = req.rawBody;
    bucket.lifecycleRules = parsed;
    return { status: 200 };
  }

  private object(req: SimRequest, name: string, bucket: SimBucket, key: string): SimResponse {
    const versions = bucket.objects.get(key) ?? [];
    const latest = versions[versions.length - 1];
    const other = [...req.query.keys()].find((q) => q !== "versionId" && q !== "x-id");
    if (other) {
      return errorResponse(
        501,
        "NotImplemented",
        `the simulator does not implement ?${other} on objects`,
        req.path,
      );
    }
    const versionId = req.query.get("versionId");
    if (req.method === "PUT") {
      const v = this.newVersion(bucket, req.rawBody, false);
      bucket.objects.set(key, bucket.versioning === "Enabled" ? [...versions, v] : [v]);
      return {
        status: 200,
        headers: { etag: `"${v.versionId}"`, "x-amz-version-id": v.versionId },
      };
    }
    if (req.method === "GET" || req.method === "HEAD") {
      if (!latest || latest.deleteMarker)
        return errorResponse(
          404,
          "NoSuchKey",
          "The specified key does not exist.",
          `/${name}/${key}`,
        );
      return {
        status: 200,
        headers: { "content-type": "application/octet-stream" },
        body: req.method === "GET" ? latest.body : undefined,
      };
    }
    if (req.method === "DELETE" && versionId !== null) {
      // DeleteObject with a version id removes that version for good (no delete marker).
      const left = versions.filter((v) => v.versionId !== versionId);
      if (left.length > 0) bucket.objects.set(key, left);
      else bucket.objects.delete(key);
      return { status: 204, headers: { "x-amz-version-id": versionId } };
    }
    if (req.method === "DELETE") {
      if (bucket.versioning === "Enabled")
        bucket.objects.set(key, [...versions, this.newVersion(bucket, "", true)]);
      else bucket.objects.delete(key);
      return { status: 204 };
    }
    return errorResponse(
      405,
      "MethodNotAllowed",
      "The specified method is not allowed against this resource.",
      req.path,
    );
  }

  /** Entries under the request's `prefix`, at most `max-keys` (default 1000). */
}
