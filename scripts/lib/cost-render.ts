/** Markdown and text renderings of cost reports (Infracost-style tables). */
import type { CostDiff, CostReport } from "./cost";

export function eur(n: number | undefined): string {
  return n === undefined ? "-" : `${n.toFixed(2)} EUR`;
}

export function signedEur(n: number): string {
  return `${n > 0 ? "+" : n < 0 ? "-" : "±"}${Math.abs(n).toFixed(2)} EUR`;
}

/** The stack's monthly cost as a markdown table. */
export function renderCostMarkdown(report: CostReport): string {
  const rows = report.lines.map(
    (l) =>
      `| ${l.resource} | ${l.item} | ${l.monthlyEur === undefined ? "not priced" : eur(l.monthlyEur)} | ${l.note ?? ""} |`,
  );
  return [
    "| resource | item | monthly | note |",
    "| --- | --- | ---: | --- |",
    ...rows,
    `| **total** | | **${eur(report.totalEur)}** | net list prices of ${report.priceDate} |`,
  ].join("\n");
}

/** The stack's monthly cost as plain text. */
export function renderCostText(report: CostReport): string {
  const width = Math.max(8, ...report.lines.map((l) => `${l.resource} ${l.item}`.length));
  const rows = report.lines.map(
    (l) =>
      `  ${`${l.resource} ${l.item}`.padEnd(width)}  ${(l.monthlyEur === undefined ? "not priced" : eur(l.monthlyEur)).padStart(12)}${l.note ? `  (${l.note})` : ""}`,
  );
  return [
    `Monthly cost (net list prices of ${report.priceDate}, re-verify): ${eur(report.totalEur)}`,
    ...rows,
  ].join("\n");
}

/** The PR view: headline sentence plus resource | before | after | diff. */
export function renderCostDiffMarkdown(diff: CostDiff): string {
  const headline =
    diff.diffEur === 0
      ? `Monthly cost unchanged: **${eur(diff.afterEur)}**`
      : `Monthly cost ${diff.diffEur > 0 ? "increases" : "decreases"} by **${signedEur(diff.diffEur)}** (${eur(diff.beforeEur)} → ${eur(diff.afterEur)})`;
  const rows = diff.rows.map(
    (r) =>
      `| ${r.resource} ${r.item} | ${eur(r.before)} | ${eur(r.after)} | ${signedEur(r.diff)} |`,
  );
  return [
    headline,
    "",
    "| resource | before | after | diff |",
    "| --- | ---: | ---: | ---: |",
    ...rows,
    `| **total** | **${eur(diff.beforeEur)}** | **${eur(diff.afterEur)}** | **${signedEur(diff.diffEur)}** |`,
  ].join("\n");
}
