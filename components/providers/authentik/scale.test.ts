/**
 * Request budget: one tenant costs a bounded, counted number of requests, and flows, the
 * signing key and scope mappings are looked up once per run for 50 tenants created in parallel.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator } from "../../../test/simulators/authentik/harness";
import type { AuthentikSimulator } from "../../../test/simulators/authentik/simulator";
import {
  type AuthentikOps,
  authentikOps,
  createChecked,
  deployTenant,
  groupInputs,
} from "../../../test/simulators/authentik/tenant-flow";
import { useFastTiming } from "../test-kit";
import { creationBudget, REQUESTS } from "./budget";

let sim: AuthentikSimulator;
let url: string;
let ak: AuthentikOps;

beforeAll(async () => {
  ({ sim, url } = await startSimulator());
});
afterAll(() => sim.stop());
beforeEach(() => {
  ak = authentikOps(url);
  sim.server.resetLog();
});

const lookups = () => sim.server.count({ path: /^\/api\/v3\/(flows|crypto|propertymappings)\// });

describe("request budget", () => {
  it("one tenant with one department costs exactly the budgeted requests", async () => {
    const t = await deployTenant(ak, "solo");
    await createChecked(
      ak.groups,
      groupInputs("solo", { department: "ops", parents: [t.group.id] }),
    );
    expect(sim.server.log).toHaveLength(creationBudget(1, 1));
    expect(lookups()).toBe(REQUESTS.lookupsPerRun);
    sim.server.resetLog();
    await ak.groups.read(t.group.id, t.group.outs);
    await ak.oauth2.read(t.provider.id, t.provider.outs);
    await ak.apps.read(t.app.id, t.app.outs);
    expect(sim.server.log).toHaveLength(
      REQUESTS.groupRead + REQUESTS.oauth2ProviderRead + REQUESTS.applicationRead,
    );
  });

  it("50 tenants in parallel: lookups once per run, total within the budget", async () => {
    const started = Date.now();
    const tenants = Array.from({ length: 50 }, (_, i) => `bulk-${i}`);
    // Generous per-request timeout: 150 parallel requests on 2 cores must not time out and retry.
    const restore = useFastTiming({ timeoutMs: 20_000, deadlineMs: 40_000 });
    await Promise.all(tenants.map((t) => deployTenant(ak, t)));
    restore();
    expect(lookups()).toBe(REQUESTS.lookupsPerRun);
    expect(sim.server.log).toHaveLength(creationBudget(50));
    expect(sim.state.applications.size).toBeGreaterThanOrEqual(50);
    // A second run looks up again, once.
    ak = authentikOps(url);
    sim.server.resetLog();
    await deployTenant(ak, "next-run");
    expect(lookups()).toBe(REQUESTS.lookupsPerRun);
    console.log(`50 tenants: ${creationBudget(50)} requests in ${Date.now() - started} ms`);
  });
});
