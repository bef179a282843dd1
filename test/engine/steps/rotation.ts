/**
 * Rotating a credential is a change of the connection, not of any object (issue 19): every
 * credential is replaced at its service (the old ones stop working), the stack's configuration
 * carries the new ones, and the up updates the three ApiConnection providers and no object,
 * with no write request. The refresh after it reads every object through the new credentials
 * (an old one would answer 401/403) and finds no drift.
 */
import { expect } from "vitest";
import { type EngineEvent, changesOf, nameOf } from "../harness/events";
import { EngineWorld } from "../harness/world";
import { expectNoWrites, expectSteps } from "./expect";

const CONNECTIONS = ["authentik", "ocis", "stalwart"].map((s) => `engine-platform-${s}-api`);

/** "op name" of each ApiConnection (provider resource) step; stepsOf leaves providers out. */
function connectionSteps(events: EngineEvent[]): string[] {
  const ops = new Map<string, string>();
  for (const e of events) {
    const meta = e.resOutputsEvent?.metadata ?? e.resourcePreEvent?.metadata;
    if (meta && CONNECTIONS.includes(nameOf(meta.urn))) ops.set(nameOf(meta.urn), meta.op);
  }
  return [...ops].map(([name, op]) => `${op} ${name}`).sort();
}

export async function rotatedCredentialsChangeNoObject(world: EngineWorld): Promise<void> {
  const fresh = world.apis.rotateCredentials();
  await world.cli.setSecrets({
    "engine:authentikToken": fresh.authentikToken,
    "engine:stalwartPassword": fresh.stalwartPassword,
    "engine:ocisServicePassword": fresh.ocisServicePassword,
  });
  world.apis.resetLogs();
  const up = await world.deploy("up after rotating every credential");
  EngineWorld.expectSuccess(up, "the up after rotating every credential");
  expectSteps(up.planned, [], "the preview plans no change to any object", { soft: true });
  expectSteps(up.applied, [], "the up changes no object", { soft: true });
  expect
    .soft(connectionSteps(up.events), "the connections take the new credentials")
    .toEqual(CONNECTIONS.map((c) => `update ${c}`));
  expectNoWrites(world, "the up after rotating every credential");

  world.apis.resetLogs();
  const refresh = await world.cli.refresh("refresh with the new credentials");
  EngineWorld.expectSuccess(refresh, "the refresh with the new credentials");
  expectSteps(changesOf(refresh.events), [], "the refresh finds no drift", { soft: true });
  // The refresh read through the new credentials (the old ones are refused).
  expect(world.apis.tokenMints(), "an OCIS bearer minted with the new password").toBeGreaterThan(0);
  const again = await world.up("up after the refresh");
  EngineWorld.expectSuccess(again, "the up after the refresh");
  expectSteps(again.applied, [], "nothing left to do", { soft: true });
}
