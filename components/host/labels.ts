/** Labels every Hetzner Cloud resource of a cell carries, so a console filter finds all of them. */
import type { Environment } from "../../stacks/schema";

export const MANAGED_BY = "dezky-pulumi";

/**
 * The label syntax the provider validates before any call (hcloud-go v2.47.0 hcloud/labels.go:
 * 8-10, used by terraform-provider-hcloud v1.68.0 internal/util/resourceutil/labels.go) and the
 * API documents (docs.hetzner.cloud/reference/cloud#labels): key = optional DNS-subdomain prefix
 * and "/", then a name of at most 63 characters; value empty or at most 63 characters; both
 * begin and end alphanumeric with `-_.` between. The `hetzner.cloud/` prefix is reserved.
 */
const LABEL_KEY =
  /^([a-z0-9A-Z]((?:[-_.]|[a-z0-9A-Z]){0,253}[a-z0-9A-Z])?\/)?[a-z0-9A-Z]((?:[-_.]|[a-z0-9A-Z]){0,61}[a-z0-9A-Z])?$/;
const LABEL_VALUE = /^(([a-z0-9A-Z](?:[-_.]|[a-z0-9A-Z]){0,61})?[a-z0-9A-Z]$|$)/;

/** Why the provider would refuse these labels, or undefined. */
export function hcloudLabelProblem(labels: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key) || key.startsWith("hetzner.cloud/")) {
      return `label key "${key}" is not a valid Hetzner label key (docs.hetzner.cloud/reference/cloud#labels)`;
    }
    if (!LABEL_VALUE.test(value)) {
      return `label value "${value}" (key ${key}) must be at most 63 characters of letters, digits and -_. that begin and end alphanumeric`;
    }
  }
  return undefined;
}

/** `env`, `cell` and `managed-by` labels, plus an optional role (e.g. "mail"). */
export function hcloudLabels(
  env: Pick<Environment, "stack" | "cell">,
  role?: string,
): Record<string, string> {
  const labels = {
    env: env.stack,
    cell: env.cell,
    "managed-by": MANAGED_BY,
    ...(role ? { role } : {}),
  };
  const problem = hcloudLabelProblem(labels);
  if (problem) throw new Error(`hcloud labels: ${problem}`);
  return labels;
}
