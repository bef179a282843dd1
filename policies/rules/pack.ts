/**
 * The list of Dezky policies, built from the few things they need from outside: the stack name
 * and the cell facts. Used by the pack entry (../index.ts) and by evaluatePolicies.
 */
import type { Policies } from "@pulumi/policy";
import { backupStorageBoxes } from "./backups";
import { cellCapacity } from "./capacity";
import { costCeiling, type PriceFn } from "./cost";
import { productionDataProtected } from "./data-safety";
import { type FactsSource, NO_FACTS } from "./facts";
import { mailDomainRecords } from "./mail";
import { noPublicAdminPorts } from "./exposure";
import { euDataResidency } from "./residency";
import { noPlaintextSecrets } from "./secrets";
import { tenantIsolation } from "./tenant-isolation";
import { typedDynamicResources } from "./typed-dynamic";
import { versionsPinned } from "./versions";

export interface PackOptions {
  /** The stack being checked (pulumi.getStack() in the pack). */
  stack: () => string;
  facts?: FactsSource;
  /** Pricing for the cost rule (the scripts/ price table when it lands). */
  price?: PriceFn;
}

export function dezkyPolicies(options: PackOptions): Policies {
  const facts = options.facts ?? NO_FACTS;
  return [
    euDataResidency,
    backupStorageBoxes(facts),
    noPublicAdminPorts,
    productionDataProtected(options.stack, facts),
    tenantIsolation,
    mailDomainRecords,
    versionsPinned,
    noPlaintextSecrets,
    typedDynamicResources,
    costCeiling({ facts, price: options.price }),
    cellCapacity(facts),
  ];
}
