/**
 * One ownership-marker vocabulary. Every object the program creates says who manages it
 * ("dezky"), and for whom: a tenant (with, where a tenant has several, the space or department
 * key), the cell, or the platform. Each medium writes that vocabulary as it can:
 * - a text tag appended to a description (OCIS spaces, Stalwart domains, roles and accounts):
 *   `[dezky:tenant=acme;space=main]`, `[dezky:tenant=acme]`, `[dezky:platform]`;
 * - labels (Authentik group attributes; S3 buckets: the JSON object `.dezky/owner.json`,
 *   as Hetzner has no bucket tags): `dezky.io/managed-by: dezky`, `dezky.io/tenant`,
 *   `dezky.io/department`, `dezky.io/cell`;
 * - a name prefix where nothing else fits (Robot firewall rules allow only letters, space and
 *   `. - + _ @` in names): `dezky.`.
 * Objects written by older versions carry older forms (`[dezky:acme]`, `[dezky-platform]`,
 * `dezky_tenant`/`dezky_managed_by: dezky-infra`, `dezky.io/managed-by: dezky-pulumi`); the
 * parsers accept them, and an object keeps its older form until its marker is next written.
 */

export const MANAGED_BY = "dezky";

/** Who an object belongs to. */
export interface Owner {
  /** Tenant slug; absent for platform or cell objects. */
  tenant?: string;
  /** Within a tenant: the space key or department slug the object stands for. */
  space?: string;
  department?: string;
  /** The cell (stack) that owns a cell-wide object, e.g. a bucket. */
  cell?: string;
  /** A platform object (not a tenant's). */
  platform?: boolean;
}

const FIELDS = ["tenant", "space", "department", "cell"] as const;

/** `[dezky:tenant=acme;space=main]`, `[dezky:platform]`. */
export function textTag(owner: Owner): string {
  if (owner.platform) return `[${MANAGED_BY}:platform]`;
  const parts = FIELDS.filter((f) => owner[f] !== undefined).map((f) => `${f}=${owner[f]}`);
  return `[${MANAGED_BY}:${parts.join(";")}]`;
}

const TAG = /\s*\[dezky(?::([^\]]*)|-platform)\]\s*$/;

/** Splits a description into the operator's text and the owner its tag names (if any). */
export function readTextTag(stored: unknown): { text?: string; owner?: Owner } {
  if (typeof stored !== "string") return {};
  const m = TAG.exec(stored);
  if (!m) return { text: stored === "" ? undefined : stored };
  const text = stored.slice(0, m.index) || undefined;
  const body = m[1];
  if (body === undefined || body === "platform") return { text, owner: { platform: true } };
  const owner: Owner = {};
  if (!body.includes("=")) {
    // Older form: `[dezky:<tenant>]`.
    if (/^[a-z0-9][a-z0-9-]*$/.test(body)) owner.tenant = body;
    return { text, owner };
  }
  for (const part of body.split(";")) {
    const [key, value] = part.split("=");
    if ((FIELDS as readonly string[]).includes(key) && value)
      owner[key as (typeof FIELDS)[number]] = value;
  }
  return { text, owner };
}

/** The description to store: the operator's text, then the tag. */
export function withTextTag(text: string | undefined, owner: Owner): string {
  const tag = textTag(owner);
  return text ? `${text} ${tag}` : tag;
}

/** Whether two owners are the same (every field equal; unset equals unset). */
export function sameOwner(a: Owner | undefined, b: Owner): boolean {
  if (!a) return false;
  return (
    Boolean(a.platform) === Boolean(b.platform) &&
    FIELDS.every((f) => (a[f] ?? "") === (b[f] ?? ""))
  );
}

export const LABEL_PREFIX = "dezky.io/";
const LABEL = {
  managedBy: `${LABEL_PREFIX}managed-by`,
  tenant: `${LABEL_PREFIX}tenant`,
  department: `${LABEL_PREFIX}department`,
  space: `${LABEL_PREFIX}space`,
  cell: `${LABEL_PREFIX}cell`,
} as const;

/** Older label forms, still recognised. */
const LEGACY_LABELS = {
  managedBy: ["dezky_managed_by"],
  managedByValues: ["dezky-infra", "dezky-pulumi"],
  tenant: ["dezky_tenant"],
  department: ["dezky_department"],
};

/** Labels naming the owner (Authentik attributes, S3 tags). */
export function ownerLabels(owner: Owner): Record<string, string> {
  const labels: Record<string, string> = { [LABEL.managedBy]: MANAGED_BY };
  for (const f of FIELDS) if (owner[f] !== undefined) labels[LABEL[f]] = owner[f]!;
  return labels;
}

/** The owner labels name (undefined when not managed by us), in any known form. */
export function readOwnerLabels(labels: Record<string, unknown> | undefined): Owner | undefined {
  if (!labels) return undefined;
  const get = (key: string, legacy: string[] = []) =>
    [key, ...legacy].map((k) => labels[k]).find((v) => typeof v === "string") as string | undefined;
  const managedBy = get(LABEL.managedBy, LEGACY_LABELS.managedBy);
  if (managedBy !== MANAGED_BY && !LEGACY_LABELS.managedByValues.includes(managedBy ?? "")) {
    return undefined;
  }
  const owner: Owner = {};
  const tenant = get(LABEL.tenant, LEGACY_LABELS.tenant);
  const department = get(LABEL.department, LEGACY_LABELS.department);
  const space = get(LABEL.space);
  const cell = get(LABEL.cell);
  if (tenant) owner.tenant = tenant;
  if (department) owner.department = department;
  if (space) owner.space = space;
  if (cell) owner.cell = cell;
  return owner;
}

const OWNER_LABEL_KEYS = new Set<string>([
  ...Object.values(LABEL),
  ...LEGACY_LABELS.managedBy,
  ...LEGACY_LABELS.tenant,
  ...LEGACY_LABELS.department,
]);

/** Whether a label key is an ownership label (current or older form), replaced on write. */
export function isOwnerLabel(key: string): boolean {
  return OWNER_LABEL_KEYS.has(key);
}

/** Robot firewall rule names start with this (the only marker Robot's charset allows). */
export const NAME_PREFIX = `${MANAGED_BY}.`;
