/** Labels every Hetzner Cloud resource of a cell carries, so a console filter finds all of them. */
import type { Environment } from "../../stacks/schema";

export const MANAGED_BY = "dezky-pulumi";

/** `env`, `cell` and `managed-by` labels, plus an optional role (e.g. "mail"). */
export function hcloudLabels(
  env: Pick<Environment, "stack" | "cell">,
  role?: string,
): Record<string, string> {
  return { env: env.stack, cell: env.cell, "managed-by": MANAGED_BY, ...(role ? { role } : {}) };
}
