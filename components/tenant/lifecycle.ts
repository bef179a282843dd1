/**
 * What a tenant's status means for each service, computed once from the tenant file and the
 * date, and the retention rules that decide when data may be deleted.
 *
 * Deleting data is judged against history, not the file alone: a purge takes effect only when
 * the deployed commit (the base) already had the tenant offboarded with its retention passed,
 * and removing the file only when the base already had purge: true. So offboarding, purging
 * and removing are three deployed changes, with the plan's minimum retention between the first
 * two. Until that holds, `protect` and `retainOnDelete` stay on and the engine refuses deletes.
 */
import { PLANS, type PlanName } from "../../tenants/plans";
import type { Tenant } from "../../tenants/schema";

export interface TenantLifecycle {
  /** Users of the tenant may log in (Authentik binding enabled). */
  loginsEnabled: boolean;
  /** OCIS project spaces are enabled (disabled = DELETE without purge, restorable). */
  spacesEnabled: boolean;
  /** Stalwart keeps accepting mail for the tenant's domains. */
  mailReceiving: boolean;
  /** The retention date has passed (offboarded tenants only). */
  retentionExpired: boolean;
  /** Data may be destroyed: offboarded, retention expired and purge: true in the file. */
  purgeAllowed: boolean;
}

/** Today's date as YYYY-MM-DD in UTC; injected in tests. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function tenantLifecycle(
  tenant: Pick<Tenant, "status" | "retainUntil" | "purge">,
  date: string,
): TenantLifecycle {
  const offboarded = tenant.status === "offboarded";
  const retentionExpired =
    offboarded && tenant.retainUntil !== undefined && tenant.retainUntil < date;
  return {
    loginsEnabled: tenant.status === "active",
    spacesEnabled: tenant.status === "active",
    // A suspended customer keeps receiving mail: suspension is usually about an unpaid invoice,
    // and bouncing their customers' mail would do lasting harm. Offboarded tenants stop.
    mailReceiving: tenant.status !== "offboarded",
    retentionExpired,
    purgeAllowed: retentionExpired && tenant.purge,
  };
}

/** The lifecycle fields of a tenant file at one commit. */
export interface RetentionState {
  plan: string;
  status: string;
  retainUntil?: string;
  purge: boolean;
}

/** Was the tenant, as deployed, offboarded with its retention passed? Then a purge may follow. */
export function deployedAllowsPurge(deployed: RetentionState | undefined, date: string): boolean {
  return (
    deployed?.status === "offboarded" &&
    deployed.retainUntil !== undefined &&
    deployed.retainUntil < date
  );
}

/** Was the purge itself deployed? Then the file may be removed (its data deleted). */
export function deployedAllowsRemoval(deployed: RetentionState | undefined, date: string): boolean {
  return deployedAllowsPurge(deployed, date) && deployed!.purge;
}

/**
 * The purge flag the program deploys: the file's, only when the deployed commit allows it.
 * `deployed` undefined = history unknown: nothing is purged (fail safe).
 */
export function effectivePurge(
  tenant: Pick<Tenant, "purge">,
  deployed: RetentionState | undefined,
  date: string,
): boolean {
  return tenant.purge && deployedAllowsPurge(deployed, date);
}

/** Days between two YYYY-MM-DD dates (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Shortest retention of a plan (unknown plans: the longest, to be safe). */
export function minRetentionDays(plan: string): number {
  const known = PLANS[plan as PlanName];
  return known
    ? known.minRetentionDays
    : Math.max(...Object.values(PLANS).map((p) => p.minRetentionDays));
}

export interface RetentionProblem {
  field: string;
  message: string;
}

const STEPS =
  'offboard in one change (status: "offboarded", retainUntil at least the plan\'s minimum ahead), set purge: true in a later change after that date, and remove the file in a change after the purge was deployed';

function describeState(s: RetentionState): string {
  if (s.status !== "offboarded") return s.status;
  return `offboarded until ${s.retainUntil ?? "(no date)"}${s.purge ? " with purge: true" : ""}`;
}

/**
 * What a change from `base` (the deployed commit) to `head` does to a tenant's data that the
 * retention rules refuse. Either side may be missing (added or removed tenant).
 */
export function retentionProblems(
  base: RetentionState | undefined,
  head: RetentionState | undefined,
  date: string,
  baseName: string,
): RetentionProblem[] {
  if (!head) {
    if (!base || deployedAllowsRemoval(base, date)) return [];
    return [
      {
        field: "(file)",
        message: `removing it deletes the tenant's data, but at ${baseName} it is ${describeState(base)}; restore the file and ${STEPS}`,
      },
    ];
  }
  const problems: RetentionProblem[] = [];
  if (head.status === "offboarded" && head.retainUntil) {
    if (!base || base.status !== "offboarded") {
      // The minimum counts from the change that offboards; a plan change alongside does not shorten it.
      const min = Math.max(minRetentionDays(head.plan), base ? minRetentionDays(base.plan) : 0);
      const earliest = addDays(date, min);
      if (head.retainUntil < earliest) {
        problems.push({
          field: "retainUntil",
          message: `${head.retainUntil} is ${daysBetween(date, head.retainUntil)} days from today; data is kept at least ${min} days after offboarding on the ${base?.plan ?? head.plan} plan, set retainUntil to ${earliest} or later`,
        });
      }
    } else if (base.retainUntil && head.retainUntil < base.retainUntil) {
      problems.push({
        field: "retainUntil",
        message: `moves from ${base.retainUntil} to ${head.retainUntil}; once offboarded the retention date may only move later, set it back to ${base.retainUntil} or later`,
      });
    }
  }
  if (head.purge && !(base?.purge && deployedAllowsRemoval(base, date))) {
    if (!deployedAllowsPurge(base, date)) {
      problems.push({
        field: "purge",
        message: `needs the tenant offboarded with its retention passed at ${baseName} (there it is ${base ? describeState(base) : "absent"}); remove purge and ${STEPS}`,
      });
    } else if (!head.retainUntil || head.retainUntil >= date) {
      problems.push({
        field: "purge",
        message: `is set before retainUntil (${head.retainUntil ?? "none"}) has passed; remove it until then`,
      });
    }
  }
  return problems;
}
