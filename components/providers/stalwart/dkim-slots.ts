/**
 * Where a mail domain's DKIM keys live: two fixed selectors per algorithm, slot "a" and slot
 * "b" (`dezky-ed25519-a`, `dezky-rsa-b`, ...). A rotation puts the new key in the slot the
 * signing key does not use, so at any time a domain has at most an active and a pending key,
 * or an active and a retiring key, per algorithm, always under the same two names. That lets
 * the DNS layout be fixed (four DKIM record sets per managed domain, known at preview) and
 * publish every stage: the pending key before it signs, the retiring key until it goes.
 *
 * Stalwart 0.16 signs with `active` keys only (common/src/cache/principals.rs:910-917) and
 * generates no key for a domain with `dkimManagement: Manual` (jmap/src/registry/mapping/
 * domain.rs:104-106, :134-139), so these functions decide every key a domain ever has. Pure.
 */

export const DKIM_VARIANTS = [
  { algorithm: "ed25519", type: "Dkim1Ed25519Sha256" },
  { algorithm: "rsa", type: "Dkim1RsaSha256" },
] as const;
export type DkimAlgorithm = (typeof DKIM_VARIANTS)[number]["algorithm"];
export const DKIM_SLOTS = ["a", "b"] as const;
export type DkimSlot = (typeof DKIM_SLOTS)[number];

/** The selector of a slot, e.g. `dezky-rsa-a`. */
export function slotSelector(algorithm: DkimAlgorithm, slot: DkimSlot): string {
  return `dezky-${algorithm}-${slot}`;
}

/** A signature as Stalwart lists it (the fields these functions read). */
export interface SignatureView {
  id: string;
  "@type"?: unknown;
  selector?: unknown;
  stage?: unknown;
  nextTransitionAt?: unknown;
}

export interface KeyPlan {
  /** Keys to create in stage `pending`. */
  create: Array<{ type: string; algorithm: DkimAlgorithm; selector: string }>;
  /** Old keys to destroy first because their slot is taken for a new key. */
  destroyFirst: string[];
  /** Rotations that must wait until a retiring key in the target slot has gone (ISO date). */
  blockedUntil?: string;
}

const liveStage = (s: SignatureView) => s.stage === "active" || s.stage === "pending";

/**
 * What to create so that every algorithm has a slot key that signs or waits for its record,
 * and, when `rotate` is set, a new pending key in the other slot. A rotation never removes a
 * retiring key before its time: it is then reported as blocked and nothing is created.
 */
export function planKeys(signatures: SignatureView[], rotate: boolean, now: Date): KeyPlan {
  const plan: KeyPlan = { create: [], destroyFirst: [] };
  for (const { algorithm, type } of DKIM_VARIANTS) {
    const inSlot = (slot: DkimSlot) =>
      signatures.find((s) => s["@type"] === type && s.selector === slotSelector(algorithm, slot));
    const slotKeys = DKIM_SLOTS.map(inSlot);
    const covered = slotKeys.some((s) => s !== undefined && liveStage(s));
    const pending = slotKeys.some((s) => s?.stage === "pending");
    let target: DkimSlot | undefined;
    if (!covered) {
      // New domain, adopted domain with foreign keys, or a key deleted by hand.
      target =
        DKIM_SLOTS.find((slot) => !inSlot(slot)) ??
        DKIM_SLOTS.find((slot) => !liveStage(inSlot(slot)!));
    } else if (rotate && !pending) {
      const activeSlot = DKIM_SLOTS.find((slot) => inSlot(slot)?.stage === "active");
      const other = DKIM_SLOTS.find((slot) => slot !== activeSlot)!;
      const occupant = inSlot(other);
      const until =
        occupant?.stage === "retiring" && typeof occupant.nextTransitionAt === "string"
          ? occupant.nextTransitionAt
          : undefined;
      if (occupant && liveStage(occupant)) continue; // two live slot keys: nothing to rotate into
      if (until && Date.parse(until) > now.getTime()) {
        // Its record must stay published until then for mail it signed (DKIM_RETIRE_MS).
        plan.blockedUntil =
          plan.blockedUntil && plan.blockedUntil > until ? plan.blockedUntil : until;
        continue;
      }
      target = other;
    }
    if (!target) continue;
    const occupant = inSlot(target);
    if (occupant) plan.destroyFirst.push(occupant.id);
    plan.create.push({ type, algorithm, selector: slotSelector(algorithm, target) });
  }
  if (plan.blockedUntil) return { create: [], destroyFirst: [], blockedUntil: plan.blockedUntil };
  return plan;
}

/** True when every algorithm has a slot key that signs or waits for its record. */
export function slotsCovered(signatures: SignatureView[]): boolean {
  return planKeys(signatures, false, new Date(0)).create.length === 0;
}
