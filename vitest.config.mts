import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "policies/node_modules/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Pulumi's mock runtime is process-global state: one test file per worker process.
    pool: "forks",
    // Vitest's default on 2 cores is one worker (cores - 1), so files ran one after another;
    // most tests wait on child processes and loopback servers, so two workers halve the run.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
