/**
 * The bucket provider within what Hetzner Object Storage implements (docs ST-010B8, "List of
 * supported actions"): no bucket tagging anywhere in its life, the ownership marker object
 * instead (written after CreateBucket, adopted after a failed run, every version removed on
 * delete), and state written when tags were the marker still read and updated.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { S3Simulator } from "../../../test/simulators/s3/s3-simulator";
import { routed, useFastTiming } from "../test-kit";
import type { BucketOutputs } from "./bucket.runtime";
import { withContentMd5 } from "./client";
import { MARKER_KEY, markerBody, ownershipOf } from "./marker";

const sim = new S3Simulator();
let endpoint = "";
const provider = routed("s3:Bucket", {
  split: (c) => ({
    connection: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    inputs: { region: c.region, endpoint: c.endpoint },
  }),
});
/* eslint-disable @typescript-eslint/no-explicit-any */
const inputs = (bucket: string, extra: Record<string, any> = {}): any => ({
  connection: { region: "fsn1", endpoint, accessKeyId: "SIMKEY", secretAccessKey: "x" },
  bucket,
  cell: "dev",
  versioning: true,
  abortIncompleteMultipartDays: 7,
  ...extra,
});
const markerVersions = (bucket: string) => sim.buckets.get(bucket)?.objects.get(MARKER_KEY) ?? [];

beforeAll(async () => {
  endpoint = await sim.start();
  useFastTiming({ attempts: 2, timeoutMs: 1000 });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.server.clearFaults();
  sim.server.resetLog();
});

describe("on a server without bucket tagging", () => {
  it("creates, reads, updates and deletes a bucket without one tagging call", async () => {
    const { id, outs } = await provider.create(inputs("hz-life", { noncurrentVersionDays: 30 }));
    const read = await provider.read!(id, outs);
    await provider.update!(
      id,
      read.props as BucketOutputs,
      inputs("hz-life", { noncurrentVersionDays: 14 }),
    );
    await provider.delete!(id, read.props as BucketOutputs);
    expect(sim.buckets.has("hz-life")).toBe(false);
    const log = sim.server.log.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(log.filter((l) => / 501$/.test(l))).toEqual([]);
    // The requests name no sub-resource outside versioning, lifecycle and versions.
    expect(log.length).toBeGreaterThan(8);
  });

  it("writes the marker right after CreateBucket, before versioning and lifecycle", async () => {
    await provider.create(inputs("hz-order"));
    const writes = sim.server.log.filter((r) => r.method === "PUT").map((r) => r.path);
    expect(writes.slice(0, 2)).toEqual(["/hz-order/", `/hz-order/${MARKER_KEY}`]);
    expect(ownershipOf(markerVersions("hz-order")[0]?.body, "dev").owner).toBe("ours");
    expect(JSON.parse(markerVersions("hz-order")[0].body)).toEqual({
      "dezky.io/managed-by": "dezky",
      "dezky.io/cell": "dev",
    });
  });
});

describe("the marker across failures", () => {
  it("an empty unmarked bucket left by a run that failed after CreateBucket is taken on the next run", async () => {
    sim.server.inject(
      { kind: "status", status: 500 },
      { method: "PUT", path: `/hz-half/${MARKER_KEY}` },
      2,
    );
    await expect(provider.create(inputs("hz-half"))).rejects.toThrow(
      /PUT \/hz-half\/\.dezky\/owner\.json HTTP 500/,
    );
    expect(sim.buckets.has("hz-half")).toBe(true);
    expect(markerVersions("hz-half")).toHaveLength(0);
    await provider.create(inputs("hz-half"));
    expect(ownershipOf(markerVersions("hz-half")[0]?.body, "dev").owner).toBe("ours");
    const creates = sim.server.log.filter((r) => r.method === "PUT" && r.path === "/hz-half/");
    expect(creates.filter((r) => r.status === 200)).toHaveLength(1 + 2); // CreateBucket, then versioning + lifecycle
  });

  it("a lost CreateBucket response: BucketAlreadyOwnedByYou, empty, unmarked, adopted", async () => {
    sim.server.inject(
      { kind: "lose-response" },
      { method: "PUT", path: "/hz-lost/", when: (r) => [...r.query.keys()].length === 0 },
    );
    await provider.create(inputs("hz-lost"));
    expect(
      sim.server.log
        .filter((r) => r.method === "PUT" && r.path === "/hz-lost/")
        .map((r) => r.status),
    ).toContain(409);
    expect(ownershipOf(markerVersions("hz-lost")[0]?.body, "dev").owner).toBe("ours");
  });

  it("a bucket marked by another cell is refused, even when empty, unless adopt", async () => {
    sim.seedObject("hz-other", MARKER_KEY, markerBody("staging"));
    await expect(provider.create(inputs("hz-other"))).rejects.toThrow(
      /another cell \(staging\).*adopt: true/,
    );
    await provider.create(inputs("hz-other", { adopt: true }));
    expect(ownershipOf(markerVersions("hz-other").at(-1)?.body, "dev").owner).toBe("ours");
  });
});

