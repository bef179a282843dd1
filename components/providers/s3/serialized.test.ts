/**
 * The bucket provider as Pulumi's dynamic provider host sees it: the stored stub loaded from
 * the string under plain Node, configured with the `s3` connection (the key pair), then
 * create/read/delete against the S3 simulator. The stub carries no credential.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { runSerialized } from "../../../test/support/run-serialized";
import { S3Simulator } from "../../../test/simulators/s3/s3-simulator";
import { MARKER_KEY, ownershipOf } from "./marker";

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
    service: "s3",
    connection: { accessKeyId: "SIMKEY", secretAccessKey: "very-secret-value" },
    inputs: { region: "fsn1", endpoint: url, bucket: "dezky-ser-bucket", cell: "dev" },
    steps: ["create", "read"],
  });
  const created = run.results.create as { id: string; outs: Record<string, unknown> };
  expect(created.id).toBe("dezky-ser-bucket");
  expect(created.outs).toMatchObject({
    versioning: true,
    abortIncompleteMultipartDays: 7,
    endpointUrl: url,
  });
  expect((run.results.read as { props: Record<string, unknown> }).props).toMatchObject({
    versioning: true,
  });
  const bucket = sim.buckets.get("dezky-ser-bucket")!;
  expect(bucket.versioning).toBe("Enabled");
  expect(ownershipOf(bucket.objects.get(MARKER_KEY)?.[0].body, "dev").owner).toBe("ours");
  // Nothing secret and no provider code in the stored stub.
  expect(run.provider).not.toContain("very-secret-value");
  expect(run.providerLength).toBeLessThan(2048);

  const del = await runSerialized({
    module: "components/providers/s3/bucket.js",
    exportName: "Bucket",
    name: "ser-bucket-2",
    service: "s3",
    connection: { accessKeyId: "SIMKEY", secretAccessKey: "x" },
    inputs: { region: "fsn1", endpoint: url, bucket: "dezky-ser-bucket-2", cell: "dev" },
    steps: ["create", "delete"],
  });
  expect(del.results.delete).toBe("ok");
  expect(sim.buckets.has("dezky-ser-bucket-2")).toBe(false);
});
