/**
 * Compares two JSON plans (base and working tree) of one stack: tenants added/changed/removed
 * with the fields that changed, and resources to create, update, replace and delete, matched by
 * URN. Pure; works on whatever resources the program registers.
 */
import type { PlanDocument, TenantRow } from "./plan-render";
import { fakeId } from "./mock-outputs";
import { IGNORED_INPUTS, replaceReasons } from "./plan-replace";

export type PlanResource = PlanDocument["resources"][number];

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface TenantChange {
  slug: string;
  fields: FieldChange[];
}

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  /** Changed input paths (update/replace); for create/delete, empty. */
  changes: FieldChange[];
  /** Input paths that force the replacement. */
  replaceReasons: string[];
  protect: boolean;
  retainOnDelete: boolean;
}

export interface PlanDiff {
  stack: string;
  tenants: { added: TenantRow[]; removed: TenantRow[]; changed: TenantChange[] };
  resources: {
    create: ResourceChange[];
    update: ResourceChange[];
    replace: ResourceChange[];
    delete: ResourceChange[];
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Leaf-level differences between two JSON values, as dotted paths. */
export function diffValues(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffValues(b, after[i], `${path}[${i}]`));
  }
  return [{ path, before, after }];
}

function withoutIgnored(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([k]) => !IGNORED_INPUTS.includes(k)));
}

function change(
  r: PlanResource,
  changes: FieldChange[] = [],
  reasons: string[] = [],
): ResourceChange {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    changes,
    replaceReasons: reasons,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
  };
}

/**
 * The tenant fields both rows have: a base plan written before a field existed (e.g. quotas)
 * must not show that field as changed on every tenant.
 */
function sharedFields(
  a: TenantRow,
  b: TenantRow,
): [Record<string, unknown>, Record<string, unknown>] {
  const keys = Object.keys(a).filter((k) => k !== "slug" && k in b);
  const pick = (row: TenantRow) =>
    Object.fromEntries(keys.map((k) => [k, (row as unknown as Record<string, unknown>)[k]]));
  return [pick(a), pick(b)];
}

export function diffTenants(before: TenantRow[], after: TenantRow[]): PlanDiff["tenants"] {
  const old = new Map(before.map((t) => [t.slug, t]));
  const now = new Map(after.map((t) => [t.slug, t]));
  const changed: TenantChange[] = [];
  const renamed = new Set<string>();
  for (const t of after) {
    // A renamed tenant is the same tenant: compared with its row under the former slug.
    const former = old.has(t.slug)
      ? undefined
      : (t.renamedFrom ?? []).find((s) => old.has(s) && !now.has(s));
    const b = old.get(former ?? t.slug);
    if (!b) continue;
    if (former) renamed.add(former);
    const fields = [
      ...(former ? [{ path: "slug", before: former, after: t.slug }] : []),
      ...diffValues(...sharedFields(b, t)).filter((f) => f.path !== "renamedFrom"),
    ];
    if (fields.length) changed.push({ slug: t.slug, fields });
  }
  return {
    added: after.filter(
      (t) => !old.has(t.slug) && !(t.renamedFrom ?? []).some((s) => renamed.has(s)),
    ),
    removed: before.filter((t) => !now.has(t.slug) && !renamed.has(t.slug)),
    changed,
  };
}

/** The engine options shown as changes: lifting protection is what a purge does. */
const OPTION_FIELDS = ["protect", "retainOnDelete"] as const;

function optionChanges(b: PlanResource, r: PlanResource): FieldChange[] {
  return OPTION_FIELDS.filter((k) => b[k] !== r[k]).map((k) => ({
    path: `options.${k}`,
    before: b[k],
    after: r[k],
  }));
}

/**
 * The URN a resource had before a tenant rename, as Pulumi's aliases resolve it: the tenant
 * component's alias names its former name, and a child named `${parent}-<role>` inherits it
 * (@pulumi/pulumi resource.ts, inheritedChildAlias).
 */
export function formerUrns(urn: string, renames: Array<{ from: string; to: string }>): string[] {
  const cut = urn.lastIndexOf("::");
  const head = urn.slice(0, cut + 2);
  const name = urn.slice(cut + 2);
  return renames.flatMap(({ from, to }) => {
    const marker = `-tenant-${to}`;
    const at = name.indexOf(marker);
    const end = at + marker.length;
    if (at < 0 || (end < name.length && name[end] !== "-")) return [];
    return [`${head}${name.slice(0, at)}-tenant-${from}${name.slice(end)}`];
  });
}

/**
 * Inputs with the mock ids of renamed resources put back: the mock runtime derives ids from
 * names, but an aliased resource keeps its id, so whatever refers to it does not change.
 */
function withFormerIds(inputs: Record<string, unknown>, ids: Map<string, string>) {
  if (!ids.size) return inputs;
  let text = JSON.stringify(inputs);
  for (const [now, former] of ids) text = text.split(now).join(former);
  return JSON.parse(text) as Record<string, unknown>;
}

export function diffPlans(before: PlanDocument, after: PlanDocument): PlanDiff {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const renames = after.tenants.flatMap((t) =>
    (t.renamedFrom ?? []).map((from) => ({ from, to: t.slug })),
  );
  const pairs = after.resources.map((r) => {
    const formerUrn = old.has(r.urn) ? r.urn : formerUrns(r.urn, renames).find((u) => old.has(u));
    return { r, b: formerUrn ? old.get(formerUrn) : undefined };
  });
  // Mock ids hash `type/name` (resource ids) or the name (random values): map both.
  const ids = new Map(
    pairs
      .filter(({ r, b }) => b && b.name !== r.name)
      .flatMap(({ r, b }) => [
        [fakeId(`${r.type}/${r.name}`), fakeId(`${b!.type}/${b!.name}`)] as const,
        [fakeId(r.name), fakeId(b!.name)] as const,
      ]),
  );
  const matched = new Set<string>();
  const resources: PlanDiff["resources"] = { create: [], update: [], replace: [], delete: [] };
  for (const { r, b } of pairs) {
    if (!b) {
      resources.create.push(change(r));
      continue;
    }
    matched.add(b.urn);
    const inputChanges = diffValues(
      withoutIgnored(b.inputs),
      withoutIgnored(withFormerIds(r.inputs, ids)),
    );
    const changes = [...inputChanges, ...optionChanges(b, r)];
    if (!changes.length) continue;
    const reasons = replaceReasons(
      r.type,
      inputChanges.map((c) => c.path),
    );
    (reasons.length ? resources.replace : resources.update).push(change(r, changes, reasons));
  }
  for (const r of before.resources) if (!matched.has(r.urn)) resources.delete.push(change(r));
  return { stack: after.stack, tenants: diffTenants(before.tenants, after.tenants), resources };
}

/** Deletes and replaces: what needs extra review in production. */
export function destructiveChanges(diff: PlanDiff): ResourceChange[] {
  return [...diff.resources.delete, ...diff.resources.replace].filter(
    (r) => r.type !== "pulumi:pulumi:Stack",
  );
}
