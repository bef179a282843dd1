/**
 * The Storage Box arguments against what the provider and the API take (terraform-provider-hcloud
 * v1.68.0 internal/storagebox and internal/storageboxsubaccount; docs.hetzner.cloud/reference/
 * hetzner#storage-boxes).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type Inventory, ofType, runStackUnderMocks } from "../../test/support/harness";
import { backupBoxPlan, DEFAULT_SNAPSHOT_PLANS } from "./backup-boxes";
import { STORAGE_BOX_SPECIALS, storageBoxPasswordArgs } from "./passwords";

/** Specials in the provider's own e2e passwords (internal/storagebox/testing.go:71). */
const UPSTREAM_TEST_SPECIALS = "!$%/()=?+#-.";
/** Specials quoted from the Storage Box password policy page. */
const POLICY_PAGE_SPECIALS = "!#$%*+-/=?@[]_{}";

describe("Storage Box passwords", () => {
  it("use only specials that both the provider's live tests and the policy page accept", () => {
    for (const c of STORAGE_BOX_SPECIALS) {
      expect(UPSTREAM_TEST_SPECIALS, c).toContain(c);
      expect(POLICY_PAGE_SPECIALS, c).toContain(c);
    }
    expect(storageBoxPasswordArgs().overrideSpecial).toBe(STORAGE_BOX_SPECIALS);
  });

  it("are 12-128 characters with every class the policy asks for", () => {
    const a = storageBoxPasswordArgs();
    expect(a.length).toBeGreaterThanOrEqual(12);
    expect(a.length).toBeLessThanOrEqual(128);
    expect([a.minUpper, a.minLower, a.minNumeric, a.minSpecial].every((n) => Number(n) >= 1)).toBe(
      true,
    );
  });
});

describe("Storage Box plan", () => {
  const plan = backupBoxPlan("prod-fsn1-a", { primary: "fsn1", dr: "hel1" });

  it("gives subaccounts home directories without a leading slash", () => {
    // storageboxsubaccount/resource.go:114 "Must not include a leading slash (`/`)".
    for (const box of plan) {
      for (const sub of box.subaccounts) expect(sub.homeDirectory, sub.source).not.toMatch(/^\//);
    }
  });

  it("schedules snapshots in the plan's ranges (UTC; no day = every day)", () => {
    // storagebox/resource.go:182-206: minute, hour, max_snapshots required; day_of_week null.
    for (const p of Object.values(DEFAULT_SNAPSHOT_PLANS)) {
      expect(p.minute).toBeGreaterThanOrEqual(0);
      expect(p.minute).toBeLessThanOrEqual(59);
      expect(p.hour).toBeGreaterThanOrEqual(0);
      expect(p.hour).toBeLessThanOrEqual(23);
      expect(p.dayOfWeek).toBeUndefined();
    }
  });
});

describe("Storage Boxes in the dev plan", () => {
  let inv: Inventory;
  beforeAll(async () => {
    inv = await runStackUnderMocks("dev");
  });

  it("declares BX11 boxes with the provider's argument names and SSH keys never updated", () => {
    // internal/storagebox/resource.go:97-181 at tf v1.68.0.
    const boxes = ofType(inv, "hcloud:index/storageBox:StorageBox");
    expect(boxes.map((b) => b.inputs.location).sort()).toEqual(["hel1", "nbg1"]);
    for (const box of boxes) {
      expect(box.inputs, box.name).toMatchObject({
        storageBoxType: "bx11",
        deleteProtection: true,
        accessSettings: {
          sshEnabled: true,
          sambaEnabled: false,
          webdavEnabled: false,
          zfsEnabled: true,
          reachableExternally: false,
        },
        snapshotPlan: { maxSnapshots: 10, minute: 0 },
      });
      // ssh_keys RequiresReplace (resource.go:114-123): a change must never replace the box.
      expect(box.ignoreChanges, box.name).toContain("sshKeys");
      expect(box.secretInputs, box.name).toContain("password");
    }
  });

  it("declares one SSH-only subaccount per source with a relative home directory", () => {
    // internal/storageboxsubaccount/resource.go:80-166 at tf v1.68.0.
    const subs = ofType(inv, "hcloud:index/storageBoxSubaccount:StorageBoxSubaccount");
    expect(subs).toHaveLength(4);
    for (const sub of subs) {
      expect(sub.inputs, sub.name).toMatchObject({
        accessSettings: {
          sshEnabled: true,
          sambaEnabled: false,
          webdavEnabled: false,
          readonly: false,
          reachableExternally: false,
        },
      });
      expect(["host", "k8s"]).toContain(sub.inputs.homeDirectory);
      expect(sub.secretInputs, sub.name).toContain("password");
    }
  });
});
