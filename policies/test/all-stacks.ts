/**
 * Shared body of the per-stack tests (one runStackUnderMocks per test file): the real program's
 * inventory goes through every rule; mandatory rules must pass.
 */
import { expect } from "vitest";
import type { Inventory } from "../../scripts/lib/mock-run";
import { evaluatePolicies, formatPolicyResults, type PolicyResult } from "../evaluate";
import { isRole } from "../rules/types";

/** Backups are only judged "missing" correctly until components/storage is wired into the Cell. */
export function storageWired(inventory: Inventory): boolean {
  return inventory.resources.some(
    (r) => r.type.startsWith("dezky:storage:") || isRole(r.type, "storageBox"),
  );
}

export async function expectStackPasses(inventory: Inventory): Promise<PolicyResult[]> {
  const results = await evaluatePolicies(inventory);
  const report = formatPolicyResults(results);
  // Every resource rule saw every resource (production-data-protected only on prod stacks).
  for (const r of results.filter(
    (x) => x.kind === "resource" && x.name !== "production-data-protected",
  )) {
    expect(r.checked, `${r.name} checked`).toBe(inventory.resources.length);
  }
  const failing = results.filter(
    (r) => r.enforcementLevel === "mandatory" && r.violations.length > 0,
  );
  if (!storageWired(inventory)) {
    // The rule must flag the missing boxes; everything else passes.
    const backup = failing.find((r) => r.name === "backup-storage-boxes");
    expect(backup?.violations.map((v) => v.message.split(" (")[0])).toEqual([
      "the cell has no primary backup Storage Box",
      "the cell has no disaster-recovery Storage Box",
    ]);
    expect(
      failing.filter((r) => r !== backup),
      report,
    ).toEqual([]);
  } else {
    expect(failing, report).toEqual([]);
  }
  return results;
}
