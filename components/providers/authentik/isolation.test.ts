/**
 * Isolation: after every single request the simulator answers, no user of another tenant's
 * group can see or log in to a tenant's application, during creation, rebranding, suspension,
 * unsuspension, adoption of an open application and a lost binding response.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator } from "../../../test/simulators/authentik/harness";
import type { AuthentikSimulator } from "../../../test/simulators/authentik/simulator";
import type { SimUser } from "../../../test/simulators/authentik/state";
import {
  type AuthentikOps,
  appInputs,
  authentikOps,
  createChecked,
  deployTenant,
} from "../../../test/simulators/authentik/tenant-flow";

/* eslint-disable @typescript-eslint/no-explicit-any */
let sim: AuthentikSimulator;
let url: string;
let ak: AuthentikOps;
let outsider: SimUser;
let violations: string[];
let checks: number;

beforeAll(async () => {
  ({ sim, url } = await startSimulator());
  await deployTenant(authentikOps(url), "other");
  outsider = sim.state.addUser("mallory", "dezky-other");
  sim.afterRequest = (req) => {
    for (const app of sim.state.applications.values()) {
      if (app.slug === "dezky-other") continue;
      checks++;
      const clientId = [...sim.state.providers.values()].find(
        (p) => p.pk === app.provider,
      )?.client_id;
      if (sim.state.canSee(outsider, app.slug))
        violations.push(`${req.method} ${req.path}: ${app.slug} visible`);
      if (clientId && sim.state.canLogin(outsider, clientId))
        violations.push(`${req.method} ${req.path}: login to ${app.slug}`);
    }
  };
});
afterAll(() => sim.stop());
beforeEach(() => {
  ak = authentikOps(url);
  violations = [];
  checks = 0;
});

describe("isolation", () => {
  it("the check itself catches an unbound application (guards against a vacuous test)", async () => {
    const t = await deployTenant(ak, "probe");
    for (const [pk, b] of sim.state.bindings)
      if (b.target === t.app.outs.applicationId) sim.state.bindings.delete(pk);
    await ak.apps.read(t.app.id, t.app.outs); // any request triggers the check
    expect(violations.length).toBeGreaterThan(0);
    sim.state.deleteApplication("dezky-probe"); // leave no open app behind for the other tests
  });

  it("no request during creation, rebranding, suspension or unsuspension exposes the app", async () => {
    const t = await deployTenant(ak, "acme");
    const member = sim.state.addUser("alice", "dezky-acme");
    expect(sim.state.canLogin(member, "dezky-acme")).toBe(true);
    const base = appInputs("acme", t.provider.outs.providerId, t.group.id);
    const rebranded = (await ak.apps.update(t.app.id, t.app.outs, {
      ...base,
      name: "Acme 2",
    })) as any;
    const suspended = (await ak.apps.update(t.app.id, rebranded.outs, {
      ...base,
      name: "Acme 2",
      enabled: false,
    })) as any;
    await ak.apps.update(t.app.id, suspended.outs, { ...base, name: "Acme 2" });
    expect(checks).toBeGreaterThanOrEqual(8);
    expect(violations).toEqual([]);
  });

  it("a lost binding response and a retried create never expose the app", async () => {
    sim.server.inject(
      { kind: "lose-response" },
      { method: "POST", path: "/api/v3/core/applications/" },
      1,
    );
    sim.server.inject(
      { kind: "lose-response" },
      { method: "POST", path: "/api/v3/policies/bindings/" },
      1,
    );
    await deployTenant(ak, "lossy");
    expect(violations).toEqual([]);
  });

  it("adopting an application that is open to everyone binds it before activating it", async () => {
    const t = await deployTenant(ak, "adoptee");
    await ak.apps.delete(t.app.id, t.app.outs);
    // A hand-made app: inert until adopted (no provider, no launch URL) but unbound and shown.
    sim.state.applications.set("dezky-adoptee", {
      pk: "7d2f3c1e-0000-4000-8000-0000000000bb",
      name: "hand",
      slug: "dezky-adoptee",
      provider: null,
      meta_launch_url: "",
      meta_hide: false,
      policy_engine_mode: "any",
    });
    await createChecked(ak.apps, {
      ...appInputs("adoptee", t.provider.outs.providerId, t.group.id),
      adopt: true,
    });
    expect(violations).toEqual([]);
    expect(sim.state.canLogin(sim.state.addUser("ada", "dezky-adoptee"), "dezky-adoptee")).toBe(
      true,
    );
  });
});
