/**
 * Generated tenant sets for the benchmark: N valid tenants spread over the plans, each with 1-3
 * mail domains and 1-4 spaces within its plan's quotas. Deterministic (index-driven), so every
 * run and every child process sees the same set.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PLAN_NAMES, PLANS, type PlanName } from "../../tenants/plans";
import type { TenantInput } from "../../tenants/schema";

/** Slug of the i-th generated tenant (0-based), e.g. bench-t00042. */
export function benchSlug(i: number): string {
  return `bench-t${String(i).padStart(5, "0")}`;
}

const STATUSES = ["active", "active", "active", "active", "active", "active", "suspended"] as const;
const ROLES = ["editor", "viewer", "manager"] as const;

/** The i-th generated tenant. Counts cycle with i so a set of any size covers every shape. */
export function benchTenant(i: number): TenantInput {
  const slug = benchSlug(i);
  const plan: PlanName = PLAN_NAMES[i % PLAN_NAMES.length];
  const quota = PLANS[plan];
  // Shapes vary with i / plans, independent of the plan: every plan gets every shape it allows.
  const k = Math.floor(i / PLAN_NAMES.length);
  const domainCount = Math.min(1 + (k % 3), quota.maxMailDomains);
  const spaceCount = Math.min(1 + (k % 4), quota.maxSpaces);
  const departments = Array.from({ length: spaceCount - 1 }, (_, d) => ({
    slug: `dept${d + 1}`,
    name: `Department ${d + 1}`,
  }));
  // Main space takes a quarter of the plan's storage, each other space an eighth: at most 7/8.
  const spaces = [
    { key: "main", name: `Tenant ${i}`, quotaGb: Math.floor(quota.storageGb / 4) },
    ...departments.map((d, k) => ({
      key: d.slug,
      name: `Bench ${i} ${d.name}`, // OCIS space names are global, keep them unique
      quotaGb: Math.floor(quota.storageGb / 8),
      grantTo: d.slug,
      role: ROLES[(i + k) % ROLES.length],
    })),
  ];
  return {
    slug,
    displayName: `Bench Tenant ${i}`,
    plan,
    status: STATUSES[i % STATUSES.length],
    // A domain with managed DNS becomes a Hetzner Cloud DNS zone: a registrable domain.
    mailDomains: Array.from({ length: domainCount }, (_, d) =>
      d % 2 === 0
        ? { name: d === 0 ? `${slug}.test` : `mail${d}.${slug}.test`, dns: "external" as const }
        : { name: `${slug}-mail${d}.eu`, dns: "hetzner" as const },
    ),
    ...(i % 4 === 0 ? { customDomain: `portal.${slug}.test` } : {}),
    branding: {
      primaryColor: `#${((i * 2654435761) % 0xffffff).toString(16).padStart(6, "0")}`,
      logoUrl: `https://assets.${slug}.test/logo.svg`,
    },
    departments,
    spaces,
    admins: [`admin@${slug}.test`],
  };
}

/** Tenants first..first+n-1. */
export function benchTenants(n: number, first = 0): TenantInput[] {
  return Array.from({ length: n }, (_, i) => benchTenant(first + i));
}

/** A tenant file importing defineTenant from `schemaPath` (absolute, without extension). */
export function renderBenchTenantFile(tenant: TenantInput, schemaPath: string): string {
  return [
    `import { defineTenant } from ${JSON.stringify(schemaPath)};`,
    "",
    `export default defineTenant(${JSON.stringify(tenant, null, 2)});`,
    "",
  ].join("\n");
}

/** The absolute import path of tenants/schema in this checkout. */
export function schemaImportPath(): string {
  return path.resolve(__dirname, "../../tenants/schema");
}

/**
 * Writes n tenant files (tenants first..first+n-1) into `<root>/<stack>/` (the layout
 * DEZKY_TENANTS_DIR / tenantsRoot expects) and returns the files written.
 */
export function writeBenchTenants(
  root: string,
  stack: string,
  n: number,
  schemaPath = schemaImportPath(),
  first = 0,
): string[] {
  const dir = path.join(root, stack);
  fs.mkdirSync(dir, { recursive: true });
  return benchTenants(n, first).map((t) => {
    const file = path.join(dir, `${t.slug}.ts`);
    fs.writeFileSync(file, renderBenchTenantFile(t, schemaPath));
    return file;
  });
}
