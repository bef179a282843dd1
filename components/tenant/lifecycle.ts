/**
 * What a tenant's status means for each service, computed once from the tenant file and the
 * date. Nothing here deletes data by itself: deletion needs offboarded + retainUntil passed +
 * purge: true, and even then only the resources that hold data are purged.
 */
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
