import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3Client } from "../../components/providers/s3/client";
import { S3Simulator } from "../../test/simulators/s3/s3-simulator";
import { backendUrl, ensureVersionedBucket, setupInstructions } from "./backend";

const sim = new S3Simulator({ accounts: { SIMKEY: "acct-dezky", OTHERKEY: "acct-other" } });
let endpoint: string;
const client = (key = "SIMKEY") =>
  s3Client(
    { region: "fsn1", endpoint, accessKeyId: key, secretAccessKey: "x" },
    { maxAttempts: 1, requestTimeoutMs: 5000 },
  );

beforeAll(async () => {
  endpoint = await sim.start();
});
afterAll(() => sim.stop());

describe("backend URL and instructions", () => {
  it("is the explicit path-style Hetzner URL", () => {
    expect(backendUrl({ bucket: "dezky-pulumi-state", location: "fsn1" })).toBe(
      "s3://dezky-pulumi-state?endpoint=fsn1.your-objectstorage.com&s3ForcePathStyle=true&region=fsn1",
    );
    const text = setupInstructions({ bucket: "b", location: "hel1" });
    expect(text).toContain(
      "pulumi login 's3://b?endpoint=hel1.your-objectstorage.com&s3ForcePathStyle=true&region=hel1'",
    );
    expect(text).toContain("PULUMI_CONFIG_PASSPHRASE_FILE");
    expect(text).toContain("change-secrets-provider");
  });
});

describe("ensureVersionedBucket", () => {
  it("creates the bucket with versioning, and is idempotent", async () => {
    expect(await ensureVersionedBucket(client(), "dezky-state")).toEqual({ created: true });
    expect(sim.buckets.get("dezky-state")?.versioning).toBe("Enabled");
    sim.buckets.get("dezky-state")!.versioning = "Suspended"; // someone turned it off
    expect(await ensureVersionedBucket(client(), "dezky-state")).toEqual({ created: false });
    expect(sim.buckets.get("dezky-state")?.versioning).toBe("Enabled");
  });

  it("refuses a name owned by another account", async () => {
    sim.seedBucket("taken", { owner: "acct-other" });
    await expect(ensureVersionedBucket(client(), "taken")).rejects.toThrow(
      /belongs to another account/,
    );
  });

  it("--dry-run prints the login line without calling anything", () => {
    const tsx = path.resolve(__dirname, "../../node_modules/tsx/dist/cli.mjs");
    const before = sim.server.count();
    const r = spawnSync(
      process.execPath,
      [
        tsx,
        "scripts/bootstrap-backend.ts",
        "--dry-run",
        "--bucket",
        "x-state",
        "--endpoint",
        endpoint,
      ],
      {
        cwd: path.resolve(__dirname, "../.."),
        encoding: "utf8",
        env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("[dry run] would create bucket x-state");
    expect(r.stdout).toMatch(
      /pulumi login 's3:\/\/x-state\?endpoint=127\.0\.0\.1:\d+&s3ForcePathStyle=true&region=fsn1&disableSSL=true'/,
    );
    expect(sim.buckets.has("x-state")).toBe(false);
    expect(sim.server.count()).toBe(before);
  });
});
