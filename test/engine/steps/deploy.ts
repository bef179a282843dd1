/** The first deploy of a tenant, and the promise of infrastructure as code: a second changes nothing. */
import { expect } from "vitest";
import { describe as describeSteps } from "../harness/events";
import { expectedResources } from "../harness/expected";
import { MAIL_RRSET_LAYOUT } from "../../../components/tenant/mail-layout";
import { EngineWorld, PLATFORM_DOMAIN } from "../harness/world";
import { expectNoWrites, expectSteps } from "./expect";
import { acme } from "./tenants";

/** The platform gates the tenant layer waits for (created once, by the first up). */
const GATES = ["authentik", "ocis", "stalwart"].map((s) => `create engine-platform-${s}-ready`);

export async function firstUpCreatesEverything(world: EngineWorld): Promise<void> {
  world.tenants.write(acme);
  const result = await world.deploy("first up (acme)");
  EngineWorld.expectSuccess(result, "the first up");
  const expected = [
    ...GATES,
    ...expectedResources(acme, PLATFORM_DOMAIN).map((n) => `create ${n}`),
  ];
  expectSteps(result.planned, expected, "the first preview plans every tenant object");
  expectSteps(result.applied, expected, "the first up creates every tenant object");
  // The objects exist where they belong.
  const { authentik, ocis, stalwart, dns } = world.apis;
  expect([...authentik.state.groups.values()].map((g) => g.name).sort()).toEqual([
    "dezky-acme",
    "dezky-acme--finance",
  ]);
  expect([...authentik.state.applications.values()].map((a) => a.name)).toEqual(["Acme GmbH"]);
  expect(ocis.drivesNamed("Acme")).toHaveLength(1);
  expect(ocis.drivesNamed("Finance")).toHaveLength(1);
  expect([...stalwart.registry.domains.values()].map((d) => d.name).sort()).toEqual([
    "acme.de",
    `acme.${PLATFORM_DOMAIN}`,
  ]);
  // acme's managed mail domain's record sets and its subdomain's A record (IPv4 only).
  expect(dns.objects.size).toBe(MAIL_RRSET_LAYOUT.length + 1);
}

export async function secondUpChangesNothing(world: EngineWorld): Promise<void> {
  world.apis.resetLogs();
  const result = await world.up("second up");
  EngineWorld.expectSuccess(result, "the second up");
  world.log(
    `[engine] second up: ${result.applied.length} changes, ${world.apis.tokenMints()} token(s) minted`,
  );
  for (const line of describeSteps(result.applied)) world.log(`[engine]   ${line}`);
  const writes = Object.values(world.apis.writes()).flat();
  world.log(`[engine] second up: ${writes.length} write request(s): ${writes.join(", ")}`);
  expectSteps(result.applied, [], "the second up must report 0 changes", { soft: true });
  expectNoWrites(world, "the second up");
}
