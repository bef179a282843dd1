/**
 * The program for a cell with a given list of tenants, in a child process (Pulumi's runtime
 * state is global: one run per process). The plan's fast path runs the cell with only the
 * tenants a change touches, once per side, both children at the same time.
 *
 *   node -r register-typescript.cjs plan-partial.ts <request.json> <inventory.json>
 *
 * The request holds the stack, its environment and the tenants (already checked with the whole
 * configuration, their purge already judged); the child loads no configuration from disk.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import type { Environment } from "../../stacks/schema";
import type { Tenant } from "../../tenants/schema";
import type { Inventory } from "./mock-run";
import { tsNodeArgs } from "./ts-runner";

export interface PartialRequest {
  stack: string;
  env: Environment;
  tenants: Tenant[];
}

/** Runs one partial program in a child; resolves with its inventory. */
export function runPartial(
  request: PartialRequest,
  dir: string,
  label: string,
): Promise<Inventory> {
  const requestFile = `${dir}/${label}-request.json`;
  const inventoryFile = `${dir}/${label}-inventory.json`;
  fs.writeFileSync(requestFile, JSON.stringify(request));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsNodeArgs(__filename, requestFile, inventoryFile), {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`the ${label} program failed (exit ${code}):\n${stderr.trim()}`));
        return;
      }
      resolve(JSON.parse(fs.readFileSync(inventoryFile, "utf8")) as Inventory);
    });
  });
}

async function main(requestFile: string, inventoryFile: string): Promise<void> {
  const request = JSON.parse(fs.readFileSync(requestFile, "utf8")) as PartialRequest;
  const { runStackUnderMocks } = await import("./mock-run");
  const inventory = await runStackUnderMocks(request.stack, {
    env: request.env,
    tenants: request.tenants,
  });
  fs.writeFileSync(inventoryFile, JSON.stringify(inventory));
}

if (require.main === module) {
  const [requestFile, inventoryFile] = process.argv.slice(2);
  main(requestFile, inventoryFile).then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
