// The engine suite (npm run test:engine): the real Pulumi CLI from tools/bin on the engine
// project. One file, steps in order, each step a CLI run: long timeouts, no parallelism.
// Run from the repository root (npm run test:engine).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/engine/**/*.engine.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: false,
    reporters: ["verbose"],
  },
});
