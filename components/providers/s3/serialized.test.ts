/**
 * The bucket provider as Pulumi's dynamic provider host sees it: serialized by the mock
 * runtime, loaded from the string under plain Node, then create/read/delete against the
 * S3 simulator. Proves the closure carries no credentials and requires the SDK by reference.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { runSerialized } from "../../../test/support/run-serialized";
import { S3Simulator } from "../../../test/simulators/s3/s3-simulator";
import { ownershipOf } from "./client";

const sim = new S3Simulator();
let url = "";
beforeAll(async () => {
  url = await sim.start();
});
afterAll(() => sim.stop());

it("creates, reads and deletes a bucket through the serialized provider", async () => {
  const run = await runSerialized({
    module: "components/providers/s3/bucket.js",
    exportName: "Bucket",
    name: "ser-bucket",
    inputs: {
      connection: {
        region: "fsn1",
        endpoint: url,
        accessKeyId: "SIMKEY",
        secretAccessKey: "very-secret-value",
      },
      bucket: "dezky-ser-bucket",
      cell: "dev",
    },
    steps: ["create", "read"],
  });
  const created = run.results.create as { id: string; outs: Record<string, unknown> };
  expect(created.id).toBe("dezky-ser-bucket");
  expect(created.outs).toMatchObject({
    versioning: true,
    abortIncompleteMultipartDays: 7,
    endpoint: url,
  });
  expect((run.results.read as { props: Record<string, unknown> }).props).toMatchObject({
    versioning: true,
  });
  const bucket = sim.buckets.get("dezky-ser-bucket")!;
  expect(bucket.versioning).toBe("Enabled");
  expect(ownershipOf(bucket.tags, "dev")).toBe("ours");
  // Nothing secret or heavy inside the closure; the SDK is required by name.
  expect(run.provider).not.toContain("very-secret-value");
  expect(run.provider).toContain('require("@aws-sdk/client-s3")');
  expect(run.providerLength).toBeLessThan(60_000);

  const del = await runSerialized({
    module: "components/providers/s3/bucket.js",
    exportName: "Bucket",
    name: "ser-bucket-2",
    inputs: {
      connection: { region: "fsn1", endpoint: url, accessKeyId: "SIMKEY", secretAccessKey: "x" },
      bucket: "dezky-ser-bucket-2",
      cell: "dev",
    },
    steps: ["create", "delete"],
  });
  expect(del.results.delete).toBe("ok");
  expect(sim.buckets.has("dezky-ser-bucket-2")).toBe(false);
});
