/**
 * Facts about the cell that resources do not carry (the adopted host's location and disk, the
 * cost ceiling). The pack entry and evaluatePolicies fill them from the stack's environment; a
 * rule without facts checks what the resources alone can tell.
 */
export interface CellFacts {
  /** Location of the cell's host (also for adopted dedicated hosts, which have no hcloud Server). */
  hostLocation?: string;
  /** Usable disk of the host in GB (capacity check). */
  hostDiskGb?: number;
  /** Advisory monthly cost ceiling in EUR. */
  costCeilingEur?: number;
  /** Monthly costs without a resource of their own (an adopted dedicated host), EUR. */
  fixedMonthlyEur?: number;
  /** Most tenants one cell should carry (capacity check). */
  maxTenants?: number;
  /** The environment's `production` flag: a cell of any name can be a production cell. */
  production?: boolean;
}

/** Read lazily, when a policy runs (the stack is only known then). */
export type FactsSource = () => CellFacts;

export const NO_FACTS: FactsSource = () => ({});
