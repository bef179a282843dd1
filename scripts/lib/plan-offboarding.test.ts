import { describe, expect, it } from "vitest";
import { removalRefusal, tenantRemovalRefusals } from "./plan-offboarding";
import type { TenantRow } from "./plan-render";

const row = (over: Partial<TenantRow>): TenantRow => ({
  slug: "acme",
  displayName: "Acme",
  plan: "starter",
  status: "active",
  mailDomains: [],
  spaces: 1,
  storageGb: 10,
  retainUntil: null,
  purge: false,
  quotas: { main: 10 },
  ...over,
});
const TODAY = "2026-11-26";

describe("tenant removal guard", () => {
  it("refuses removing an active tenant and says how to offboard", () => {
    const message = removalRefusal(row({}), "dev", TODAY);
    expect(message).toMatch(
      /Refusing to remove tenant "acme" from stack dev: it is active and still holds data/,
    );
    expect(message).toMatch(/status: "offboarded" and retainUntil/);
    expect(message).toMatch(/after that date set purge: true/);
    expect(message).toContain("tenants/dev/acme.ts");
  });

  it("refuses while the retention date has not passed, or without purge", () => {
    const offboarded = { status: "offboarded until 2027-06-30", retainUntil: "2027-06-30" };
    expect(removalRefusal(row({ ...offboarded, purge: true }), "dev", TODAY)).toMatch(
      /kept until 2027-06-30/,
    );
    expect(
      removalRefusal(
        row({ status: "offboarded until 2026-01-31", retainUntil: "2026-01-31" }),
        "dev",
        TODAY,
      ),
    ).toMatch(/purge: true was not merged/);
    expect(removalRefusal(row({ status: "suspended" }), "dev", TODAY)).toMatch(/it is suspended/);
  });

  it("allows removal after retainUntil with purge, also from a plan that only had the status text", () => {
    expect(
      removalRefusal(
        row({ status: "offboarded until 2026-01-31", retainUntil: "2026-01-31", purge: true }),
        "dev",
        TODAY,
      ),
    ).toBeUndefined();
    const old = {
      ...row({ status: "offboarded until 2026-01-31", purge: true }),
    } as Partial<TenantRow>;
    delete old.retainUntil;
    expect(removalRefusal(old as TenantRow, "dev", TODAY)).toBeUndefined();
  });

  it("checks only tenants missing now", () => {
    const base = [row({ slug: "keep" }), row({ slug: "gone" })];
    const refusals = tenantRemovalRefusals(
      base,
      [row({ slug: "keep" }), row({ slug: "new" })],
      "prod",
      TODAY,
    );
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('"gone"');
  });
});
