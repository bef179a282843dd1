/**
 * How scripts that run the program are started in a child process: plain Node with
 * register-typescript.cjs, i.e. compiled as `pulumi up` compiles it (see that file for why).
 */
import * as path from "node:path";

export const TS_REGISTER = path.join(__dirname, "register-typescript.cjs");

/** Heap for a program run: a 1000-tenant stack peaks near 8 GiB under the mock runtime. */
export const PLAN_HEAP_MB = 12288;

/** Node arguments that run a .ts script with the project's TypeScript compiler. */
export function tsNodeArgs(script: string, ...args: string[]): string[] {
  return [`--max-old-space-size=${PLAN_HEAP_MB}`, "-r", TS_REGISTER, script, ...args];
}
