/**
 * The whole configuration, checked at once before any resource is registered: every environment
 * file and every tenant file, type-checked together, then each on its own, then across files
 * and stacks. One ConfigurationError lists every problem of both kinds.
 */
import { listTenantFiles, readTenantFiles, tenantsRoot } from "../tenants/load";
import { type ValidTenant, validateTenantFiles } from "../tenants/validate";
import {
  type Environments,
  inspectEnvironments,
  listEnvironmentFiles,
  rememberEnvironments,
  stacksDir,
} from "./environments";
import { ConfigurationError, isConfigurationError } from "./issues";
import { typeCheckProblems } from "./typecheck";

export interface Configuration extends Environments {
  tenants: ValidTenant[];
}

export interface ConfigurationOptions {
  stacksDir?: string;
  tenantsRoot?: string;
}

/** Loads and checks everything; throws a ConfigurationError listing every problem. */
export async function loadConfiguration(
  options: ConfigurationOptions = {},
): Promise<Configuration> {
  const envDir = options.stacksDir ?? stacksDir();
  const tenantDir = options.tenantsRoot ?? tenantsRoot();
  // One TypeScript program for both kinds of file: zod's types are loaded once.
  const typeErrors = typeCheckProblems([
    ...listEnvironmentFiles(envDir).files,
    ...listTenantFiles(tenantDir).files,
  ]);
  const envs = inspectEnvironments(envDir, typeErrors);
  if (!envs.problems.length)
    rememberEnvironments(envDir, { byStack: envs.byStack, order: envs.order });
  const read = await readTenantFiles(tenantDir, { typeErrors });
  const problems = [...envs.problems, ...read.problems];
  let tenants: ValidTenant[] = [];
  const domains = Object.fromEntries(envs.order.map((s) => [s, envs.byStack.get(s)!.env.domain]));
  try {
    tenants = validateTenantFiles(read.files, domains, { brokenStacks: envs.broken });
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length) throw new ConfigurationError(problems);
  return { byStack: envs.byStack, order: envs.order, tenants };
}

const loaded = new Map<string, Promise<Configuration>>();

/** loadConfiguration once per process and folders (the plan and the program share it). */
export function loadConfigurationOnce(options: ConfigurationOptions = {}): Promise<Configuration> {
  const key = `${options.stacksDir ?? stacksDir()}|${options.tenantsRoot ?? tenantsRoot()}`;
  let result = loaded.get(key);
  if (!result) {
    result = loadConfiguration(options);
    loaded.set(key, result);
  }
  return result;
}
