/**
 * Removing a tenant's file deletes its mailboxes, files and identities on the next deploy.
 * That is only allowed once the tenant went through offboarding in the base: status
 * "offboarded" with a retainUntil date that has passed, and purge: true.
 */
import type { TenantRow } from "./plan-render";

/** retainUntil of a base row; plans written before the field existed only had the status text. */
function retainUntilOf(row: TenantRow): string | undefined {
  if (row.retainUntil) return row.retainUntil;
  return /^offboarded until (\d{4}-\d{2}-\d{2})$/.exec(row.status)?.[1];
}

function isOffboarded(row: TenantRow): boolean {
  return row.status === "offboarded" || row.status.startsWith("offboarded ");
}

/** Why this removal is refused, or undefined when it is allowed. */
export function removalRefusal(row: TenantRow, stack: string, today: string): string | undefined {
  const retainUntil = retainUntilOf(row);
  const file = `tenants/${stack}/${row.slug}.ts`;
  if (isOffboarded(row) && retainUntil && retainUntil < today && row.purge === true)
    return undefined;
  const where = !isOffboarded(row)
    ? `it is ${row.status} and still holds data`
    : !retainUntil || retainUntil >= today
      ? `it is offboarded but its data is kept until ${retainUntil ?? "(no date)"}`
      : "its retention date has passed but purge: true was not merged yet";
  return [
    `Refusing to remove tenant "${row.slug}" from stack ${stack}: ${where}; deleting the file would delete its data.`,
    `To offboard a tenant: (1) in ${file} set status: "offboarded" and retainUntil: "<YYYY-MM-DD>", and merge;`,
    `(2) only after that date set purge: true and merge; (3) then remove the file. Restore ${file} for now.`,
  ].join("\n");
}

/** One refusal message per tenant present in the base but missing now. */
export function tenantRemovalRefusals(
  base: TenantRow[],
  current: TenantRow[],
  stack: string,
  today: string,
): string[] {
  const now = new Set(current.map((t) => t.slug));
  return base
    .filter((t) => !now.has(t.slug))
    .map((t) => removalRefusal(t, stack, today))
    .filter((m): m is string => m !== undefined);
}
