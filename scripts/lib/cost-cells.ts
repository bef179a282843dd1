/**
 * The monthly cost across cells: one row per stack (from each stack's own cost report) and the
 * total, for `npm run cost -- --all`. Pure; the reports come from one child process per stack
 * (Pulumi's mock runtime is one program per process).
 */
import type { CostReport } from "./cost";
import { eur } from "./cost-render";

export interface CellCost {
  stack: string;
  production: boolean;
  report: CostReport;
}

export interface CellsCost {
  cells: CellCost[];
  totalEur: number;
  productionEur: number;
  unpriced: number;
  priceDates: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function cellsCost(cells: CellCost[]): CellsCost {
  return {
    cells,
    totalEur: round2(cells.reduce((sum, c) => sum + c.report.totalEur, 0)),
    productionEur: round2(
      cells.filter((c) => c.production).reduce((sum, c) => sum + c.report.totalEur, 0),
    ),
    unpriced: cells.reduce((sum, c) => sum + c.report.unpriced.length, 0),
    priceDates: [...new Set(cells.map((c) => c.report.priceDate))],
  };
}

function rows(c: CellsCost): string[][] {
  return c.cells.map((cell) => [
    cell.stack,
    cell.production ? "production" : "",
    eur(cell.report.totalEur),
    cell.report.unpriced.length ? `${cell.report.unpriced.length} not priced` : "",
  ]);
}

function footer(c: CellsCost): string {
  return `${c.cells.length} stack(s); production cells ${eur(c.productionEur)} per month; net list prices of ${c.priceDates.join(", ")}${c.unpriced ? `; ${c.unpriced} line(s) not priced` : ""}`;
}

export function renderCellsCostMarkdown(c: CellsCost): string {
  return [
    "| stack | kind | monthly | note |",
    "| --- | --- | ---: | --- |",
    ...rows(c).map((r) => `| ${r.join(" | ")} |`),
    `| **total** | | **${eur(c.totalEur)}** | |`,
    "",
    footer(c),
  ].join("\n");
}

export function renderCellsCostText(c: CellsCost): string {
  const width = Math.max(8, ...c.cells.map((cell) => cell.stack.length));
  return [
    `Monthly cost across ${c.cells.length} stack(s): ${eur(c.totalEur)}`,
    ...rows(c).map(
      ([stack, kind, monthly, note]) =>
        `  ${stack.padEnd(width)}  ${kind.padEnd(10)}  ${monthly.padStart(12)}${note ? `  (${note})` : ""}`,
    ),
    footer(c),
  ].join("\n");
}
