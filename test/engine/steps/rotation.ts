/**
 * Rotating a credential is a change of the connection, not of any object (issue 19): every
 * credential is replaced at its service (the old ones stop working), the stack's configuration
 * carries the new ones, and the up updates the three ApiConnection providers and nothing else,
 * with no write request. The refresh after it reads every object through the new credentials
 * (an old one would answer 401/403) and finds no drift.
 */
import { expect } from "vitest";
import { changesOf, describe as describeSteps } from "../harness/events";
import { EngineWorld } from "../harness/world";
import { expectNoWrites, expectSteps } from "./expect";

const CONNECTIONS = ["authentik", "ocis", "stalwart"].map((s) => `update engine-platform-${s}-api`);

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
  for (const line of describeSteps(up.applied)) world.log(`[engine]   ${line}`);
  expectSteps(up.planned, CONNECTIONS, "the preview plans to update the connections only", {
    soft: true,
  });
  expectSteps(up.applied, CONNECTIONS, "the up updates the connections only", { soft: true });
  expectNoWrites(world, "the up after rotating every credential");

  world.apis.resetLogs();
  const refresh = await world.cli.refresh("refresh with the new credentials");
  EngineWorld.expectSuccess(refresh, "the refresh with the new credentials");
  expectSteps(changesOf(refresh.events), [], "the refresh finds no drift", { soft: true });
  // The refresh did read through the new credentials (the old ones are refused).
  expect(world.apis.tokenMints(), "an OCIS bearer minted with the new password").toBeGreaterThan(0);
  const again = await world.up("up after the refresh");
  EngineWorld.expectSuccess(again, "the up after the refresh");
  expectSteps(again.applied, [], "nothing left to do", { soft: true });
}
