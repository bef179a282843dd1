/**
 * The prod program under Pulumi's mock runtime (once for this file): both Storage Boxes in
 * different locations, protected, with their subaccounts, buckets protected, and no secret
 * (passwords, S3 keys) in plain text anywhere in inputs or outputs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MOCK_SECRET_CONFIG } from "../../scripts/lib/mock-run";
import { type Inventory, childrenOf, ofType, runStackUnderMocks } from "../support/harness";

let inv: Inventory;
beforeAll(async () => {
  inv = await runStackUnderMocks("prod");
}, 120_000);

const BOX = "hcloud:index/storageBox:StorageBox";
const SUB = "hcloud:index/storageBoxSubaccount:StorageBoxSubaccount";

describe("prod storage and backups", () => {
  it("has a primary box next to the host and a DR box in hel1, both protected", () => {
    const boxes = ofType(inv, BOX);
    expect(boxes.map((b) => b.inputs.location).sort()).toEqual(["fsn1", "hel1"]);
    for (const box of boxes) {
      expect(box.protect).toBe(true);
      expect(box.inputs.deleteProtection).toBe(true);
      expect(box.ignoreChanges).toContain("sshKeys");
      expect(box.inputs.storageBoxType).toBe("bx11");
      expect(box.inputs.accessSettings).toEqual({
        sshEnabled: true,
        sambaEnabled: false,
        webdavEnabled: false,
        zfsEnabled: true,
        reachableExternally: false,
      });
      // A BX11 has 10 automatic snapshot slots (docs.hetzner.com/storage/storage-box/snapshots).
      expect(box.inputs.snapshotPlan).toMatchObject({ maxSnapshots: 10 });
      expect(box.secretInputs).toContain("password");
    }
  });

  it("has one subaccount per backup source on each box, protected, with secret passwords", () => {
    for (const box of ofType(inv, BOX)) {
      const subs = childrenOf(inv, box.urn).filter((r) => r.type === SUB);
      expect(subs.map((s) => s.inputs.homeDirectory).sort()).toEqual(["host", "k8s"]);
      for (const sub of subs) {
        expect(sub.protect).toBe(true);
        expect(sub.secretInputs).toContain("password");
        expect(sub.inputs.accessSettings).toMatchObject({
          sshEnabled: true,
          sambaEnabled: false,
          webdavEnabled: false,
        });
      }
    }
    expect(ofType(inv, SUB)).toHaveLength(4);
  });

  it("has protected, retained OCIS and etcd buckets, the S3 key pair on their secret connection", () => {
    const buckets = ofType(inv, "pulumi-nodejs:dynamic/s3:Bucket");
    expect(buckets.map((b) => b.inputs.bucket).sort()).toEqual([
      "dezky-prod-fsn1-a-etcd",
      "dezky-prod-fsn1-a-ocis",
    ]);
    for (const b of buckets) {
      expect(b.protect && b.retainOnDelete).toBe(true);
      expect(b.inputs).not.toHaveProperty("connection");
      const api = inv.resources.find((r) => r.urn === b.provider)!;
      expect(api.inputs["dezky:service"]).toBe("s3");
      expect(api.secretInputs).toContain("dezky:connection");
      expect(b.inputs.versioning).toBe(true);
    }
  });

  it("keeps DR in its own Hetzner project with its own repository passwords", () => {
    const providers = ofType(inv, "pulumi:providers:hcloud").filter((p) =>
      p.name.endsWith("-dr-provider"),
    );
    expect(providers).toHaveLength(1);
    expect(providers[0].secretInputs).toContain("token");
    const passwords = ofType(inv, "random:index/randomPassword:RandomPassword").map((r) => r.name);
    for (const source of ["host", "k8s"]) {
      expect(passwords).toContain(`prod-fsn1-a-storage-boxes-${source}-repository-password`);
      expect(passwords).toContain(`prod-fsn1-a-storage-boxes-${source}-dr-repository-password`);
    }
  });

  it("enrols and installs restic on the host with secrets on stdin, and CronJobs for the k8s source", () => {
    const command = (suffix: string) =>
      inv.resources.find(
        (r) => r.type === "command:remote:Command" && r.name.endsWith(`host-backup-${suffix}`),
      )!;
    for (const c of [command("enrol"), command("install")]) {
      expect(c.secretInputs).toContain("stdin");
      expect(String(c.inputs.create)).not.toMatch(/SUB_PASSWORD_\w+=\S|REPO_PASSWORD_\w+=\S/);
    }
    // prod has not pinned the boxes' host keys yet: the install fails closed with the fix.
    expect(String(command("install").inputs.create)).toContain(
      "stacks/prod.ts: backup.hostKeys.primary is empty",
    );
    const cronJobs = ofType(inv, "kubernetes:batch/v1:CronJob")
      .map((c) => c.inputs.metadata as { name: string; labels?: Record<string, string> })
      .filter((m) => m.labels?.["app.kubernetes.io/part-of"] === "dezky-backup")
      .map((m) => m.name);
    expect(cronJobs.sort()).toEqual([
      "backup-authentik-postgresql",
      "backup-ocis-metadata",
      "backup-portal-mongodb",
    ]);
  });

  it("exposes bucket names, box servers and repository URLs as outputs, derived from the boxes", () => {
    expect(inv.outputs).toMatchObject({
      ocisBucket: "dezky-prod-fsn1-a-ocis",
      etcdBucket: "dezky-prod-fsn1-a-etcd",
      objectStorageEndpoint: "https://fsn1.your-objectstorage.com",
    });
    expect(String(inv.outputs.backupPrimaryServer)).toMatch(/^u\d+\.your-storagebox\.de$/);
    const repos = inv.outputs.backupRepositories as Record<string, { primary: string; dr: string }>;
    expect(repos.host.primary).toMatch(
      /^sftp:\/\/u\d+-sub1@u\d+-sub1\.your-storagebox\.de:23\/restic$/,
    );
    expect(repos.host.primary).not.toBe(repos.host.dr);
  });

  it("shows no secret in plain text anywhere", () => {
    const text = JSON.stringify(inv);
    for (const value of Object.values(MOCK_SECRET_CONFIG)) expect(text).not.toContain(value);
    // Generated passwords (mock results start with "mock-") never appear unmasked.
    expect(text).not.toMatch(/mock-[0-9a-f]{12}-x/);
  });
});
