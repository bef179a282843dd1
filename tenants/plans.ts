/**
 * The plan catalogue. Quotas are what a tenant may claim; prices feed the cost report.
 */
export interface Plan {
  /** Storage the tenant's spaces may add up to, in GB. */
  storageGb: number;
  /** Mailboxes included. */
  mailboxes: number;
  /** Project spaces (main + departments). */
  maxSpaces: number;
  /** Mail domains (the tenant subdomain is always included on top). */
  maxMailDomains: number;
  /**
   * Shortest retention after offboarding, in days: retainUntil must be at least this far after
   * the change that offboards the tenant (the contract may ask for longer).
   */
  minRetentionDays: number;
}

export const PLANS = {
  starter: {
    storageGb: 100,
    mailboxes: 10,
    maxSpaces: 2,
    maxMailDomains: 1,
    minRetentionDays: 30,
  },
  business: {
    storageGb: 500,
    mailboxes: 50,
    maxSpaces: 6,
    maxMailDomains: 3,
    minRetentionDays: 90,
  },
  enterprise: {
    storageGb: 2000,
    mailboxes: 250,
    maxSpaces: 20,
    maxMailDomains: 10,
    minRetentionDays: 180,
  },
} as const satisfies Record<string, Plan>;

export type PlanName = keyof typeof PLANS;
export const PLAN_NAMES = Object.keys(PLANS) as PlanName[];
