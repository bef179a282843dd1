/**
 * The tenant layer under the real Pulumi engine (issue 20): the CLI built from tools/ runs
 * test/engine/project on a file backend against the loopback simulators. The steps run in
 * this order on one stack; each asserts on the engine's JSON events and on the simulators
 * (steps/*.ts). A step that fails leaves the stack as the engine left it for the next one.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { EngineWorld } from "./harness/world";
import { firstUpCreatesEverything, secondUpChangesNothing } from "./steps/deploy";
import { nightlyDriftCheckPasses, refreshFindsHandEdits, refreshFindsNoDrift } from "./steps/drift";
import { faultsThenRerunConverge } from "./steps/faults";
import {
  addTenant,
  changeTenant,
  offboardTenant,
  purgeTenant,
  removingALiveTenantIsRefused,
  suspendTenant,
} from "./steps/lifecycle";
import { policyPackAgreesWithOfflineChecks } from "./steps/policy";
import { rotatedCredentialsChangeNoObject } from "./steps/rotation";
import { stateBytesPerTenant, stateHoldsNoPlainSecret } from "./steps/state";

const world = new EngineWorld();
const started = Date.now();

beforeAll(() => world.start());
afterAll(async () => {
  await world.stop();
  world.log(`[engine] suite finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
});

describe("the tenant layer under the real Pulumi engine", () => {
  it("up creates every object of a tenant", () => firstUpCreatesEverything(world));
  it("a second up reports 0 changes and sends 0 write requests", () =>
    secondUpChangesNothing(world));
  it("refresh reports no drift", () => refreshFindsNoDrift(world));
  it("rotating every credential updates the connections and no object", () =>
    rotatedCredentialsChangeNoObject(world));
  it("refresh finds changes made by hand; up puts them back", () => refreshFindsHandEdits(world));
  it("the nightly drift check passes after the deploy's tokens expired", () =>
    nightlyDriftCheckPasses(world));
  it("adding a tenant creates exactly its objects", () => addTenant(world));
  it("the state holds no secret in plain text", () => stateHoldsNoPlainSecret(world));
  it("the state bytes per tenant are measured", () => stateBytesPerTenant(world, ["acme", "beta"]));
  it("the policy pack runs as the real analyzer and agrees with the offline checks", () =>
    policyPackAgreesWithOfflineChecks(world));
  it("changing a tenant updates exactly what changed", () => changeTenant(world));
  it("suspending a tenant disables logins and spaces", () => suspendTenant(world));
  it("offboarding a tenant keeps its data", () => offboardTenant(world));
  it("removing the file of a tenant that holds data is refused by the engine", () =>
    removingALiveTenantIsRefused(world));
  it("purging a tenant deletes its objects", () => purgeTenant(world));
  it("a fault during up, then a rerun, converges with no duplicates", () =>
    faultsThenRerunConverge(world));
});
