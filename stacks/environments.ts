/**
 * The known stacks and their environment files. A tenant placed under tenants/<stack>/ must
 * name one of these; a new cell is a new file here.
 */
import dev from "./dev";
import prod from "./prod";
import type { Environment } from "./schema";
import staging from "./staging";

const environments: Record<string, Environment> = { dev, staging, prod };

export const STACKS = Object.keys(environments);

/** The environment of a stack; an unknown stack is a clear error naming the known ones. */
export function environmentFor(stack: string): Environment {
  const env = environments[stack];
  if (!env) {
    throw new Error(
      `Unknown stack "${stack}": known stacks are ${STACKS.join(", ")}; add stacks/${stack}.ts and register it in stacks/environments.ts`,
    );
  }
  return env;
}
