/**
 * The policy pack as the real analyzer: `pulumi preview --policy-pack policies` loads it
 * through the language host (RunPlugin, kind analyzer), and its findings are compared with
 * the offline evaluation (policies/evaluate.ts) of the same resources read from the state.
 */
import * as path from "node:path";
import { expect } from "vitest";
import { evaluatePolicies } from "../../../policies/evaluate";
import { REPO_ROOT } from "../harness/cli";
import { nameOf, policyFindings } from "../harness/events";
import { inventoryFromState } from "../harness/state";
import { EngineWorld } from "../harness/world";
import { ENGINE_STACK } from "../project/constants";

const key = (policy: string, resource?: string) => `${policy} ${resource ?? "(stack)"}`;

export async function policyPackAgreesWithOfflineChecks(world: EngineWorld): Promise<void> {
  const result = await world.cli.preview("preview with the policy pack", [
    "--policy-pack",
    path.join(REPO_ROOT, "policies"),
  ]);
  const analyzed = result.events.filter((e) => e.policyAnalyzeSummaryEvent);
  expect(
    analyzed.length,
    `the analyzer ran on every resource:\n${result.stderr.slice(-2000)}`,
  ).toBeGreaterThan(0);
  const engine = policyFindings(result.events);
  if (engine.every((f) => f.level !== "mandatory"))
    EngineWorld.expectSuccess(result, "the preview");

  const { deployment } = await world.cli.exportState();
  const inventory = inventoryFromState(
    deployment.deployment.resources ?? [],
    ENGINE_STACK,
    world.project,
  );
  const offline = (await evaluatePolicies(inventory)).flatMap((r) =>
    r.violations.map((v) => key(r.name, v.urn ? nameOf(v.urn) : undefined)),
  );
  const online = [...new Set(engine.map((f) => key(f.policy, f.resource)))].sort();
  const offlineSet = [...new Set(offline)].sort();
  world.log(`[engine] policy findings: analyzer ${online.length}, offline ${offlineSet.length}`);
  for (const f of engine) {
    const text = f.message.replace(/\s*\n+\s*/g, " | ").slice(0, 240);
    world.log(`[engine]   ${f.level} ${key(f.policy, f.resource)}: ${text}`);
  }
  const onlyEngine = online.filter((k) => !offlineSet.includes(k));
  const onlyOffline = offlineSet.filter((k) => !online.includes(k));
  expect(
    online,
    `the analyzer's findings must equal the offline checks'\n` +
      `only the analyzer: ${onlyEngine.join("; ") || "none"}\n` +
      `only offline: ${onlyOffline.join("; ") || "none"}`,
  ).toEqual(offlineSet);
}
