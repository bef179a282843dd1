import { describe, expect, it } from "vitest";
import { effectivePurge, tenantLifecycle, today } from "./lifecycle";

describe("tenantLifecycle", () => {
  it("active: everything on, nothing purgeable", () => {
    expect(tenantLifecycle({ status: "active", purge: false }, "2026-11-26")).toEqual({
      loginsEnabled: true,
      spacesEnabled: true,
      mailReceiving: true,
      retentionExpired: false,
      purgeAllowed: false,
    });
  });

  it("suspended: logins and spaces off, mail keeps arriving", () => {
    const l = tenantLifecycle({ status: "suspended", purge: false }, "2026-11-26");
    expect([l.loginsEnabled, l.spacesEnabled, l.mailReceiving, l.purgeAllowed]).toEqual([
      false,
      false,
      true,
      false,
    ]);
  });

  it("offboarded before the retention date: access off, data kept even with purge: true", () => {
    const l = tenantLifecycle(
      { status: "offboarded", retainUntil: "2027-06-30", purge: true },
      "2026-11-26",
    );
    expect(l).toMatchObject({
      loginsEnabled: false,
      spacesEnabled: false,
      retentionExpired: false,
      purgeAllowed: false,
    });
  });

  it("offboarded after the date: purge only with purge: true", () => {
    expect(
      tenantLifecycle(
        { status: "offboarded", retainUntil: "2026-01-31", purge: false },
        "2026-11-26",
      ).purgeAllowed,
    ).toBe(false);
    expect(
      tenantLifecycle(
        { status: "offboarded", retainUntil: "2026-01-31", purge: true },
        "2026-11-26",
      ).purgeAllowed,
    ).toBe(true);
  });

  it("the retention date itself still keeps the data", () => {
    expect(
      tenantLifecycle(
        { status: "offboarded", retainUntil: "2026-11-26", purge: true },
        "2026-11-26",
      ).purgeAllowed,
    ).toBe(false);
  });

  it("today() is the UTC date", () => {
    expect(today(new Date("2026-11-26T23:30:00-02:00"))).toBe("2026-11-27");
  });
});

describe("effectivePurge: the deployed commit decides", () => {
  const purged = { purge: true };
  const DATE = "2026-11-30";
  it("without history nothing is purged (protect and retainOnDelete stay on)", () => {
    expect(effectivePurge(purged, undefined, DATE)).toBe(false);
  });
  it("needs the deployed tenant offboarded with its retention passed", () => {
    const plan = "business";
    expect(effectivePurge(purged, { plan, status: "active", purge: false }, DATE)).toBe(false);
    const kept = { plan, status: "offboarded", retainUntil: "2026-12-31", purge: false };
    expect(effectivePurge(purged, kept, DATE)).toBe(false);
    const passed = { ...kept, retainUntil: "2026-10-31" };
    expect(effectivePurge(purged, passed, DATE)).toBe(true);
    expect(effectivePurge({ purge: false }, passed, DATE)).toBe(false);
  });
});
