/**
 * Every resource in the prod inventory that holds customer or identity data is both protected
 * and retained on delete, and the check is not vacuous: each kind of data-bearing resource the
 * cell has is found and checked.
 */
import { describe, expect, it } from "vitest";
import { runStackUnderMocks } from "../../scripts/lib/mock-run";
import { isDataBearing } from "../rules/data-safety";

describe("data-bearing resources in prod", () => {
  it("are all protect and retainOnDelete, of every kind", async () => {
    const inventory = await runStackUnderMocks("prod");
    const data = inventory.resources.filter((r) => isDataBearing(r.type, r.inputs));
    const kinds = [...new Set(data.map((r) => r.type))].sort();
    expect(kinds).toEqual([
      "hcloud:index/storageBox:StorageBox",
      "hcloud:index/zone:Zone",
      "kubernetes:apps/v1:StatefulSet",
      "kubernetes:core/v1:PersistentVolumeClaim",
      "pulumi-nodejs:dynamic/authentik:Group",
      "pulumi-nodejs:dynamic/ocis:Group",
      "pulumi-nodejs:dynamic/ocis:Space",
      "pulumi-nodejs:dynamic/s3:Bucket",
      "pulumi-nodejs:dynamic/stalwart:MailDomain",
    ]);
    // The Authentik database and the portal's MongoDB: both StatefulSets with volumes.
    expect(data.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet")).toHaveLength(2);
    const unprotected = data
      .filter((r) => !r.protect || !r.retainOnDelete)
      .map((r) => `${r.name} (${r.type}): protect=${r.protect} retainOnDelete=${r.retainOnDelete}`);
    expect(unprotected).toEqual([]);
  });
});
