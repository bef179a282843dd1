/**
 * The S3 client for Hetzner Object Storage and the small helpers around it. Hetzner has no API
 * for buckets, so buckets are managed through the S3 API itself: path-style addressing, the
 * location as region, and checksums only when an operation requires them (Hetzner's Ceph
 * gateway rejects the SDK's default flexible checksums with XAmzContentSHA256Mismatch).
 *
 * The SDK is loaded on first use (a process that serves no bucket never pays for it). The SDK
 * retries on its own (standard mode: exponential backoff with jitter on throttling, 5xx and
 * transient errors), with the attempts and per-request timeout of core/timing.ts.
 */
import type * as S3 from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { providerError, type ErrorContext, type ProviderError } from "../core/errors";
import { timing } from "../core/timing";

/** Stack config keys holding the Object Storage credentials (named in 401/403 errors). */
export const S3_CREDENTIAL_KEYS = "dezky:s3AccessKey/dezky:s3SecretKey";

/** The `s3` ApiConnection's configuration: the access key pair (secret). */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Where and how to reach Object Storage: a bucket's location and endpoint, with the key pair. */
export interface S3Connection {
  /** Hetzner location, used as the S3 region (fsn1, nbg1, hel1). */
  region: string;
  /** Endpoint URL; defaults to https://<region>.your-objectstorage.com (tests use loopback). */
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Retry and timeout settings of the SDK client (default: core/timing.ts). */
export interface S3RetrySettings {
  /** Attempts in total, the first included. */
  maxAttempts?: number;
  /** Per-request timeout in ms. */
  requestTimeoutMs?: number;
}

/** The Hetzner Object Storage endpoint of a location. */
export function hetznerEndpoint(location: string): string {
  return `https://${location}.your-objectstorage.com`;
}

/** The SDK client options for a connection (pure; tested). */
export function clientConfig(conn: S3Connection, retry: S3RetrySettings = {}): S3.S3ClientConfig {
  const t = timing();
  const requestTimeout = retry.requestTimeoutMs ?? t.timeoutMs;
  return {
    region: conn.region,
    endpoint: conn.endpoint ?? hetznerEndpoint(conn.region),
    forcePathStyle: true,
    credentials: { accessKeyId: conn.accessKeyId, secretAccessKey: conn.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: retry.maxAttempts ?? t.attempts,
    retryMode: "standard",
    requestHandler: {
      requestTimeout,
      connectionTimeout: Math.min(requestTimeout, 10_000),
      // Without this a hung request only logs a warning and waits forever.
      throwOnRequestTimeout: true,
    },
  };
}

/** The SDK module, loaded on first use. */
export function sdk(): typeof S3 {
  return require("@aws-sdk/client-s3") as typeof S3;
}

/** A new client; call inside provider methods only, never at module level. */
export function s3Client(conn: S3Connection, retry?: S3RetrySettings): S3.S3Client {
  const client = new (sdk().S3Client)(clientConfig(conn, retry));
  client.middlewareStack.add(contentMd5ForLifecycle as never, {
    step: "build",
    name: "dezkyContentMd5",
  });
  return client;
}

interface RequestLike {
  method?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * PutBucketLifecycleConfiguration with a Content-MD5 header, which the S3 API reference
 * documents as required for it and which Ceph RGW demanded until ceph/ceph#45990 (2022). The
 * SDK sends only x-amz-checksum-crc32, and Hetzner does not publish its RGW version; with both
 * headers the call is valid for old and new gateways alike.
 */
export function withContentMd5(request: RequestLike): void {
  if (request.method !== "PUT" || !request.query || !("lifecycle" in request.query)) return;
  if (typeof request.body !== "string" || !request.headers) return;
  request.headers["content-md5"] = createHash("md5").update(request.body).digest("base64");
}

/** The build-step middleware around withContentMd5 (runs before signing). */
function contentMd5ForLifecycle<A extends { request: unknown }, R>(next: (args: A) => Promise<R>) {
  return (args: A): Promise<R> => {
    withContentMd5(args.request as RequestLike);
    return next(args);
  };
}

/** What an SDK error says, in plain fields. */
export interface S3Failure {
  code: string;
  status?: number;
  message: string;
}

export function failureOf(error: unknown): S3Failure {
  const e = error as {
    name?: string;
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return {
    code: e?.Code ?? e?.name ?? "Error",
    status: e?.$metadata?.httpStatusCode,
    message: e?.message ?? String(error),
  };
}

/** True when the error is the "not there" answer of a call (404 or the named S3 codes). */
export function isMissing(error: unknown, ...codes: string[]): boolean {
  const f = failureOf(error);
  return f.status === 404 || ["NotFound", "NoSuchBucket", ...codes].includes(f.code);
}

/** The standard provider error for a failed S3 call. */
export function s3Error(
  ctx: Omit<ErrorContext, "service" | "credential">,
  error: unknown,
): ProviderError {
  const f = failureOf(error);
  return providerError(
    { service: "Object Storage (S3)", credential: S3_CREDENTIAL_KEYS, ...ctx },
    f.status,
    `${f.code}: ${f.message}`,
  );
}

/** Lifecycle rule id written by this program; other rules on the bucket are kept. */
export const LIFECYCLE_RULE_ID = "dezky-abort-incomplete-multipart";

/** The lifecycle rules: existing foreign rules plus ours (pure). */
export function lifecycleRules(
  existing: S3.LifecycleRule[] | undefined,
  abortAfterDays: number,
  noncurrentDays?: number,
): S3.LifecycleRule[] {
  const others = (existing ?? []).filter((r) => r.ID !== LIFECYCLE_RULE_ID);
  const ours: S3.LifecycleRule = {
    ID: LIFECYCLE_RULE_ID,
    Status: "Enabled",
    Filter: { Prefix: "" },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: abortAfterDays },
    ...(noncurrentDays ? { NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays } } : {}),
  };
  return [...others, ours];
}
