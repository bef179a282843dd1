/**
 * The bucket provider against the S3 simulator (versioning, lifecycle, marker, faults) and
 * against s3rver (a second, independent S3 implementation) for the calls s3rver implements.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { S3Simulator } from "../../../test/simulators/s3/s3-simulator";
import { routed, useFastTiming } from "../test-kit";
import { bucketNameProblem, type BucketInputs, type BucketOutputs } from "./bucket.runtime";
import { clientConfig, hetznerEndpoint, s3Client, sdk, type S3Connection } from "./client";
import { MARKER_KEY, markerBody, ownershipOf } from "./marker";

const sim = new S3Simulator({ accounts: { SIMKEY: "acct-dezky", OTHERKEY: "acct-other" } });
let conn: S3Connection;
/* eslint-disable @typescript-eslint/no-explicit-any */
type WithConnection = Partial<BucketInputs> & Record<string, any>;
// The bucket provider with the key pair as its connection, a bucket's location as its input.
const bucketProvider = routed("s3:Bucket", {
  split: (c) => ({
    connection: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    inputs: { region: c.region, endpoint: c.endpoint },
  }),
});

/** Who the marker object of a simulated bucket names ("none" without one). */
function markerOwner(bucket: string, cell = "dev"): string {
  const versions = sim.buckets.get(bucket)?.objects.get(MARKER_KEY) ?? [];
  const latest = versions[versions.length - 1];
  return ownershipOf(latest && !latest.deleteMarker ? latest.body : undefined, cell).owner;
}

function inputs(bucket: string, extra: WithConnection = {}): WithConnection {
  return {
    connection: conn,
    bucket,
    cell: "dev",
    versioning: true,
    abortIncompleteMultipartDays: 7,
    ...extra,
  };
}

beforeAll(async () => {
  const url = await sim.start();
  conn = { region: "fsn1", endpoint: url, accessKeyId: "SIMKEY", secretAccessKey: "sim-secret" };
  // Short timeouts so the timeout fault costs about a second.
  useFastTiming({ attempts: 4, timeoutMs: 1000 });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.server.clearFaults();
  sim.server.resetLog();
});

