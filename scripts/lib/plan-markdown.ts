/**
 * The PR view of a plan: what changes between a base and the working tree for one stack,
 * as markdown with a hidden marker so a workflow can update one comment per stack.
 */
import { type CostDiff } from "./cost";
import { renderCostDiffMarkdown } from "./cost-render";
import { renderPlanDiagram } from "./plan-diagram";
import type { FieldChange, PlanDiff, ResourceChange } from "./plan-diff";
import type { PlanDocument, TenantRow } from "./plan-render";
import { inScope, type ViewScope, WHOLE_STACK } from "./plan-scope";

export const SECRET_MASK = "[secret]";
/** Input names whose values are never printed, even when the program forgot pulumi.secret. */
const SECRET_NAME = /(password|passphrase|secret|token|privatekey|apikey|credential|connection)/i;

/** The hidden marker of the sticky PR comment for one stack. */
export function commentMarker(stack: string): string {
  return `<!-- dezky-plan:${stack} -->`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function show(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A value for display; secrets and secret-named fields are masked. */
export function maskedValue(path: string, value: unknown): string {
  if (value === undefined) return "(none)";
  if (value === SECRET_MASK || SECRET_NAME.test(path)) return SECRET_MASK;
  return show(value);
}

function fieldList(fields: FieldChange[]): string {
  return fields
    .map((f) => `\`${f.path}\`: ${maskedValue(f.path, f.before)} → ${maskedValue(f.path, f.after)}`)
    .join("; ");
}

function tenantSummary(t: TenantRow): string {
  return `plan ${t.plan}, ${t.status}, ${t.storageGb} GB in ${t.spaces} space(s)${t.mailDomains.length ? `, mail ${t.mailDomains.join(", ")}` : ""}`;
}

export function renderTenantChanges(diff: PlanDiff["tenants"]): string {
  const lines = [
    ...diff.added.map((t) => `- ➕ added \`${t.slug}\` (${tenantSummary(t)})`),
    ...diff.changed.map((c) => `- ✏️ changed \`${c.slug}\`: ${fieldList(c.fields)}`),
    ...diff.removed.map((t) => `- ➖ removed \`${t.slug}\` (${tenantSummary(t)})`),
  ];
  return lines.length ? lines.join("\n") : "No tenant changes.";
}

const OPS = [
  ["create", "➕ create"],
  ["update", "✏️ update"],
  ["replace", "♻️ replace"],
  ["delete", "➖ delete"],
] as const;

function resourceRow(label: string, r: ResourceChange): string {
  const detail =
    r.replaceReasons.length > 0
      ? `${fieldList(r.changes)} (replaced because of ${r.replaceReasons.map((p) => `\`${p}\``).join(", ")})`
      : fieldList(r.changes);
  const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "retained on delete" : ""]
    .filter(Boolean)
    .join(", ");
  return `| ${label} | \`${cell(r.name)}\` | \`${r.type}\` | ${cell(detail)}${flags ? ` _${flags}_` : ""} |`;
}

export function renderResourceChanges(diff: PlanDiff["resources"]): string {
  const rows = OPS.flatMap(([op, label]) => diff[op].map((r) => resourceRow(label, r)));
  if (!rows.length) return "No resource changes.";
  return [
    "| change | resource | type | changed inputs |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

interface DnsRecordRow {
  tenant: string;
  record: Record<string, unknown>;
  isNew: boolean;
}

function dnsRecords(
  doc: PlanDocument,
  scope: ViewScope,
): Array<{ tenant: string; record: Record<string, unknown> }> {
  const tenants = (doc.outputs as { tenants?: Record<string, { dnsRecordsToPublish?: unknown }> })
    .tenants;
  if (!tenants || typeof tenants !== "object") return [];
  const shown = Object.entries(tenants).filter(([tenant]) => inScope(scope, tenant));
  return shown.flatMap(([tenant, out]) => {
    const list = out?.dnsRecordsToPublish;
    return Array.isArray(list)
      ? list.map((record) => ({ tenant, record: record as Record<string, unknown> }))
      : [];
  });
}

/**
 * The records customers publish at their own DNS (from outputs.tenants[slug].dnsRecordsToPublish),
 * of the tenants in scope.
 */
export function renderDnsRecords(
  after: PlanDocument,
  before?: PlanDocument,
  scope: ViewScope = WHOLE_STACK,
): string {
  const seen = new Set((before ? dnsRecords(before, scope) : []).map((r) => JSON.stringify(r)));
  const rows: DnsRecordRow[] = dnsRecords(after, scope).map((r) => ({
    ...r,
    isNew: Boolean(before) && !seen.has(JSON.stringify(r)),
  }));
  if (!rows.length) {
    return scope.all
      ? "No DNS records for customers to publish."
      : "No DNS records for customers to publish for the tenants this change touches.";
  }
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.record)))];
  const header = ["tenant", ...keys, ...(before ? [""] : [])];
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map(
      (r) =>
        `| ${[r.tenant, ...keys.map((k) => cell(r.record[k] === undefined ? "" : String(r.record[k]))), ...(before ? [r.isNew ? "**new**" : ""] : [])].join(" | ")} |`,
    ),
  ].join("\n");
}

export interface MarkdownPlanArgs {
  base: string;
  before: PlanDocument;
  after: PlanDocument;
  diff: PlanDiff;
  cost: CostDiff;
  policies: string;
  production: boolean;
  destructive: ResourceChange[];
  /** What the view reports on (default: the whole stack). */
  scope?: ViewScope;
  /** Which path the plan took (plan-scope.ts pathLine). */
  path?: string;
}

/** Says what a scoped view leaves out. */
function scopeNote(scope: ViewScope): string[] {
  if (scope.all) return [];
  return [
    `_Findings on the cell, on the stack as a whole and on the tenants this change touches; the other ${scope.otherTenants} tenant(s) are unchanged._`,
    "",
  ];
}

export function renderMarkdownPlan(a: MarkdownPlanArgs): string {
  const r = a.diff.resources;
  const t = a.diff.tenants;
  const summary =
    `**${r.create.length}** to create, **${r.update.length}** to update, **${r.replace.length}** to replace, ` +
    `**${r.delete.length}** to delete · tenants: ${t.added.length} added, ${t.changed.length} changed, ${t.removed.length} removed`;
  const warning = a.destructive.length
    ? [
        "",
        `> [!CAUTION]\n> ${a.destructive.length} resource(s) would be deleted or replaced${a.production ? " in the **production** stack: this needs an extra review" : ""}.`,
      ]
    : [];
  const diagram = renderPlanDiagram(a.diff);
  const scope = a.scope ?? WHOLE_STACK;
  return [
    commentMarker(a.diff.stack),
    `### Offline plan for stack \`${a.diff.stack}\` (base \`${a.base}\` → this change)`,
    "",
    ...(a.path ? [a.path, ""] : []),
    summary,
    ...warning,
    ...(diagram ? ["", "#### What this change touches", diagram] : []),
    "",
    "#### Tenants",
    renderTenantChanges(t),
    "",
    "#### Resources",
    renderResourceChanges(r),
    "",
    "#### Policies",
    ...scopeNote(scope),
    a.policies,
    "",
    "#### DNS records customers must publish",
    renderDnsRecords(a.after, a.before, scope),
    "",
    "#### Monthly cost",
    renderCostDiffMarkdown(a.cost),
    "",
    "<sub>Offline plan under Pulumi's mock runtime (no cloud calls); the real `pulumi preview` follows for same-repo PRs. Prices are net list prices to re-verify.</sub>",
  ].join("\n");
}
