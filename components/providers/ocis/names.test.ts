import { describe, expect, it } from "vitest";
import {
  groupPermissionId,
  hasSpaceMarker,
  purgeRefusal,
  sanitizeSpaceName,
  SPACE_ROLE_IDS,
  spaceDescription,
  spaceRoleName,
} from "./names";

describe("sanitizeSpaceName", () => {
  it("replaces every character OCIS rejects", () => {
    expect(sanitizeSpaceName('acme.com / R&D: "a|b" <x>?*\\')).toBe("acme-com - R&D- -a-b- -x----");
  });
  it("trims and collapses whitespace", () => {
    expect(sanitizeSpaceName("  Acme   Corp \t")).toBe("Acme Corp");
  });
  it("keeps names that are already valid", () => {
    expect(sanitizeSpaceName("Müller & Söhne GmbH")).toBe("Müller & Söhne GmbH");
  });
  it("cuts to 255 UTF-8 bytes without splitting a character", () => {
    const out = sanitizeSpaceName("ä".repeat(200));
    expect(Buffer.byteLength(out, "utf8")).toBeLessThanOrEqual(255);
    expect(out).toBe("ä".repeat(127));
  });
  it("rejects names with nothing usable", () => {
    expect(() => sanitizeSpaceName(" ... ")).toThrow(/no characters OCIS accepts/);
    expect(() => sanitizeSpaceName("")).toThrow();
  });
});

describe("markers and roles", () => {
  it("finds the marker of the right tenant and space only", () => {
    const description = spaceDescription("acme", "main", "Files of Acme");
    expect(description).toBe("Files of Acme [dezky:tenant=acme;space=main]");
    expect(hasSpaceMarker(description, "acme", "main")).toBe(true);
    expect(hasSpaceMarker(description, "acme", "sales")).toBe(false);
    expect(hasSpaceMarker(description, "acm", "main")).toBe(false);
    expect(hasSpaceMarker(undefined, "acme", "main")).toBe(false);
  });
  it("maps role names to the unified space-root role ids and back", () => {
    expect(SPACE_ROLE_IDS.editor).toBe("58c63c02-1d89-4572-916a-870abc5a1b7d");
    expect(spaceRoleName("312c0871-5ef7-4b3a-85b6-0e4074c64049")).toBe("manager");
    expect(spaceRoleName("b1e2218d-eef8-4d4c-b82d-0f1a1b48f3b5")).toBeUndefined();
    expect(groupPermissionId("abc")).toBe("g:abc");
  });
});

describe("purgeRefusal", () => {
  const now = new Date("2027-06-01T00:00:00Z");
  it("allows no purge request at all", () => {
    expect(purgeRefusal({ enabled: true }, now)).toBeUndefined();
  });
  it("allows a disabled space after its retention date", () => {
    expect(
      purgeRefusal({ purgeOnDelete: true, enabled: false, retainUntil: "2027-05-31" }, now),
    ).toBeUndefined();
  });
  it("refuses before the retention date, without one, or for an enabled space", () => {
    expect(
      purgeRefusal({ purgeOnDelete: true, enabled: false, retainUntil: "2027-06-02" }, now),
    ).toMatch(/not passed/);
    expect(purgeRefusal({ purgeOnDelete: true, enabled: false }, now)).toMatch(
      /requires retainUntil/,
    );
    expect(
      purgeRefusal({ purgeOnDelete: true, enabled: true, retainUntil: "2020-01-01" }, now),
    ).toMatch(/enabled: false/);
    expect(purgeRefusal({ purgeOnDelete: true, enabled: false, retainUntil: "soon" }, now)).toMatch(
      /not a date/,
    );
  });
});
