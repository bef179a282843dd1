/**
 * Faults during `up`: a 503 from Authentik, lost create responses from OCIS and Stalwart (the
 * object exists, the provider never hears so), a 500 from the DNS store (whose stand-in
 * provider does not retry, so that up fails). Reruns converge with every object exactly once,
 * and a further up has nothing to do.
 */
import { expect } from "vitest";
import type { SimRequest } from "../../simulators/fault-server";
import { nameOf } from "../harness/events";
import { expectedResources } from "../harness/expected";
import { EngineWorld, PLATFORM_DOMAIN } from "../harness/world";
import { expectSteps } from "./expect";
import { gamma } from "./tenants";

export async function faultsThenRerunConverge(world: EngineWorld): Promise<void> {
  const { authentik, ocis, stalwart, dns } = world.apis;
  // Each fault records that it fired, so the test cannot pass with a fault that never hit.
  const fired = new Set<string>();
  const hit =
    (name: string, test: (req: SimRequest) => boolean = () => true) =>
    (req: SimRequest): boolean => {
      if (!test(req)) return false;
      fired.add(name);
      return true;
    };
  authentik.server.inject(
    { kind: "status", status: 503 },
    { method: "POST", path: "/api/v3/core/groups/", when: hit("authentik 503") },
  );
  ocis.server.inject(
    { kind: "lose-response" },
    { method: "POST", path: "/graph/v1.0/drives", when: hit("ocis lost response") },
  );
  stalwart.server.inject(
    { kind: "lose-response" },
    {
      method: "POST",
      path: "/jmap/",
      when: hit("stalwart lost response", (req) =>
        JSON.stringify(req.body ?? "").includes('"x:Domain/set"'),
      ),
    },
  );
  dns.server.inject({ kind: "status", status: 500 }, { method: "PUT", when: hit("dns 500") });

  // A failed up stops at its first error, so faults behind it wait for the rerun: rerun until
  // an up succeeds (each fault fires once), as an operator would.
  world.tenants.write(gamma);
  let runs = 0;
  let result;
  do {
    result = await world.up(`up of tenant gamma with faults (run ${++runs})`);
    const errors = result.errors.join("; ");
    world.log(`[engine] run ${runs}: exit ${result.code}${errors ? `; ${errors}` : ""}`);
  } while (result.code !== 0 && runs < 4);
  for (const s of [authentik, ocis, stalwart, dns]) s.server.clearFaults();
  EngineWorld.expectSuccess(result, `the up after ${runs} run(s) with faults`);
  expect([...fired].sort(), "every injected fault fired").toEqual([
    "authentik 503",
    "dns 500",
    "ocis lost response",
    "stalwart lost response",
  ]);

  expect([...authentik.state.groups.values()].filter((g) => g.name === "dezky-gamma")).toHaveLength(
    1,
  );
  expect(
    [...authentik.state.applications.values()].filter((a) => a.name === "Gamma Verein"),
  ).toHaveLength(1);
  expect(ocis.drivesNamed("Gamma"), "one OCIS space, not two").toHaveLength(1);
  expect(
    [...stalwart.registry.domains.values()].filter((d) => d.name === `gamma.${PLATFORM_DOMAIN}`),
    "one Stalwart domain, not two",
  ).toHaveLength(1);

  const again = await world.up("up after convergence");
  EngineWorld.expectSuccess(again, "the up after convergence");
  expectSteps(again.applied, [], "after the faults, a further up must have nothing to do");
  const { deployment } = await world.cli.exportState();
  const inState = (deployment.deployment.resources ?? []).map((r) => nameOf(r.urn));
  for (const name of expectedResources(gamma, PLATFORM_DOMAIN)) {
    expect(inState, `${name} is in the state exactly once`).toContain(name);
  }
  expect(new Set(inState).size, "no resource twice in the state").toBe(inState.length);
}
