/**
 * The S3 simulator answers as Hetzner Object Storage does where Hetzner departs from S3
 * (hetzner-limits.ts holds the sources): unsupported actions, the CreateBucket subset, the
 * NoncurrentVersionExpiration subset. Driven through the AWS SDK, as the provider calls it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, s3Client, sdk } from "../../../components/providers/s3/client";
import { S3Simulator } from "./s3-simulator";
import { UNSUPPORTED_BUCKET_SUBRESOURCES } from "./hetzner-limits";

const sim = new S3Simulator();
let endpoint = "";
const client = () =>
  s3Client(
    { region: "fsn1", endpoint, accessKeyId: "SIMKEY", secretAccessKey: "x" },
    { maxAttempts: 1, requestTimeoutMs: 5000 },
  );

beforeAll(async () => {
  endpoint = await sim.start();
  sim.seedBucket("limits", { versioning: "Enabled" });
});
afterAll(() => sim.stop());

/** A raw signed-looking request (the simulator checks the key, not the signature). */
async function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
) {
  const res = await fetch(`${endpoint}${path}`, {
    method,
    headers: {
      authorization:
        "AWS4-HMAC-SHA256 Credential=SIMKEY/20260101/fsn1/s3/aws4_request, SignedHeaders=host, Signature=x",
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      ...headers,
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

describe("actions Hetzner does not implement (ST-010B8)", () => {
  it("bucket tagging answers 501 NotImplemented with Hetzner's body, through the SDK", async () => {
    const S = sdk();
    const c = client();
    for (const command of [
      new S.GetBucketTaggingCommand({ Bucket: "limits" }),
      new S.PutBucketTaggingCommand({
        Bucket: "limits",
        Tagging: { TagSet: [{ Key: "a", Value: "b" }] },
      }),
      new S.DeleteBucketTaggingCommand({ Bucket: "limits" }),
    ]) {
      await expect(c.send(command as never)).rejects.toMatchObject({
        name: "NotImplemented",
        message: "This operation is not implemented.",
        $metadata: { httpStatusCode: 501 },
      });
    }
    c.destroy();
  });

  it.each(UNSUPPORTED_BUCKET_SUBRESOURCES.map((s) => [s]))(
    "GET and PUT ?%s answer 501",
    async (sub) => {
      for (const method of ["GET", "PUT"]) {
        const r = await raw(method, `/limits?${sub}`, {}, method === "PUT" ? "<x/>" : undefined);
        expect(r.status).toBe(501);
        expect(r.body).toContain("<Code>NotImplemented</Code>");
      }
    },
  );

  it("refuses the unsupported object actions, SSE-S3/KMS and CopyObject", async () => {
    for (const sub of ["restore", "select&select-type=2", "torrent", "attributes"]) {
      const method = sub === "torrent" || sub === "attributes" ? "GET" : "POST";
      expect((await raw(method, `/limits/k?${sub}`)).status).toBe(501);
    }
    expect(
      (await raw("PUT", "/limits/k", { "x-amz-server-side-encryption": "AES256" }, "x")).status,
    ).toBe(501);
    expect((await raw("PUT", "/limits/k2", { "x-amz-copy-source": "/limits/k" })).status).toBe(501);
    // A plain PutObject, GetObject and versioned DeleteObject are supported.
    expect((await raw("PUT", "/limits/k", {}, "x")).status).toBe(200);
    expect((await raw("GET", "/limits/k")).body).toBe("x");
  });
});

describe("CreateBucket accepts only x-amz-acl (private, public-read), x-amz-bucket-object-lock-enabled and LocationConstraint", () => {
  it("takes the documented headers and the endpoint's own location", async () => {
    const S = sdk();
    const c = client();
    await c.send(new S.CreateBucketCommand({ Bucket: "cb-plain" }));
    await c.send(
      new S.CreateBucketCommand({
        Bucket: "cb-acl",
        ACL: "private",
        ObjectLockEnabledForBucket: true,
      }),
    );
    await c.send(
      new S.CreateBucketCommand({
        Bucket: "cb-loc",
        CreateBucketConfiguration: { LocationConstraint: "fsn1" as never },
      }),
    );
    expect(["cb-plain", "cb-acl", "cb-loc"].every((b) => sim.buckets.has(b))).toBe(true);
    c.destroy();
  });

  it("refuses other headers, other ACLs, other body elements and another location", async () => {
    const S = sdk();
    const c = client();
    const refused = [
      new S.CreateBucketCommand({ Bucket: "cb-own", ObjectOwnership: "BucketOwnerEnforced" }),
      new S.CreateBucketCommand({ Bucket: "cb-grant", GrantRead: 'id="x"' }),
      new S.CreateBucketCommand({ Bucket: "cb-rw", ACL: "public-read-write" }),
      new S.CreateBucketCommand({ Bucket: "cb-auth", ACL: "authenticated-read" }),
      new S.CreateBucketCommand({
        Bucket: "cb-tags",
        CreateBucketConfiguration: {
          LocationConstraint: "fsn1" as never,
          Tags: [{ Key: "a", Value: "b" }],
        },
      }),
      new S.CreateBucketCommand({
        Bucket: "cb-elsewhere",
        CreateBucketConfiguration: { LocationConstraint: "hel1" as never },
      }),
    ];
    for (const command of refused) {
      await expect(c.send(command)).rejects.toMatchObject({
        name: expect.stringMatching(/NotImplemented|InvalidArgument|InvalidLocationConstraint/),
      });
      expect(sim.buckets.has(command.input.Bucket!)).toBe(false);
    }
    c.destroy();
  });
});

describe("lifecycle: NoncurrentVersionExpiration takes only NoncurrentDays", () => {
  it("accepts NoncurrentDays and refuses NewerNoncurrentVersions", async () => {
    const S = sdk();
    const c = client();
    const rule = (extra: object) => ({
      ID: "r",
      Status: "Enabled" as const,
      Filter: { Prefix: "" },
      NoncurrentVersionExpiration: { NoncurrentDays: 30, ...extra },
    });
    await c.send(
      new S.PutBucketLifecycleConfigurationCommand({
        Bucket: "limits",
        LifecycleConfiguration: { Rules: [rule({})] },
      }),
    );
    await expect(
      c.send(
        new S.PutBucketLifecycleConfigurationCommand({
          Bucket: "limits",
          LifecycleConfiguration: { Rules: [rule({ NewerNoncurrentVersions: 3 })] },
        }),
      ),
    ).rejects.toMatchObject({ name: "NotImplemented", $metadata: { httpStatusCode: 501 } });
    // Without Content-MD5 (the SDK alone sends only x-amz-checksum-crc32): refused.
    const plain = new S.S3Client({
      ...clientConfig({ region: "fsn1", endpoint, accessKeyId: "SIMKEY", secretAccessKey: "x" }),
      maxAttempts: 1,
    });
    await expect(
      plain.send(
        new S.PutBucketLifecycleConfigurationCommand({
          Bucket: "limits",
          LifecycleConfiguration: { Rules: [rule({ NoncurrentDays: 7 })] },
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidRequest", message: /Content-MD5/ });
    plain.destroy();
    expect(sim.buckets.get("limits")!.lifecycleRules).toEqual([
      { id: "r", status: "Enabled", abortDays: undefined, noncurrentDays: 30 },
    ]);
    c.destroy();
  });
});
