/**
 * Every fault mode of the provider contract against the Authentik simulator: 429 with
 * Retry-After, 5xx, connection reset, timeout, and a response lost after a successful create
 * (which must not leave a duplicate group, provider, application or binding).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useFastTiming } from "../test-kit";
import { startSimulator } from "../../../test/simulators/authentik/harness";
import type { AuthentikSimulator } from "../../../test/simulators/authentik/simulator";
import {
  type AuthentikOps,
  authentikOps,
  createChecked,
  deployTenant,
  groupInputs,
} from "../../../test/simulators/authentik/tenant-flow";

let sim: AuthentikSimulator;
let url: string;
let ak: AuthentikOps;

beforeAll(async () => {
  ({ sim, url } = await startSimulator());
});
afterAll(() => sim.stop());
beforeEach(() => {
  ak = authentikOps(url);
  sim.server.clearFaults();
  sim.server.resetLog();
});

function exactlyOne(tenant: string) {
  const st = sim.state;
  const app = st.applications.get(`dezky-${tenant}`)!;
  expect([...st.groups.values()].filter((g) => g.name === `dezky-${tenant}`)).toHaveLength(1);
  expect([...st.providers.values()].filter((p) => p.client_id === `dezky-${tenant}`)).toHaveLength(
    1,
  );
  expect(app.provider).not.toBeNull();
  expect([...st.bindings.values()].filter((b) => b.target === app.pk)).toHaveLength(1);
}

describe("faults", () => {
  it("429 with Retry-After and 503 are retried", async () => {
    sim.server.inject(
      { kind: "status", status: 429, retryAfter: "0" },
      { method: "POST", path: "/api/v3/core/groups/" },
      2,
    );
    sim.server.inject(
      { kind: "status", status: 503 },
      { method: "POST", path: "/api/v3/providers/oauth2/" },
      2,
    );
    sim.server.inject(
      { kind: "status", status: 502 },
      { method: "PATCH", path: /^\/api\/v3\/core\/applications\// },
      1,
    );
    await deployTenant(ak, "busy");
    exactlyOne("busy");
    expect(sim.server.count({ method: "POST", path: "/api/v3/core/groups/" })).toBe(3);
    expect(sim.server.count({ method: "POST", path: "/api/v3/providers/oauth2/" })).toBe(3);
  });

  it("connection resets and timeouts are retried", async () => {
    sim.server.inject({ kind: "reset" }, { method: "POST", path: "/api/v3/policies/bindings/" }, 1);
    sim.server.inject(
      { kind: "timeout" },
      { method: "GET", path: /^\/api\/v3\/flows\/instances\// },
      1,
    );
    await deployTenant(ak, "flaky");
    exactlyOne("flaky");
    expect(sim.server.log.filter((r) => r.status === "fault")).toHaveLength(2);
  });

  it("a lost response after each successful create leaves no duplicate", async () => {
    for (const path of [
      "/api/v3/core/groups/",
      "/api/v3/providers/oauth2/",
      "/api/v3/core/applications/",
      "/api/v3/policies/bindings/",
    ]) {
      sim.server.inject({ kind: "lose-response" }, { method: "POST", path }, 1);
    }
    const t = await deployTenant(ak, "lost");
    exactlyOne("lost");
    // The binding POST really landed twice; the extra one was removed.
    expect(sim.server.count({ method: "POST", path: "/api/v3/policies/bindings/" })).toBe(2);
    expect(sim.server.count({ method: "DELETE", path: /^\/api\/v3\/policies\/bindings\// })).toBe(
      1,
    );
    expect(t.provider.outs.clientSecret).toBe(
      sim.state.providers.get(Number(t.provider.id))!.client_secret,
    );
    expect(t.app.outs.bindingId).toBe(
      [...sim.state.bindings.values()].find((b) => b.target === t.app.outs.applicationId)!.pk,
    );
  });

  it("gives up with a message naming tenant, object, call and status", async () => {
    sim.server.inject(
      { kind: "status", status: 503 },
      { method: "POST", path: "/api/v3/core/groups/" },
      100,
    );
    const restore = useFastTiming({ timeoutMs: 200, deadlineMs: 600, maxDelayMs: 20 });
    await expect(createChecked(ak.groups, groupInputs("down"))).rejects.toThrow(
      /Authentik: tenant "down": group "dezky-down": POST \/api\/v3\/core\/groups\/ HTTP 503: Authentik failed on its side/,
    );
    restore();
    expect([...sim.state.groups.values()].some((g) => g.name === "dezky-down")).toBe(false);
  });
});
