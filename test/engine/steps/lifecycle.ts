/**
 * A tenant's life through the real engine, each preview checked step by step: added, changed,
 * suspended, offboarded; a tenant file removed while it holds data (refused); purged.
 */
import { readTextTag } from "../../../components/providers/core/markers";
import { expect } from "vitest";
import { type TenantInput, tenantSchema } from "../../../tenants/schema";
import { errorsOf, nameOf } from "../harness/events";
import { expectedResources, tenantResourceName } from "../harness/expected";
import { EngineWorld, PLATFORM_DOMAIN } from "../harness/world";
import { expectSteps, ops } from "./expect";
import { acme, beta } from "./tenants";

/** Deploys with a preview and checks both against the same expected steps. */
async function deployExpecting(world: EngineWorld, label: string, expected: string[]) {
  const result = await world.deploy(label);
  EngineWorld.expectSuccess(result, label);
  expectSteps(result.planned, expected, `${label}: the preview`, { soft: true });
  expectSteps(result.applied, expected, `${label}: the up`, { soft: true });
  return result;
}

export async function addTenant(world: EngineWorld): Promise<void> {
  world.tenants.write(beta);
  await deployExpecting(
    world,
    "add tenant beta",
    expectedResources(beta, PLATFORM_DOMAIN).map((n) => `create ${n}`),
  );
  expect(world.apis.dns.objects.has("zones/beta-handwerk.de")).toBe(true);
}

/** acme after the change step: a branding description, a bigger finance space. */
const acmeChanged = (): TenantInput => ({
  ...acme,
  branding: { ...acme.branding, description: "Tools for Acme" },
  spaces: acme.spaces.map((s) => (s.key === "finance" ? { ...s, quotaGb: 30 } : s)),
});

export async function changeTenant(world: EngineWorld): Promise<void> {
  world.tenants.write(acmeChanged());
  await deployExpecting(world, "change tenant acme", [
    ...ops("update", "acme", "identity-app", "files-space-finance"),
  ]);
  expect(world.apis.ocis.drivesNamed("Finance")[0].quotaTotal).toBe(30 * 1024 ** 3);
}

export async function suspendTenant(world: EngineWorld): Promise<void> {
  world.tenants.write({ ...acmeChanged(), status: "suspended" });
  await deployExpecting(world, "suspend tenant acme", [
    ...ops("update", "acme", "identity-app", "files-space-main", "files-space-finance"),
  ]);
  const drives = [
    ...world.apis.ocis.drivesNamed("Acme"),
    ...world.apis.ocis.drivesNamed("Finance"),
  ];
  expect(drives.map((d) => d.disabled)).toEqual([true, true]);
}

const RETAIN_UNTIL = "2027-06-30";

export async function offboardTenant(world: EngineWorld): Promise<void> {
  world.tenants.write({ ...acmeChanged(), status: "offboarded", retainUntil: RETAIN_UNTIL });
  await deployExpecting(world, "offboard tenant acme", [
    ...ops("update", "acme", "files-space-main", "files-space-finance"),
    ...ops("update", "acme", "mail-acme-dezky-test", "mail-acme-de"),
  ]);
  // Offboarding keeps every object that holds data.
  expect(world.apis.ocis.drivesNamed("Acme")).toHaveLength(1);
  expect(world.apis.stalwart.registry.domains.size).toBe(4);
}

/** The data-bearing objects of a tenant that the simulators still hold. */
function dataOf(world: EngineWorld, tenant: TenantInput): string[] {
  const { ocis, stalwart, dns } = world.apis;
  const zones = tenantSchema
    .parse(tenant)
    .mailDomains.filter((d) => d.dns === "hetzner")
    .map((d) => `zones/${d.name}`);
  return [
    ...tenant.spaces.flatMap((s) => ocis.drivesNamed(s.name).map(() => `space ${s.name}`)),
    ...[...stalwart.registry.domains.values()]
      .filter((d) => readTextTag(d.description).owner?.tenant === tenant.slug)
      .map((d) => `mail domain ${String(d.name)}`),
    ...zones.filter((z) => dns.objects.has(z)).map((z) => `zone ${z}`),
  ].sort();
}

export async function removingALiveTenantIsRefused(world: EngineWorld): Promise<void> {
  const before = dataOf(world, beta);
  expect(before.length, "beta holds data before the removal").toBeGreaterThan(0);
  world.tenants.remove("beta");
  const result = await world.up("remove the file of active tenant beta");
  const deleted = result.applied
    .filter((s) => s.op === "delete")
    .map((s) => `delete ${nameOf(s.urn)}`);
  world.log(`[engine] the refused removal deleted first: ${deleted.length} objects`);
  expect.soft(result.code, "the engine must refuse to delete protected data").not.toBe(0);
  expect
    .soft(errorsOf(result.events).join("\n"))
    .toMatch(/cannot be deleted\s+because it is protected/);
  expect.soft(dataOf(world, beta), "beta's data must still exist").toEqual(before);

  // The operator puts the file back: the next up recreates exactly what was deleted.
  world.tenants.write(beta);
  const restore = await world.up("put the file of tenant beta back");
  EngineWorld.expectSuccess(restore, "the up that restores tenant beta");
  const recreated = restore.applied
    .filter((s) => s.op === "create")
    .map((s) => `delete ${nameOf(s.urn)}`);
  expect
    .soft(recreated.sort(), "the restore recreates what the refused removal deleted")
    .toEqual([...deleted].sort());
  expectSteps(
    result.applied.filter((s) => s.op === "delete"),
    [],
    "removing the file of a tenant that holds data must delete nothing before the engine refuses",
  );
}

export async function purgeTenant(world: EngineWorld): Promise<void> {
  world.tenants.write({
    ...acmeChanged(),
    status: "offboarded",
    retainUntil: "2026-11-01",
    purge: true,
  });
  await deployExpecting(world, "allow purging tenant acme", [
    ...ops("update", "acme", "files-space-main", "files-space-finance"),
    ...ops("update", "acme", "mail-acme-dezky-test", "mail-acme-de"),
  ]);
  world.tenants.remove("acme");
  await deployExpecting(
    world,
    "purge tenant acme",
    expectedResources(acme, PLATFORM_DOMAIN).map((n) => `delete ${n}`),
  );
  const { authentik, ocis, stalwart, dns } = world.apis;
  const left = [
    ...[...authentik.state.groups.values()]
      .filter((g) => g.name.startsWith("dezky-acme"))
      .map((g) => g.name),
    ...ocis.drivesNamed("Acme").map((d) => d.name),
    ...ocis.drivesNamed("Finance").map((d) => d.name),
    ...[...stalwart.registry.domains.values()]
      .map((d) => String(d.name))
      .filter((n) => n.includes("acme")),
    ...[...dns.objects.keys()].filter((k) => {
      const owner = decodeURIComponent(k.split("/")[2] ?? "");
      return owner === "acme" || owner.endsWith(".acme");
    }),
  ];
  expect(left, `purging ${tenantResourceName("acme")} must leave nothing behind`).toEqual([]);
}
