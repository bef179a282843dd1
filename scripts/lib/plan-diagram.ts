/**
 * The PR comment's picture: a Mermaid flowchart (GitHub renders ```mermaid blocks) of what a
 * change touches: the cell, each tenant added, changed or removed, and per tenant the areas
 * whose resources change (identity, files, mail, DNS), with counts; other changed parts of the
 * cell (host, k3s, platform, storage) hang off the cell. Pure: built from the plan diff.
 */
import type { PlanDiff, ResourceChange } from "./plan-diff";

type Op = "create" | "update" | "replace" | "delete";
const OPS: Op[] = ["create", "update", "replace", "delete"];
/** The strongest change colours a node. */
const SEVERITY: Op[] = ["delete", "replace", "update", "create"];
/** Tenants drawn one by one; the rest are summed into one node (GitHub limits diagram size). */
export const MAX_TENANTS = 12;

type Counts = Record<Op, number>;
const zero = (): Counts => ({ create: 0, update: 0, replace: 0, delete: 0 });

/** The area of a tenant resource, from its component chain and type. */
export function tenantArea(r: Pick<ResourceChange, "urn" | "type">): string {
  const chain = r.urn.split("::")[2] ?? "";
  if (/^hcloud:index\/(zone|zoneRrset|zoneRecord|txtRecord)[:/]/.test(r.type)) return "DNS";
  if (chain.includes("dezky:tenant:TenantIdentity") || r.type.includes("dynamic/authentik:"))
    return "identity";
  if (chain.includes("dezky:tenant:TenantFiles") || r.type.includes("dynamic/ocis:"))
    return "files";
  if (chain.includes("dezky:tenant:TenantMail") || r.type.includes("dynamic/stalwart:"))
    return "mail";
  if (chain.includes("dezky:tenant:TenantCustomDomain")) return "custom domain";
  return "tenant";
}

/** The part of the cell a non-tenant resource belongs to: its first `dezky:<module>:` below the cell. */
export function cellArea(r: Pick<ResourceChange, "urn" | "type">): string {
  const chain = (r.urn.split("::")[2] ?? "").split("$");
  const mod = chain.map((t) => /^dezky:([\w-]+):/.exec(t)?.[1]).find((m) => m && m !== "cell");
  return mod ?? r.type.split(":")[0];
}

/** The tenant slug a resource belongs to (name `<stack>-tenant-<slug>[-...]`), if any. */
export function tenantOf(r: Pick<ResourceChange, "urn" | "name">, stack: string, slugs: string[]) {
  if (!r.urn.includes("dezky:tenant:Tenant")) return undefined;
  const matching = slugs.filter((s) => {
    const prefix = `${stack}-tenant-${s}`;
    return r.name === prefix || r.name.startsWith(`${prefix}-`);
  });
  return matching.sort((a, b) => b.length - a.length)[0];
}

/** A quoted Mermaid label; each line escaped (entity codes), lines joined by <br/>. */
export function label(lines: string[]): string {
  const escape = (t: string) =>
    t.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
  return `"${lines.map(escape).join("<br/>")}"`;
}

function countsText(c: Counts): string {
  return OPS.filter((op) => c[op] > 0)
    .map((op) => `${c[op]} to ${op}`)
    .join(", ");
}

function strongest(c: Counts): Op | undefined {
  return SEVERITY.find((op) => c[op] > 0);
}

interface Node {
  id: string;
  lines: string[];
  op?: Op;
}

/** The Mermaid flowchart (a fenced block), or "" when the change touches nothing. */
export function renderPlanDiagram(diff: PlanDiff): string {
  const tenantStatus = new Map<string, string>([
    ...diff.tenants.added.map((t) => [t.slug, "added"] as const),
    ...diff.tenants.changed.map((t) => [t.slug, "changed"] as const),
    ...diff.tenants.removed.map((t) => [t.slug, "removed"] as const),
  ]);
  const slugs = [...tenantStatus.keys()];
  const tenantAreas = new Map<string, Map<string, Counts>>();
  const cellAreas = new Map<string, Counts>();
  const add = (map: Map<string, Counts>, key: string, op: Op) => {
    const c = map.get(key) ?? zero();
    c[op] += 1;
    map.set(key, c);
  };
  for (const op of OPS) {
    for (const r of diff.resources[op]) {
      const slug = tenantOf(r, diff.stack, slugs);
      if (slug) {
        // The tenant's own component is the tenant node itself.
        if (r.type === "dezky:tenant:Tenant") continue;
        if (!tenantAreas.has(slug)) tenantAreas.set(slug, new Map());
        add(tenantAreas.get(slug)!, tenantArea(r), op);
      } else if (r.urn.includes("dezky:tenant:Tenant")) {
        add(cellAreas, "tenants (other)", op);
      } else {
        add(cellAreas, cellArea(r), op);
      }
    }
  }
  if (slugs.length === 0 && cellAreas.size === 0) return "";

  const nodes: Node[] = [];
  const edges: string[] = [];
  const cell = "cell";
  const sortedSlugs = [...slugs].sort();
  const drawn = sortedSlugs.slice(0, MAX_TENANTS);
  drawn.forEach((slug) => {
    const id = `n${nodes.length + 1}`;
    const areas = tenantAreas.get(slug) ?? new Map<string, Counts>();
    const status = tenantStatus.get(slug)!;
    const op: Op = status === "added" ? "create" : status === "removed" ? "delete" : "update";
    nodes.push({ id, lines: [`tenant ${slug}`, status], op });
    edges.push(`${cell} --> ${id}`);
    [...areas.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .forEach(([area, counts]) => {
        const child = `n${nodes.length + 1}`;
        nodes.push({ id: child, lines: [area, countsText(counts)], op: strongest(counts) });
        edges.push(`${id} --> ${child}`);
      });
  });
  const rest = sortedSlugs.slice(MAX_TENANTS);
  if (rest.length) {
    const counts = zero();
    for (const slug of rest)
      for (const c of tenantAreas.get(slug)?.values() ?? [])
        for (const op of OPS) counts[op] += c[op];
    const summary = countsText(counts);
    nodes.push({
      id: `n${nodes.length + 1}`,
      lines: [`${rest.length} more tenant(s)`, ...(summary ? [summary] : [])],
      op: strongest(counts) ?? "update",
    });
    edges.push(`${cell} --> ${nodes[nodes.length - 1].id}`);
  }
  [...cellAreas.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .forEach(([area, counts]) => {
      const id = `n${nodes.length + 1}`;
      nodes.push({ id, lines: [area, countsText(counts)], op: strongest(counts) });
      edges.push(`${cell} --> ${id}`);
    });

  const byOp = (op: Op) => nodes.filter((n) => n.op === op).map((n) => n.id);
  return [
    "```mermaid",
    "flowchart LR",
    `  ${cell}([${label([`cell ${diff.stack}`])}])`,
    ...nodes.map((n) => `  ${n.id}[${label(n.lines)}]`),
    ...edges.map((e) => `  ${e}`),
    "  classDef create fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
    "  classDef update fill:#fff8c5,stroke:#9a6700,color:#1f2328",
    "  classDef replace fill:#ffe2cc,stroke:#bc4c00,color:#1f2328",
    "  classDef delete fill:#ffebe9,stroke:#cf222e,color:#1f2328",
    ...OPS.filter((op) => byOp(op).length).map((op) => `  class ${byOp(op).join(",")} ${op}`),
    "```",
  ].join("\n");
}
