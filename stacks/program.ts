/**
 * The program for one stack: environment + tenants of the stack -> one Cell. Shared by the
 * Pulumi entry point (stacks/index.ts) and the offline plan and tests (test/support/harness.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { Cell } from "../components/cell";
import { loadTenants } from "../tenants/load";
import { environmentFor, STACKS } from "./environments";
import type { Environment } from "./schema";
import { readStackSecrets } from "./secrets";

/** Platform domain per known stack, for tenant validation. */
export function stackDomains(): Record<string, string> {
  return Object.fromEntries(STACKS.map((s) => [s, environmentFor(s).domain]));
}

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
  const env = options.env ?? environmentFor(stack);
  const tenants = await loadTenants(stack, stackDomains(), options.tenantsRoot);
  const cell = new Cell(env.cell, { env, tenants, secrets: readStackSecrets(env) });
  return cell.stackOutputs();
}
