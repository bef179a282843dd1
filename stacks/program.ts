/**
 * The program for one stack: environment + tenants of the stack -> one Cell. Shared by the
 * Pulumi entry point (stacks/index.ts) and the offline plan and tests (test/support/harness.ts).
 * The whole configuration (every environment and tenant file) is checked before the first
 * resource is registered; a problem stops the run with its message alone, no stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cell } from "../components/cell";
import { tenantsOf } from "../tenants/load";
import { loadConfiguration } from "./configuration";
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
}

export async function program(
  stack: string = pulumi.getStack(),
  options: ProgramOptions = {},
): Promise<Record<string, unknown>> {
  let env: Environment;
  let tenants;
  try {
    const config = await loadConfiguration({ tenantsRoot: options.tenantsRoot });
    env = options.env ?? environmentFor(stack);
    tenants = tenantsOf(config.tenants, stack);
  } catch (error) {
    // Pulumi prints a RunError's message alone, without the program's stack trace.
    if (isConfigurationError(error)) throw new pulumi.RunError(error.message);
    throw error;
  }
  const cell = new Cell(env.cell, { env, tenants, secrets: readStackSecrets(env) });
  return cell.stackOutputs();
}