describe("client configuration", () => {
  it("uses path-style, the location as region, WHEN_REQUIRED checksums and Hetzner's endpoint", () => {
    const c = clientConfig({ region: "hel1", accessKeyId: "a", secretAccessKey: "b" });
    expect(c).toMatchObject({
      region: "hel1",
      endpoint: "https://hel1.your-objectstorage.com",
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    expect(hetznerEndpoint("nbg1")).toBe("https://nbg1.your-objectstorage.com");
  });

  it("checks bucket names like S3 does", () => {
    expect(bucketNameProblem("dezky-prod-ocis")).toBeUndefined();
    expect(bucketNameProblem("Dezky")).toMatch(/a-z/);
    expect(bucketNameProblem("a..b")).toMatch(/\.\./);
    expect(bucketNameProblem("10.0.0.1")).toMatch(/IP/);
  });
});

describe("bucket lifecycle against the simulator", () => {
  it("creates with the ownership marker, versioning and the multipart lifecycle rule", async () => {
    const { id, outs } = await bucketProvider.create(inputs("dezky-dev-ocis"));
    expect(id).toBe("dezky-dev-ocis");
    const b = sim.buckets.get(id)!;
    expect(b.versioning).toBe("Enabled");
    expect(markerOwner(id)).toBe("ours");
    expect(b.lifecycleRules).toEqual([
      {
        id: "dezky-abort-incomplete-multipart",
        status: "Enabled",
        abortDays: 7,
        noncurrentDays: undefined,
      },
    ]);
    expect((outs as BucketOutputs).endpoint).toBe(conn.endpoint);
    // HEAD, PUT bucket, PUT marker, PUT versioning, GET lifecycle, PUT lifecycle
    expect(sim.server.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "HEAD /dezky-dev-ocis/ 404",
      "PUT /dezky-dev-ocis/ 200",
      `PUT /dezky-dev-ocis/${MARKER_KEY} 200`,
      "PUT /dezky-dev-ocis/ 200",
      "GET /dezky-dev-ocis/ 404",
      "PUT /dezky-dev-ocis/ 200",
    ]);
  });

  it("is idempotent: a second create adopts its own marked bucket without CreateBucket", async () => {
    const { id } = await bucketProvider.create(inputs("dezky-dev-ocis"));
    expect(id).toBe("dezky-dev-ocis");
    // HEAD, GET marker (ours: not rewritten), GET versioning (on: no PUT), GET+PUT lifecycle.
    expect(sim.server.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "HEAD /dezky-dev-ocis/ 200",
      `GET /dezky-dev-ocis/${MARKER_KEY} 200`,
      "GET /dezky-dev-ocis/ 200",
      "GET /dezky-dev-ocis/ 200",
      "PUT /dezky-dev-ocis/ 200",
    ]);
    expect(sim.buckets.get(id)!.objects.get(MARKER_KEY)).toHaveLength(1);
    expect(sim.buckets.size).toBe(1);
  });

  it("read reports drift (versioning suspended, lifecycle rule removed) and update repairs it", async () => {
    const b = sim.buckets.get("dezky-dev-ocis")!;
    b.versioning = "Suspended";
    b.lifecycleXml = undefined;
    const state = (await bucketProvider.create(inputs("dezky-dev-ocis"))).outs as BucketOutputs;
    b.versioning = "Suspended";
    b.lifecycleXml = undefined;
    const read = await bucketProvider.read!("dezky-dev-ocis", state);
    expect(read.props).toMatchObject({ versioning: false, abortIncompleteMultipartDays: 0 });
    const diff = await bucketProvider.diff!(
      "dezky-dev-ocis",
      read.props as BucketOutputs,
      inputs("dezky-dev-ocis"),
    );
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    await bucketProvider.update!(
      "dezky-dev-ocis",
      read.props as BucketOutputs,
      inputs("dezky-dev-ocis", { abortIncompleteMultipartDays: 3 }),
    );
    expect(b.versioning).toBe("Enabled");
    expect(b.lifecycleRules?.[0].abortDays).toBe(3);
  });

  it("keeps foreign lifecycle rules and its one marker version when converging", async () => {
    const b = sim.buckets.get("dezky-dev-ocis")!;
    b.lifecycleXml =
      "<LifecycleConfiguration><Rule><ID>ops-rule</ID><Status>Enabled</Status></Rule></LifecycleConfiguration>";
    const state = (
      await bucketProvider.read!("dezky-dev-ocis", inputs("dezky-dev-ocis") as BucketOutputs)
    ).props as BucketOutputs;
    await bucketProvider.update!("dezky-dev-ocis", state, inputs("dezky-dev-ocis"));
    expect(b.objects.get(MARKER_KEY)).toHaveLength(1);
    expect(b.lifecycleRules?.map((r) => r.id)).toEqual([
      "ops-rule",
      "dezky-abort-incomplete-multipart",
    ]);
  });

  it("diff: a new name or location replaces; new keys or endpoint alone update in place", async () => {
    const olds = (await bucketProvider.check({}, inputs("dezky-dev-etcd"))).inputs as BucketOutputs;
    // New keys are the connection's business: no change to the bucket.
    const keys = await bucketProvider.diff!(
      "x",
      olds,
      inputs("dezky-dev-etcd", { connection: { ...conn, secretAccessKey: "new" } }),
    );
    expect(keys).toMatchObject({ changes: false, replaces: [] });
    const renamed = await bucketProvider.diff!("x", olds, inputs("dezky-dev-etcd2"));
    expect(renamed.replaces).toEqual(["bucket"]);
    const moved = await bucketProvider.diff!(
      "x",
      olds,
      inputs("dezky-dev-etcd", { connection: { ...conn, region: "hel1" } }),
    );
    expect(moved).toMatchObject({ replaces: ["region"], deleteBeforeReplace: true });
    expect(renamed.deleteBeforeReplace).toBe(false);
    const same = await bucketProvider.diff!("x", olds, inputs("dezky-dev-etcd"));
    expect(same.changes).toBe(false);
  });

  it("refuses an unmarked bucket with content unless adopt, then marks it", async () => {
    sim.seedObject("legacy-bucket", "someone/data.bin");
    await expect(bucketProvider.create(inputs("legacy-bucket"))).rejects.toThrow(
      /was not created by this program \(it holds 1 objects or versions and no \.dezky\/owner\.json marker\).*adopt: true/,
    );
    expect(sim.buckets.get("legacy-bucket")!.versioning).toBe("");
    expect(markerOwner("legacy-bucket")).toBe("none");
    await bucketProvider.create(inputs("legacy-bucket", { adopt: true }));
    expect(markerOwner("legacy-bucket")).toBe("ours");
    expect(sim.buckets.get("legacy-bucket")!.objects.has("someone/data.bin")).toBe(true);
  });

  it("refuses another cell's bucket and a name held by another account", async () => {
    sim.seedObject("staging-bucket", MARKER_KEY, markerBody("staging"));
    await expect(bucketProvider.create(inputs("staging-bucket"))).rejects.toThrow(
      /another cell \(staging\)/,
    );
    sim.seedBucket("taken-name", { owner: "acct-other" });
    await expect(bucketProvider.create(inputs("taken-name"))).rejects.toThrow(
      /HTTP 403: the name is taken by another account/,
    );
  });

  it("names the credential config keys when the key is rejected", async () => {
    const bad = inputs("whatever-bucket", { connection: { ...conn, accessKeyId: "NOPE" } });
    await expect(
      bucketProvider.update!("whatever-bucket", bad as BucketOutputs, bad),
    ).rejects.toThrow(
      /GET \/whatever-bucket\/\.dezky\/owner\.json HTTP 403: .*dezky:s3AccessKey\/dezky:s3SecretKey/,
    );
  });

  it("delete refuses a bucket with objects or versions, deletes an empty one, and treats gone as done", async () => {
    const client = s3Client(conn);
    await client.send(
      new (sdk().PutObjectCommand)({ Bucket: "dezky-dev-ocis", Key: "a.txt", Body: "hello" }),
    );
    const state = { ...inputs("dezky-dev-ocis"), region: "fsn1" };
    await expect(bucketProvider.delete!("dezky-dev-ocis", state)).rejects.toThrow(
      /still holds 1 objects/,
    );
    // Deleting the object leaves a version and a delete marker in a versioned bucket.
    await client.send(new (sdk().DeleteObjectCommand)({ Bucket: "dezky-dev-ocis", Key: "a.txt" }));
    await expect(bucketProvider.delete!("dezky-dev-ocis", state)).rejects.toThrow(
      /still holds 2 objects or versions/,
    );
    expect(sim.buckets.has("dezky-dev-ocis")).toBe(true);
    expect(markerOwner("dezky-dev-ocis")).toBe("ours");
    // Only the marker left: delete removes it (every version) and the bucket.
    sim.buckets.get("dezky-dev-ocis")!.objects.delete("a.txt");
    await bucketProvider.delete!("dezky-dev-ocis", state);
    expect(sim.buckets.has("dezky-dev-ocis")).toBe(false);
    await bucketProvider.delete!("dezky-dev-ocis", state);
    const read = await bucketProvider.read!("dezky-dev-ocis", state);
    expect(read.id).toBe("");
    client.destroy();
  });
});

