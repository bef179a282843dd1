import { beforeAll, describe, expect, it } from "vitest";
import { runStackUnderMocks, type Inventory } from "../../scripts/lib/mock-run";
import { environmentFor } from "../../stacks/environments";
import { stackDomains } from "../../stacks/program";
import { loadTenants } from "../../tenants/load";
import type { Tenant } from "../../tenants/schema";
import { expectCell, expectTenant } from "./expectations";

const env = environmentFor("staging");
let inventory: Inventory;
let tenants: Tenant[];

beforeAll(async () => {
  tenants = await loadTenants("staging", stackDomains());
  inventory = await runStackUnderMocks("staging");
}, 300_000);

describe("stack staging", () => {
  it("builds the whole cell", () => {
    expectCell(inventory, tenants);
    expect(inventory.resources.filter((r) => r.type === "hcloud:index/server:Server")).toHaveLength(
      env.host.kind === "cloud" ? 1 : 0,
    );
  });

  it("registers exactly each tenant's resources, behind the API readiness gates", () => {
    expect(tenants.length).toBeGreaterThan(0);
    for (const tenant of tenants) expectTenant(inventory, env.cell, tenant);
  });
});
