/**
 * What the inventory of a stack must contain, computed from its environment and tenant files
 * (not from a snapshot): the cell's building blocks and, per tenant, exactly the resources the
 * tenant file implies, under the right parents and behind the API readiness gates.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Inventory,
  type InventoryResource,
  runStackUnderMocks,
} from "../../scripts/lib/mock-run";
import { environmentFor } from "../../stacks/environments";
import { stackDomains } from "../../stacks/program";
import { loadTenants } from "../../tenants/load";
import { MAIL_RRSET_LAYOUT } from "../../components/tenant/mail-layout";
import type { Tenant } from "../../tenants/schema";

const DYNAMIC = "pulumi-nodejs:dynamic/";

/** Counts per type of the custom resources one tenant must register. */
export function expectedTenantCounts(
  tenant: Tenant,
  withCertificate: boolean,
): Record<string, number> {
  const departments = tenant.departments.length;
  const managedDomains = 1 + tenant.mailDomains.filter((d) => d.dns === "hetzner").length;
  const counts: Record<string, number> = {
    [`${DYNAMIC}authentik:Group`]: 1 + departments,
    [`${DYNAMIC}authentik:OAuth2Provider`]: 1,
    [`${DYNAMIC}authentik:Application`]: 1,
    [`${DYNAMIC}ocis:Group`]: 1 + departments,
    [`${DYNAMIC}ocis:Space`]: tenant.spaces.length,
    [`${DYNAMIC}ocis:SpaceMember`]: tenant.spaces.length,
    [`${DYNAMIC}stalwart:MailDomain`]: 1 + tenant.mailDomains.length,
    [`${DYNAMIC}stalwart:MailDomainRecords`]: 1 + tenant.mailDomains.length,
    // The subdomain's A record (no AAAA: docs/ipv6.md) and the managed mail record sets.
    "hcloud:index/zoneRrset:ZoneRrset": 1 + managedDomains * MAIL_RRSET_LAYOUT.length,
  };
  const delegated = tenant.mailDomains.filter((d) => d.dns === "hetzner").length;
  if (delegated > 0) counts["hcloud:index/zone:Zone"] = delegated;
  if (tenant.customDomain && withCertificate) {
    counts["kubernetes:cert-manager.io/v1:Certificate"] = 1;
    counts["kubernetes:networking.k8s.io/v1:Ingress"] = 1;
  }
  return counts;
}

function descendants(inventory: Inventory, urn: string): InventoryResource[] {
  const direct = inventory.resources.filter((r) => r.parent === urn);
  return direct.flatMap((r) => [r, ...descendants(inventory, r.urn)]);
}

function countByType(resources: InventoryResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources.filter((x) => x.custom)) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

/** Asserts the tenant's subtree: exact resources, parents, readiness dependencies. */
export function expectTenant(inventory: Inventory, cell: string, tenant: Tenant): void {
  const root = inventory.resources.find(
    (r) => r.type === "dezky:tenant:Tenant" && r.name === `${cell}-tenant-${tenant.slug}`,
  );
  expect(root, `Tenant component for ${tenant.slug}`).toBeDefined();
  const subtree = descendants(inventory, root!.urn);
  expect(countByType(subtree)).toEqual(expectedTenantCounts(tenant, true));
  // Sub-components: identity, files, mail (and the custom portal domain) under the tenant.
  const parts = subtree
    .filter((r) => r.parent === root!.urn && !r.custom)
    .map((r) => r.type)
    .sort();
  const expectedParts = [
    // Protected like the data: removing a live tenant's file deletes nothing (data-guard.ts).
    "dezky:tenant:DataGuard",
    "dezky:tenant:TenantFiles",
    "dezky:tenant:TenantIdentity",
    "dezky:tenant:TenantMail",
  ];
  if (tenant.customDomain) expectedParts.push("dezky:tenant:TenantCustomDomain");
  expect(parts).toEqual(expectedParts.sort());
  // The guard stands before every sub-component and the subdomain's address records.
  const guard = subtree.find((r) => r.type === "dezky:tenant:DataGuard")!;
  const before = subtree.filter(
    (r) =>
      r.parent === root!.urn &&
      r.type !== "dezky:tenant:DataGuard" &&
      (!r.custom || r.name.includes("-subdomain-")),
  );
  expect(before.length).toBeGreaterThanOrEqual(4);
  for (const r of before) expect(guard.dependsOn, `the guard waits for ${r.name}`).toContain(r.urn);
  // Every API call waits for its API: dynamic resources depend on the matching readiness gate.
  const gates = new Map(
    inventory.resources
      .filter((r) => r.type === `${DYNAMIC}readiness:ApiReadiness`)
      .map((r) => [String(r.inputs.service).toLowerCase(), r.urn]),
  );
  // ...and is registered with that service's API connection (its credential), nothing else.
  const connections = new Map(
    inventory.resources
      .filter((r) => r.type === "pulumi:providers:pulumi-nodejs")
      .map((r) => [r.urn, String(r.inputs["dezky:service"])]),
  );
  for (const r of subtree.filter((x) => x.type.startsWith(DYNAMIC))) {
    const service = r.type.slice(DYNAMIC.length).split(":")[0];
    expect(r.dependsOn, `${r.name} waits for ${service}`).toContain(gates.get(service));
    expect(connections.get(r.provider ?? ""), `${r.name}'s connection`).toBe(service);
    expect(Object.keys(r.inputs), `${r.name} carries no credential`).not.toContain("connection");
  }
}

/** The cell's building blocks: one of each component the stack must have. */
export function expectCell(inventory: Inventory, tenants: Tenant[]): void {
  const types = new Set(inventory.resources.map((r) => r.type));
  for (const type of [
    "dezky:cell:Cell",
    "dezky:k3s:K3s",
    "dezky:platform:Platform",
    "hcloud:index/storageBox:StorageBox",
    "hcloud:index/zone:Zone",
    `${DYNAMIC}s3:Bucket`,
    `${DYNAMIC}readiness:ApiReadiness`,
    "kubernetes:helm.sh/v3:Release",
  ]) {
    expect(types, `inventory contains ${type}`).toContain(type);
  }
  expect(inventory.resources.filter((r) => r.type === "dezky:tenant:Tenant")).toHaveLength(
    tenants.length,
  );
  expect(Object.keys(inventory.outputs.tenants as Record<string, unknown>).sort()).toEqual(
    tenants.map((t) => t.slug).sort(),
  );
}

/** The whole stack test: one mock run of the stack (one per test file), then both checks. */
export function describeStack(stack: string): void {
  const env = environmentFor(stack);
  let inventory: Inventory;
  let tenants: Tenant[];

  beforeAll(async () => {
    tenants = await loadTenants(stack, stackDomains());
    inventory = await runStackUnderMocks(stack);
  }, 300_000);

  describe(`stack ${stack}`, () => {
    it("builds the whole cell", () => {
      expectCell(inventory, tenants);
      const servers = inventory.resources.filter((r) => r.type === "hcloud:index/server:Server");
      expect(servers).toHaveLength(env.host.kind === "cloud" ? 1 : 0);
    });

    it("registers exactly each tenant's resources, behind the API readiness gates", () => {
      expect(tenants.length).toBeGreaterThan(0);
      for (const tenant of tenants) expectTenant(inventory, env.cell, tenant);
    });
  });
}
