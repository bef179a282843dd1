/**
 * The Storage Box arguments against what the provider and the API take (terraform-provider-hcloud
 * v1.68.0 internal/storagebox and internal/storageboxsubaccount; docs.hetzner.cloud/reference/
 * hetzner#storage-boxes).
 */
import { describe, expect, it } from "vitest";
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
