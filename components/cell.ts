/**
 * Everything one stack deploys: one cell = one host with k3s, its storage and backups, the
 * platform services and the tenants placed on it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../stacks/schema";
import type { StackSecrets } from "../stacks/secrets";
import type { Tenant } from "../tenants/schema";

export const CELL_TYPE = "dezky:cell:Cell";

export interface CellArgs {
  /** The validated environment of this stack. */
  env: Environment;
  /** The validated tenants placed on this stack. */
  tenants: Tenant[];
  /** Secrets from encrypted stack config. */
  secrets: StackSecrets;
}

export class Cell extends pulumi.ComponentResource {
  private readonly outputs: Record<string, unknown>;

  constructor(name: string, args: CellArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CELL_TYPE, name, {}, opts);
    const { env } = args;

    // --- host and k3s (components/host, components/k3s) ---

    // --- object storage and backups (components/storage) ---

    // --- platform services (components/platform) ---

    // --- tenants (components/tenant) ---

    this.outputs = {
      stack: env.stack,
      cell: env.cell,
      domain: env.domain,
    };
    this.registerOutputs(this.outputs);
  }

  /** The stack outputs (documented in docs/outputs.md). */
  stackOutputs(): Record<string, unknown> {
    return this.outputs;
  }
}
