/**
 * What the engine keeps: no secret in plain text anywhere in the state (checked by value, with
 * the run's canary credentials and every secret the services handed out), and its size per
 * tenant, printed for the README.
 */
import * as fs from "node:fs";
import { expect } from "vitest";
import { leakedSecrets, stateSize } from "../harness/state";
import type { EngineWorld } from "../harness/world";

export async function stateHoldsNoPlainSecret(world: EngineWorld): Promise<void> {
  const { text } = await world.cli.exportState();
  const raw = fs.readFileSync(world.cli.stateFile(world.project), "utf8");
  const { canaries, authentik, stalwart, edge } = world.apis;
  const secrets: Record<string, string> = {
    ...canaries,
    passphrase: world.passphrase,
    stalwartBasicAuth: Buffer.from(`admin:${canaries.stalwartPassword}`).toString("base64"),
  };
  world.apis.retired.forEach((old, i) => {
    for (const [key, value] of Object.entries(old))
      secrets[`${key} before rotation ${i + 1}`] = value;
  });
  for (const p of authentik.state.providers.values()) secrets[`oauth2 ${p.name}`] = p.client_secret;
  edge.minted.forEach((token, i) => (secrets[`ocis token ${i + 1}`] = token));
  expect(Object.keys(secrets).length).toBeGreaterThan(6);
  expect(edge.minted.length, "the OCIS gate minted a token").toBeGreaterThan(0);
  expect(stalwart.registry.domains.size).toBeGreaterThan(0);
  expect(leakedSecrets(text, secrets), "secrets in plain text in `pulumi stack export`").toEqual(
    [],
  );
  expect(leakedSecrets(raw, secrets), "secrets in plain text in the backend's state file").toEqual(
    [],
  );
}

export async function stateBytesPerTenant(world: EngineWorld, slugs: string[]): Promise<void> {
  const { deployment } = await world.cli.exportState();
  const size = stateSize(deployment.deployment.resources ?? [], slugs);
  const raw = fs.statSync(world.cli.stateFile(world.project)).size;
  world.log(`[engine] state file: ${raw} bytes; provider code in it: ${size.providerCode} bytes`);
  for (const slug of slugs) {
    const standIn = size.standInCodePerTenant[slug] ?? 0;
    world.log(
      `[engine] state bytes of tenant ${slug}: ${size.perTenant[slug]} (${size.resourcesPerTenant[slug]} resources); ` +
        `${size.perTenant[slug] - standIn} without the DNS stand-in's code (hcloud record sets store none)`,
    );
  }
  world.log(`[engine] state bytes shared (stack, gates, providers): ${size.shared}`);
  for (const [type, bytes] of Object.entries(size.codePerType).sort()) {
    world.log(`[engine] stored provider code of ${type}: ${bytes} bytes`);
  }
  for (const slug of slugs) expect(size.perTenant[slug]).toBeGreaterThan(0);
  // Issue 19: the code each of the program's dynamic resources stores is a small stub.
  for (const [type, bytes] of Object.entries(size.codePerType)) {
    if (!type.startsWith("dnsstore:")) expect(bytes, type).toBeLessThanOrEqual(2048);
  }
}
