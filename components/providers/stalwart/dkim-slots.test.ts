import { describe, expect, it } from "vitest";
import { planKeys, slotSelector, slotsCovered, type SignatureView } from "./dkim-slots";

const ED = "Dkim1Ed25519Sha256";
const RSA = "Dkim1RsaSha256";
const key = (
  id: string,
  type: string,
  selector: string,
  stage: string,
  nextTransitionAt: string | null = null,
): SignatureView => ({ id, "@type": type, selector, stage, nextTransitionAt });
const now = new Date("2026-09-01T00:00:00Z");
const pair = (slot: "a" | "b", stage: string, at: string | null = null) => [
  key(`ed-${slot}`, ED, slotSelector("ed25519", slot), stage, at),
  key(`rsa-${slot}`, RSA, slotSelector("rsa", slot), stage, at),
];

describe("DKIM slots (pure)", () => {
  it("a new domain gets one pending key per algorithm in slot a", () => {
    expect(planKeys([], false, now)).toEqual({
      create: [
        { type: ED, algorithm: "ed25519", selector: "dezky-ed25519-a" },
        { type: RSA, algorithm: "rsa", selector: "dezky-rsa-a" },
      ],
      destroyFirst: [],
    });
    expect(slotsCovered([])).toBe(false);
    expect(slotsCovered(pair("a", "pending"))).toBe(true);
  });

  it("rotates into the free slot, and not again while a key is pending", () => {
    expect(planKeys(pair("a", "active"), true, now).create.map((k) => k.selector)).toEqual([
      "dezky-ed25519-b",
      "dezky-rsa-b",
    ]);
    expect(planKeys(pair("a", "active"), false, now).create).toEqual([]);
    expect(planKeys([...pair("a", "active"), ...pair("b", "pending")], true, now).create).toEqual(
      [],
    );
  });

  it("waits for a retiring key in the target slot, then replaces it", () => {
    const future = [...pair("a", "retiring", "2026-09-05T00:00:00Z"), ...pair("b", "active")];
    expect(planKeys(future, true, now)).toEqual({
      create: [],
      destroyFirst: [],
      blockedUntil: "2026-09-05T00:00:00Z",
    });
    const due = [...pair("a", "retiring", "2026-08-31T00:00:00Z"), ...pair("b", "active")];
    expect(planKeys(due, true, now)).toMatchObject({
      destroyFirst: ["ed-a", "rsa-a"],
      create: [{ selector: "dezky-ed25519-a" }, { selector: "dezky-rsa-a" }],
    });
  });

  it("replaces a lost key and brings adopted domains' foreign keys into the slots", () => {
    const lost = [pair("a", "active")[0], pair("b", "retiring", "2026-09-05T00:00:00Z")[1]];
    expect(planKeys(lost, false, now)).toEqual({
      create: [{ type: RSA, algorithm: "rsa", selector: "dezky-rsa-a" }],
      destroyFirst: [],
    });
    const foreign = [key("f1", ED, "v1-ed25519-20260101", "active")];
    expect(planKeys(foreign, false, now).create.map((k) => k.selector)).toEqual([
      "dezky-ed25519-a",
      "dezky-rsa-a",
    ]);
  });
});
