/**
 * Renders a new tenant file: valid by construction for the given plan, with the fields an
 * operator edits next marked in comments.
 */
import { PLANS, type PlanName } from "../../tenants/plans";
import type { TenantInput } from "../../tenants/schema";

export interface NewTenantOptions {
  slug: string;
  plan: PlanName;
  displayName?: string;
  domains: string[];
  /** Import path of tenants/schema from the new file. */
  schemaImport: string;
}

/** The tenant value a new file starts with. */
export function newTenantValue(o: NewTenantOptions): TenantInput {
  const title = o.slug
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
  return {
    slug: o.slug,
    displayName: o.displayName ?? title,
    plan: o.plan,
    status: "active",
    mailDomains: o.domains.map((name) => ({ name, dns: "external" as const })),
    branding: {
      primaryColor: "#1f6feb",
      logoUrl: "https://assets.dezky.eu/brand/default-logo.svg",
    },
    departments: [],
    spaces: [
      {
        key: "main",
        name: o.displayName ?? title,
        quotaGb: Math.floor(PLANS[o.plan].storageGb / 2),
      },
    ],
    admins: [`admin@${o.domains[0] ?? `${o.slug}.example`}`],
  };
}

export function renderTenantFile(o: NewTenantOptions): string {
  const body = JSON.stringify(newTenantValue(o), null, 2).replace(/"([a-zA-Z]+)":/g, "$1:");
  return [
    `import { defineTenant } from ${JSON.stringify(o.schemaImport)};`,
    "",
    `// Scaffolded by npm run tenant:new. Edit branding, spaces, departments and admins, then`,
    `// check with: npm run plan -- --stack <stack>`,
    `export default defineTenant(${body});`,
    "",
  ].join("\n");
}
