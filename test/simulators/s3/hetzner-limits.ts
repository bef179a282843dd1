/**
 * What Hetzner Object Storage refuses, as the S3 simulator enforces it. Source for every rule:
 * Hetzner Docs, "List of supported actions", ID ST-010B8
 * (https://docs.hetzner.com/storage/object-storage/supported-actions/; German version
 * https://docs.hetzner.com/de/storage/object-storage/supported-actions/), table "Notable
 * exceptions". The answer the real server gives to an unsupported bucket action was observed
 * for bucket tagging (aminueza/terraform-provider-minio issue #706 and PR #707, 2026-01-19:
 * `Code: NotImplemented`, `Message: This operation is not implemented.`, no request id); the
 * HTTP status of S3's NotImplemented is 501 (ceph/ceph src/rgw/rgw_common.cc
 * `{ ERR_NOT_IMPLEMENTED, {501, "NotImplemented"}}`). Where the docs do not say what the
 * server answers (a refused CreateBucket header, a NoncurrentVersionExpiration option), the
 * simulator refuses too, with the same 501 body: stricter than the server, never looser.
 */
import type { SimRequest } from "../fault-server";
import { allTags } from "./xml";

/** A refusal: status, S3 error code and message. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}

/** The body Hetzner sends for an action it does not implement (issue #706). */
export const NOT_IMPLEMENTED: Refusal = {
  status: 501,
  code: "NotImplemented",
  message: "This operation is not implemented.",
};

/**
 * Bucket sub-resources (query keys) of the actions listed as "Not supported" for Buckets:
 * Request-Payment, Notifications, Accelerate, Website, Analytics, Intelligent Tiering,
 * Inventory, Logging, Metrics, Ownership Controls, Replication, Tagging. Encryption is
 * "only SSE-C", which is per request, so bucket default encryption (`?encryption`, SSE-S3 or
 * SSE-KMS) is refused as well.
 */
export const UNSUPPORTED_BUCKET_SUBRESOURCES = [
  "requestPayment",
  "notification",
  "accelerate",
  "website",
  "analytics",
  "intelligent-tiering",
  "inventory",
  "logging",
  "metrics",
  "ownershipControls",
  "replication",
  "tagging",
  "encryption",
] as const;

/** Object sub-resources listed as "Not supported": Restore, Select Content, Torrent, GetObjectAttributes. */
export const UNSUPPORTED_OBJECT_SUBRESOURCES = [
  "restore",
  "select",
  "torrent",
  "attributes",
] as const;

/** "General: CreateSession: Not supported" (S3 Express `GET /<bucket>?session`). */
export const UNSUPPORTED_GENERAL_SUBRESOURCES = ["session"] as const;

/** The unsupported action a request names, if any. */
export function unsupportedAction(req: SimRequest, isObject: boolean): string | undefined {
  const lists: readonly string[] = isObject
    ? UNSUPPORTED_OBJECT_SUBRESOURCES
    : [...UNSUPPORTED_BUCKET_SUBRESOURCES, ...UNSUPPORTED_GENERAL_SUBRESOURCES];
  const sub = lists.find((s) => req.query.has(s));
  if (sub) return `?${sub}`;
  if (!isObject) return undefined;
  // "Encryption: only SSE-C": SSE-S3 / SSE-KMS request headers are not honoured.
  if (req.headers["x-amz-server-side-encryption"]) return "x-amz-server-side-encryption";
  // "CopyObject: depends on internal factors and may fail"; the simulator always fails it so
  // nothing of ours can come to depend on it.
  if (req.method === "PUT" && req.headers["x-amz-copy-source"]) return "CopyObject";
  return undefined;
}

/** Request headers every signed SDK request carries; not CreateBucket options. */
const SIGNING_HEADERS = new Set([
  "x-amz-date",
  "x-amz-content-sha256",
  "x-amz-security-token",
  "x-amz-user-agent",
  "x-amz-expected-bucket-owner",
]);

/** CreateBucket: "Only these Headers: x-amz-bucket-object-lock-enabled, x-amz-acl (private, public-read)". */
const CREATE_BUCKET_HEADERS = new Set(["x-amz-bucket-object-lock-enabled", "x-amz-acl"]);
const CREATE_BUCKET_ACLS = new Set(["private", "public-read"]);

/**
 * CreateBucket headers and body checked against the documented subset ("Only this element in
 * the CreateBucketConfiguration XML Body: LocationConstraint"), and the constraint against the
 * server's location (a location endpoint creates buckets in its own location).
 */
export function createBucketRefusal(req: SimRequest, location: string): Refusal | undefined {
  for (const header of Object.keys(req.headers)) {
    if (!header.startsWith("x-amz-") || SIGNING_HEADERS.has(header)) continue;
    if (!CREATE_BUCKET_HEADERS.has(header)) {
      return { ...NOT_IMPLEMENTED, message: `${NOT_IMPLEMENTED.message} (header ${header})` };
    }
  }
  const acl = req.headers["x-amz-acl"];
  if (acl !== undefined && !CREATE_BUCKET_ACLS.has(String(acl))) {
    return {
      status: 400,
      code: "InvalidArgument",
      message: `x-amz-acl ${String(acl)} is not allowed`,
    };
  }
  const body = req.rawBody.trim();
  if (!body) return undefined;
  const config = allTags(body, "CreateBucketConfiguration")[0];
  if (config === undefined)
    return { status: 400, code: "MalformedXML", message: "CreateBucketConfiguration expected" };
  const elements = [...config.matchAll(/<([A-Za-z][\w-]*)[\s>]/g)].map((m) => m[1]);
  const other = elements.find((e) => e !== "LocationConstraint");
  if (other)
    return { ...NOT_IMPLEMENTED, message: `${NOT_IMPLEMENTED.message} (element ${other})` };
  const constraint = allTags(config, "LocationConstraint")[0]?.trim();
  if (constraint !== undefined && constraint !== location) {
    return {
      status: 400,
      code: "InvalidLocationConstraint",
      message: `The specified location-constraint ${constraint} is not valid here (${location})`,
    };
  }
  return undefined;
}

/** "NoncurrentVersionExpiration: Only this option: NoncurrentDays". */
export function lifecycleRuleRefusal(rule: string): Refusal | undefined {
  for (const block of allTags(rule, "NoncurrentVersionExpiration")) {
    const elements = [...block.matchAll(/<([A-Za-z][\w-]*)[\s>]/g)].map((m) => m[1]);
    const other = elements.find((e) => e !== "NoncurrentDays");
    if (other) {
      return {
        ...NOT_IMPLEMENTED,
        message: `${NOT_IMPLEMENTED.message} (NoncurrentVersionExpiration ${other})`,
      };
    }
  }
  return undefined;
}
