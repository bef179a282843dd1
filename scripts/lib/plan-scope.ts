/**
 * Which path a pull-request plan takes, and what its PR view reports on. Pure.
 *
 * Tenants are independent (test/blast-radius.test.ts): a tenant file changes only that tenant's
 * resources. So when a change touches nothing but tenant files (and files that never reach a
 * deployment: docs, tests, workflows), the plan evaluates the cell and only the tenants whose
 * files changed, on both sides: the fast path. Anything else (components, stacks, policies,
 * package files, scripts, which include the plan itself and its mock outputs) needs the whole
 * stack on both sides: the full path.
 *
 * The PR view (`--format markdown`) reports the same on both paths: resource and tenant changes,
 * policy findings on the cell, on the stack as a whole and on the tenants in scope (every tenant
 * after a non-tenant change; the tenants whose files changed otherwise), DNS records of the
 * tenants in scope, and the monthly cost.
 */

/**
 * Paths that never change what a stack deploys, nor how it is planned. node_modules is named
 * for checkouts that link it in (a link is not ignored by `node_modules/`); package changes show
 * in package-lock.json.
 */
const NO_EFFECT = [
  /\.md$/i,
  /\.test\.ts$/,
  /^docs\//,
  /^test\//,
  /^\.github\//,
  /^\.ci\//,
  /^node_modules(\/|$)/,
];

/** tenants/<stack>/<slug>.ts */
const TENANT_FILE = /^tenants\/([^/]+)\/([a-z0-9][a-z0-9-]*)\.ts$/;
/** Anything directly in a stack's tenant folder (the loader refuses what is not a tenant). */
const IN_TENANT_FOLDER = /^tenants\/[^/]+\/[^/]+$/;

/** What a change touches: only tenant files (and files without effect), or more. */
export type ChangeKind =
  | {
      tenantOnly: true;
      /** Every changed path directly under tenants/<stack>/ (any stack), as git names them. */
      tenantPaths: string[];
    }
  | { tenantOnly: false; reason: string };

export function changeKind(changed: string[]): ChangeKind {
  const tenantPaths: string[] = [];
  for (const raw of changed) {
    const p = raw.trim();
    if (!p) continue;
    if (IN_TENANT_FOLDER.test(p) && !/^tenants\/[^/]+\.ts$/.test(p)) {
      tenantPaths.push(p);
      continue;
    }
    if (NO_EFFECT.some((re) => re.test(p))) continue;
    return { tenantOnly: false, reason: `${p} changed` };
  }
  return { tenantOnly: true, tenantPaths: [...new Set(tenantPaths)].sort() };
}

export type PlanRoute = { kind: "fast"; tenantPaths: string[] } | { kind: "full"; reason: string };

/** The fast path serves the PR view of a tenant-only change; everything else is planned whole. */
export function planRoute(change: ChangeKind, format: string): PlanRoute {
  if (!change.tenantOnly) return { kind: "full", reason: change.reason };
  if (format !== "markdown") {
    return { kind: "full", reason: `--format ${format} prints the whole stack` };
  }
  return { kind: "fast", tenantPaths: change.tenantPaths };
}

/** The slug of a tenant file path of `stack`, or undefined. */
export function tenantSlugOf(file: string, stack: string): string | undefined {
  const m = TENANT_FILE.exec(file);
  return m && m[1] === stack ? m[2] : undefined;
}

/** Slugs of `stack` whose tenant files changed. */
export function changedSlugs(paths: string[], stack: string): string[] {
  return [
    ...new Set(paths.map((p) => tenantSlugOf(p, stack)).filter((s): s is string => !!s)),
  ].sort();
}

/**
 * What the PR view reports on: every tenant (`all`), or the cell plus the tenants whose files
 * changed, named by every slug they have on either side (current and former).
 */
export type ViewScope = { all: true } | { all: false; slugs: Set<string>; otherTenants: number };

export const WHOLE_STACK: ViewScope = { all: true };

/** The PR view's scope of a change on `stack`, whose tenants after it are `tenantSlugs`. */
export function viewScope(change: ChangeKind, stack: string, tenantSlugs: string[]): ViewScope {
  if (!change.tenantOnly) return WHOLE_STACK;
  const slugs = new Set(changedSlugs(change.tenantPaths, stack));
  return { all: false, slugs, otherTenants: tenantSlugs.filter((s) => !slugs.has(s)).length };
}

export function inScope(scope: ViewScope, slug: string): boolean {
  return scope.all || scope.slugs.has(slug);
}

/** A minimal resource: what scoping needs. */
export interface ScopedResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
}

export const TENANT_COMPONENT = "dezky:tenant:Tenant";

/**
 * The slug of the tenant each resource belongs to (its `dezky:tenant:Tenant` ancestor, named
 * `<cell>-tenant-<slug>`), by URN; resources of the cell are absent.
 */
export function tenantOfResources(resources: ScopedResource[], cell: string): Map<string, string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const prefix = `${cell}-tenant-`;
  const owner = new Map<string, string | null>();
  const find = (urn: string | undefined): string | null => {
    if (!urn) return null;
    const known = owner.get(urn);
    if (known !== undefined) return known;
    const r = byUrn.get(urn);
    let slug: string | null = null;
    if (r && r.type === TENANT_COMPONENT && r.name.startsWith(prefix)) {
      slug = r.name.slice(prefix.length);
    } else if (r) {
      slug = find(r.parent);
    }
    owner.set(urn, slug);
    return slug;
  };
  const result = new Map<string, string>();
  for (const r of resources) {
    const slug = find(r.urn);
    if (slug !== null) result.set(r.urn, slug);
  }
  return result;
}

/**
 * Keeps a policy finding when it concerns the stack as a whole (no URN), a resource of the cell,
 * or a resource of a tenant in scope. URNs the inventory does not know (stand-ins) are dropped.
 */
export function findingFilter(
  scope: ViewScope,
  resources: ScopedResource[],
  cell: string,
): (urn: string | undefined) => boolean {
  if (scope.all) return () => true;
  const known = new Set(resources.map((r) => r.urn));
  const tenantOf = tenantOfResources(resources, cell);
  return (urn) => {
    if (urn === undefined) return true;
    if (!known.has(urn)) return false;
    const slug = tenantOf.get(urn);
    return slug === undefined || inScope(scope, slug);
  };
}

/** One line for the PR view: which path the plan took and what it evaluated. */
export function pathLine(
  route: { kind: "fast" } | { kind: "full"; reason: string },
  counts: { evaluated: number; total: number },
): string {
  if (route.kind === "fast") {
    return `_Fast path: only tenant files changed, so the plan evaluated the cell and ${counts.evaluated} of ${counts.total} tenant(s) on each side; the others are unchanged._`;
  }
  return `_Full plan: the whole stack on both sides (${route.reason})._`;
}