describe("faults", () => {
  it("a lost CreateBucket response: the retry sees BucketAlreadyOwnedByYou and succeeds", async () => {
    sim.server.inject(
      { kind: "lose-response" },
      { method: "PUT", path: /^\/lost-bucket\/?$/, when: (r) => [...r.query.keys()].length === 0 },
    );
    const { id } = await bucketProvider.create(inputs("lost-bucket"));
    expect(id).toBe("lost-bucket");
    const creates = sim.server.log
      .filter((r) => r.method === "PUT" && /^\/lost-bucket\/?$/.test(r.path))
      .slice(0, 2);
    expect(creates.map((r) => r.status)).toEqual([200, 409]);
    expect(markerOwner("lost-bucket")).toBe("ours");
  });

  it("a create that failed after CreateBucket+marker finds its marker on the next run", async () => {
    sim.server.inject(
      { kind: "status", status: 400 },
      { method: "PUT", when: (r) => r.query.has("versioning") },
    );
    await expect(bucketProvider.create(inputs("half-bucket"))).rejects.toThrow(
      /PUT \/half-bucket\?versioning HTTP 400/,
    );
    expect(sim.buckets.get("half-bucket")!.versioning).toBe("");
    await bucketProvider.create(inputs("half-bucket"));
    expect(sim.buckets.get("half-bucket")!.versioning).toBe("Enabled");
    // The second run found its marker: one CreateBucket in total.
    expect(
      sim.server.log.filter(
        (r) => r.method === "PUT" && r.path === "/half-bucket/" && r.status === 200,
      ),
    ).toHaveLength(1 + 1 + 1); // create + versioning (2nd run) + lifecycle (2nd run)
  });

  it.each([
    ["503 SlowDown", { kind: "status", status: 503, retryAfter: "0" } as const],
    ["500", { kind: "status", status: 500 } as const],
    ["connection reset", { kind: "reset" } as const],
    ["timeout", { kind: "timeout" } as const],
  ])("retries through %s on every call", async (_label, fault) => {
    const name = `fault-${fault.kind}-${"status" in fault ? fault.status : "x"}`;
    sim.server.inject(fault, { method: "HEAD" }, 1);
    sim.server.inject(fault, { method: "PUT", path: `/${name}/${MARKER_KEY}` }, 2);
    const started = Date.now();
    await bucketProvider.create(inputs(name));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sim.server.log.filter((r) => r.status === "fault")).toHaveLength(3);
    expect(markerOwner(name)).toBe("ours");
  });

  it("gives up with a clear error when the server keeps failing", async () => {
    sim.server.inject({ kind: "status", status: 503 }, { method: "HEAD" }, 10);
    await expect(bucketProvider.create(inputs("never-bucket"))).rejects.toThrow(
      /HEAD \/never-bucket HTTP 503: .*failed on its side/,
    );
    expect(sim.server.count({ method: "HEAD" })).toBe(4);
  });

  it("refuses the SDK's default flexible checksums like Hetzner does, and our client avoids them", async () => {
    const S = sdk();
    const { Readable } = await import("node:stream");
    const stream = () => Readable.from([Buffer.from("chunked body")]);
    const defaults = new S.S3Client({
      ...clientConfig(conn),
      requestChecksumCalculation: "WHEN_SUPPORTED",
      maxAttempts: 1,
    });
    sim.seedBucket("checksum-bucket");
    await expect(
      defaults.send(
        new S.PutObjectCommand({
          Bucket: "checksum-bucket",
          Key: "k",
          Body: stream(),
          ContentLength: 12,
        }),
      ),
    ).rejects.toMatchObject({ name: "XAmzContentSHA256Mismatch" });
    const ours = s3Client(conn, { maxAttempts: 1 });
    await ours.send(
      new S.PutObjectCommand({
        Bucket: "checksum-bucket",
        Key: "k",
        Body: stream(),
        ContentLength: 12,
      }),
    );
    expect(sim.buckets.get("checksum-bucket")!.objects.get("k")?.[0].body).toBe("chunked body");
    defaults.destroy();
    ours.destroy();
  });
});

