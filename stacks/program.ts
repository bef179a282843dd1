/**
 * The program for one stack: environment + tenants of the stack -> one Cell. Shared by the
 * Pulumi entry point (stacks/index.ts) and the offline plan and tests (test/support/harness.ts).
 * The whole configuration (every environment and tenant file) is checked before the first
 * resource is registered; a problem stops the run with its message alone, no stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cell } from "../components/cell";
import { effectivePurge, today } from "../components/tenant/lifecycle";
import { type TenantState, gitRootOf, tenantStatesAt } from "../tenants/history";
import { tenantsOf } from "../tenants/load";
import type { Tenant } from "../tenants/schema";
import { loadConfigurationOnce } from "./configuration";
import { environmentFor, stackDomains } from "./environments";
import { isConfigurationError } from "./issues";
import type { Environment } from "./schema";
import { readStackSecrets } from "./secrets";

export { stackDomains };

export interface ProgramOptions {
  /** Replaces the stack's environment file (tests of broken environments). */
  env?: Environment;
  /** Folder to read tenant files from instead of tenants/ (benchmarks, tests). */
  tenantsRoot?: string;
  /**
   * The deployed commit the retention rules compare with (default: DEZKY_RETENTION_BASE). A
   * purge takes effect only when that commit already had the tenant offboarded with its
   * retention passed; without it nothing is purged (protect and retainOnDelete stay on).
   */
  retentionBase?: string;
  /**
   * The tenants to place on the cell instead of the stack's tenant files, already checked with
   * the whole configuration and their purge already judged (the plan's fast path runs the cell
   * with only the tenants a change touches). With `env` also given, nothing is loaded from disk.
   */
  tenants?: Tenant[];
}

/** The tenants with purge kept only where the deployed commit allows it. */
export function withDeployedPurge(
  stack: string,
  tenants: Tenant[],
  deployed: Map<string, TenantState> | undefined,
  date: string = today(),
): Tenant[] {
  return tenants.map((t) => {
    if (!t.purge) return t;
    const keys = [t.slug, ...t.renamedFrom].map((s) => `${stack}/${s}`);
    const state = deployed ? keys.map((k) => deployed.get(k)).find(Boolean) : undefined;
    return { ...t, purge: effectivePurge(t, state, date) };
  });
}

function deployedStates(base: string | undefined): Map<string, TenantState> | undefined {
  if (!base) return undefined;
  const root = gitRootOf(__dirname);
  if (!root)
    throw new Error(`retention base ${base} given, but ${__dirname} is not in a git checkout`);
  return tenantStatesAt(root, base);
}

export async function program(
  stack: string = pulumi.getStack(),
  options: ProgramOptions = {},
): Promise<Record<string, unknown>> {
  let env: Environment;
  let tenants: Tenant[];
  try {
    if (options.tenants && options.env) {
      env = options.env;
      tenants = options.tenants;
    } else {
      const config = await loadConfigurationOnce({ tenantsRoot: options.tenantsRoot });
      env = options.env ?? environmentFor(stack);
      const base = options.retentionBase ?? process.env.DEZKY_RETENTION_BASE;
      tenants =
        options.tenants ??
        withDeployedPurge(stack, tenantsOf(config.tenants, stack), deployedStates(base));
    }
  } catch (error) {
    // Pulumi prints a RunError's message alone, without the program's stack trace.
    if (isConfigurationError(error)) throw new pulumi.RunError(error.message);
    throw error;
  }
  const cell = new Cell(env.cell, { env, tenants, secrets: readStackSecrets(env) });
  return cell.stackOutputs();
}