describe("delete with the marker", () => {
  it("removes every version of the marker, then the bucket", async () => {
    const { id, outs } = await provider.create(inputs("hz-del"));
    // A cell rename rewrites the marker: a second version in the versioned bucket.
    const { outs: moved } = await provider.update!(id, outs, inputs("hz-del", { cell: "dev2" }));
    expect(markerVersions("hz-del")).toHaveLength(2);
    await provider.delete!(id, moved as BucketOutputs);
    expect(sim.buckets.has("hz-del")).toBe(false);
  });

  it("refuses while any other object or version is left, and keeps the marker", async () => {
    const { id, outs } = await provider.create(inputs("hz-keep"));
    sim.seedObject("hz-keep", "snap/1", "a");
    sim.buckets
      .get("hz-keep")!
      .objects.set("snap/1", [
        ...sim.buckets.get("hz-keep")!.objects.get("snap/1")!,
        { versionId: "dm", body: "", deleteMarker: true, lastModified: new Date().toISOString() },
      ]);
    await expect(provider.delete!(id, outs)).rejects.toThrow(/still holds 2 objects or versions/);
    expect(markerVersions("hz-keep")).toHaveLength(1);
    expect(sim.buckets.has("hz-keep")).toBe(true);
  });
});

describe("state from when bucket tags were the marker", () => {
  it("reads without drift and gets its marker on the next update", async () => {
    // The bucket as an earlier run left it (the tagging call that followed never worked on
    // Hetzner), and the outputs that version stored: the same fields as now.
    sim.seedBucket("hz-old", { versioning: "Enabled" });
    await provider.update!("hz-old", inputs("hz-old") as BucketOutputs, inputs("hz-old"));
    sim.buckets.get("hz-old")!.objects.clear();
    const old = { ...inputs("hz-old"), region: "fsn1", endpoint, endpointUrl: endpoint };
    const read = await provider.read!("hz-old", old);
    expect(read.id).toBe("hz-old");
    expect(
      await provider.diff!("hz-old", read.props as BucketOutputs, inputs("hz-old")),
    ).toMatchObject({
      changes: false,
    });
    await provider.update!("hz-old", read.props as BucketOutputs, inputs("hz-old"));
    expect(ownershipOf(markerVersions("hz-old")[0]?.body, "dev").owner).toBe("ours");
  });
});

describe("PutBucketLifecycleConfiguration carries Content-MD5", () => {
  it("adds the body's MD5 to the lifecycle PUT only", () => {
    const body = "<LifecycleConfiguration/>";
    const lifecycle = {
      method: "PUT",
      query: { lifecycle: "" },
      headers: {} as Record<string, string>,
      body,
    };
    withContentMd5(lifecycle);
    expect(lifecycle.headers["content-md5"]).toBe(createHash("md5").update(body).digest("base64"));
    const other = {
      method: "PUT",
      query: { versioning: "" },
      headers: {} as Record<string, string>,
      body,
    };
    withContentMd5(other);
    expect(other.headers).toEqual({});
  });
});

describe("CreateBucket names the location the endpoint serves", () => {
  it("sends the region as LocationConstraint: hel1 on a hel1 endpoint, refused on an fsn1 one", async () => {
    const hel1 = new S3Simulator({ location: "hel1" });
    const url = await hel1.start();
    try {
      const on = (region: string, bucket: string) =>
        provider.create({
          ...inputs(bucket),
          region,
          connection: { region, endpoint: url, accessKeyId: "SIMKEY", secretAccessKey: "x" },
        });
      await on("hel1", "hz-hel1");
      expect(hel1.buckets.has("hz-hel1")).toBe(true);
      await expect(on("fsn1", "hz-wrong")).rejects.toThrow(
        /PUT \/hz-wrong HTTP 400: .*InvalidLocationConstraint/,
      );
      expect(hel1.buckets.has("hz-wrong")).toBe(false);
    } finally {
      await hel1.stop();
    }
  });
});
