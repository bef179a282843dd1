/**
 * Pure renderers for `npm run plan`: the machine-readable plan document and the human tree of
 * components and resources with their key properties, plus the tenant table.
 */
import { createHash } from "node:crypto";
import type { Tenant } from "../../tenants/schema";
import type { Inventory, InventoryResource } from "./mock-run";

/** The stable JSON shape of `npm run plan -- --format json` (later tools read it). */
export interface PlanDocument {
  stack: string;
  resources: Array<{
    urn: string;
    type: string;
    name: string;
    parent?: string;
    inputs: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    dependsOn: string[];
    custom: boolean;
  }>;
  tenants: TenantRow[];
  outputs: Record<string, unknown>;
}

export interface TenantRow {
  slug: string;
  displayName: string;
  plan: string;
  status: string;
  mailDomains: string[];
  spaces: number;
  storageGb: number;
  /** Offboarded tenants: data kept until this date (null otherwise). */
  retainUntil: string | null;
  /** Offboarded and past retainUntil: data may be deleted. */
  purge: boolean;
  /** Quota per space key, in GB. */
  quotas: Record<string, number>;
  /** Former slugs (a rename): the plan matches their resources by alias. */
  renamedFrom?: string[];
}

export function tenantRows(tenants: Tenant[]): TenantRow[] {
  return tenants.map((t) => ({
    slug: t.slug,
    displayName: t.displayName,
    plan: t.plan,
    status: t.status === "offboarded" ? `offboarded until ${t.retainUntil}` : t.status,
    mailDomains: t.mailDomains.map((d) => d.name),
    spaces: t.spaces.length,
    storageGb: t.spaces.reduce((sum, s) => sum + s.quotaGb, 0),
    retainUntil: t.retainUntil ?? null,
    purge: t.purge,
    quotas: Object.fromEntries(t.spaces.map((s) => [s.key, s.quotaGb])),
    renamedFrom: t.renamedFrom,
  }));
}

/**
 * Dynamic resources carry their provider's serialized code (`__provider`, tens of KB each); the
 * plan shows its sha256 instead, which still changes whenever the code does and keeps a
 * 1000-tenant document small.
 */
export function withProviderDigest(inputs: Record<string, unknown>): Record<string, unknown> {
  const code = inputs.__provider;
  if (typeof code !== "string") return inputs;
  return { ...inputs, __provider: `sha256:${createHash("sha256").update(code).digest("hex")}` };
}

export function planDocument(inventory: Inventory, tenants: Tenant[]): PlanDocument {
  return {
    stack: inventory.stack,
    resources: inventory.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      inputs: withProviderDigest(r.inputs),
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      dependsOn: r.dependsOn,
      custom: r.custom,
    })),
    tenants: tenantRows(tenants),
    outputs: inventory.outputs,
  };
}

/** Input keys worth showing in the tree, in order of preference. */
const KEY_PROPERTIES = [
  "location",
  "serverType",
  "storageBoxType",
  "name",
  "slug",
  "domain",
  "bucket",
  "version",
  "chart",
  "image",
  "type",
  "zone",
  "quotaGb",
  "role",
  "status",
  "enabled",
  "create",
];

function short(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

/** The few scalar inputs that identify a resource at a glance. */
export function keyProperties(resource: InventoryResource, max = 3): string {
  const picked: string[] = [];
  for (const key of KEY_PROPERTIES) {
    const value = resource.inputs[key];
    if (value === undefined || (typeof value === "object" && value !== null)) continue;
    picked.push(`${key}=${short(value)}`);
    if (picked.length === max) break;
  }
  return picked.join(" ");
}

function flags(r: InventoryResource): string {
  const f = [r.protect ? "protected" : "", r.retainOnDelete ? "retained" : ""].filter(Boolean);
  return f.length ? ` [${f.join(", ")}]` : "";
}

/** The component/resource tree, children indented under their parents. */
export function renderTree(inventory: Inventory): string {
  const children = new Map<string | undefined, InventoryResource[]>();
  for (const r of inventory.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const props = keyProperties(r);
      lines.push(
        `${"  ".repeat(depth)}${r.custom ? "+" : "◇"} ${r.name} (${r.type})${props ? `  ${props}` : ""}${flags(r)}`,
      );
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join("\n");
}

/** A fixed-width table. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function renderTenantTable(rows: TenantRow[]): string {
  if (rows.length === 0) return "(no tenants on this stack)";
  return renderTable(
    ["slug", "name", "plan", "status", "storage", "spaces", "mail domains"],
    rows.map((t) => [
      t.slug,
      t.displayName,
      t.plan,
      t.status,
      `${t.storageGb} GB`,
      String(t.spaces),
      t.mailDomains.join(", ") || "-",
    ]),
  );
}

/** Counts of resources per type, most first. */
export function typeSummary(inventory: Inventory): string {
  const counts = new Map<string, number>();
  for (const r of inventory.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return renderTable(
    ["type", "count"],
    rows.map(([t, c]) => [t, String(c)]),
  );
}

/** The human plan: header, tree, type summary, tenants. */
export function renderText(
  inventory: Inventory,
  tenants: Tenant[],
  extraSections: string[] = [],
): string {
  const custom = inventory.resources.filter((r) => r.custom).length;
  return [
    `Plan for stack ${inventory.stack}: ${inventory.resources.length} resources (${custom} custom, ${inventory.resources.length - custom} components), offline under Pulumi's mock runtime`,
    "",
    renderTree(inventory),
    "",
    "Resources by type",
    typeSummary(inventory),
    "",
    `Tenants (${tenants.length})`,
    renderTenantTable(tenantRows(tenants)),
    ...extraSections.flatMap((s) => ["", s]),
  ].join("\n");
}