describe("against s3rver (an independent S3 implementation)", () => {
  type S3rverCtor = new (opts: Record<string, unknown>) => {
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  let server: InstanceType<S3rverCtor>;
  let rconn: S3Connection;
  beforeAll(async () => {
    const S3rver = require("s3rver") as S3rverCtor;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
    server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir });
    const { port } = await server.run();
    rconn = {
      region: "fsn1",
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
    };
  });
  afterAll(() => server.close());

  it("agrees with the simulator on HEAD/PUT/DELETE bucket and the non-empty refusal", async () => {
    const S = sdk();
    for (const c of [rconn, conn]) {
      const client = s3Client(c, { maxAttempts: 1 });
      const name = "agree-bucket";
      await expect(client.send(new S.HeadBucketCommand({ Bucket: name }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
      await client.send(new S.CreateBucketCommand({ Bucket: name }));
      await client.send(new S.HeadBucketCommand({ Bucket: name }));
      await expect(client.send(new S.CreateBucketCommand({ Bucket: name }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 409 },
      });
      await client.send(new S.PutObjectCommand({ Bucket: name, Key: "x", Body: "1" }));
      await expect(client.send(new S.DeleteBucketCommand({ Bucket: name }))).rejects.toMatchObject({
        name: "BucketNotEmpty",
      });
      await client.send(new S.DeleteObjectCommand({ Bucket: name, Key: "x" }));
      if (c === conn) sim.buckets.get(name)!.objects.clear();
      await client.send(new S.DeleteBucketCommand({ Bucket: name }));
      client.destroy();
    }
  });

  it("provider delete refuses a non-empty bucket on s3rver and deletes an empty one", async () => {
    const S = sdk();
    const client = s3Client(rconn, { maxAttempts: 1 });
    await client.send(new S.CreateBucketCommand({ Bucket: "rv-bucket" }));
    await client.send(new S.PutObjectCommand({ Bucket: "rv-bucket", Key: "x", Body: "1" }));
    const state = {
      connection: rconn,
      bucket: "rv-bucket",
      cell: "dev",
      versioning: true,
      abortIncompleteMultipartDays: 7,
      region: "fsn1",
    };
    await expect(bucketProvider.delete!("rv-bucket", state)).rejects.toThrow(
      /still holds 1 objects/,
    );
    await client.send(new S.DeleteObjectCommand({ Bucket: "rv-bucket", Key: "x" }));
    await bucketProvider.delete!("rv-bucket", state);
    expect((await bucketProvider.read!("rv-bucket", state)).id).toBe("");
    client.destroy();
  });

  it("s3rver lacks bucket versioning (PUT ?versioning is a second CreateBucket there), which is why the simulator exists", async () => {
    await expect(
      bucketProvider.create({ ...inputs("rv-versioning"), connection: rconn }),
    ).rejects.toThrow(/PUT \/rv-versioning\?versioning HTTP (409|501)/);
  });
});
