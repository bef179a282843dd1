/**
 * Full tenant lifecycle against the Authentik simulator: create, change branding, add a
 * department, suspend, unsuspend, remove; drift via read; adoption; error messages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, SUPERUSER_TOKEN } from "../../../test/simulators/authentik/harness";
import type { AuthentikSimulator } from "../../../test/simulators/authentik/simulator";
import {
  type AuthentikOps,
  appInputs,
  authentikOps,
  createChecked,
  deployTenant,
  groupInputs,
  providerInputs,
  type Ops,
} from "../../../test/simulators/authentik/tenant-flow";

/* eslint-disable @typescript-eslint/no-explicit-any */
let sim: AuthentikSimulator;
let url: string;
let ak: AuthentikOps;

beforeAll(async () => {
  ({ sim, url } = await startSimulator());
});
afterAll(() => sim.stop());
beforeEach(() => {
  ak = authentikOps(url);
});

async function refreshAndDiff(ops: Ops, id: string, outs: any, inputs: any) {
  const read = (await ops.read(id, outs)) as any;
  const diff = (await ops.diff(id, read.props, inputs)) as any;
  return { read, diff };
}

describe("tenant lifecycle", () => {
  it("creates, rebrands, adds a department, suspends, unsuspends and removes a tenant", async () => {
    const t = await deployTenant(ak, "acme");
    const st = sim.state;
    const group = st.groups.get(t.group.id)!;
    expect(group.name).toBe("dezky-acme");
    expect(group.attributes).toMatchObject({
      "dezky.io/tenant": "acme",
      "dezky.io/managed-by": "dezky",
    });

    const provider = st.providers.get(Number(t.provider.id))!;
    expect(provider).toMatchObject({
      client_type: "confidential",
      client_id: "dezky-acme",
      grant_types: ["authorization_code", "refresh_token"],
    });
    expect(provider.redirect_uris).toContainEqual({
      matching_mode: "strict",
      url: "https://acme.dezky.test/",
      redirect_uri_type: "logout",
    });
    const scopes = (provider.property_mappings as string[]).map(
      (pk) => st.scopeMappings.find((m) => m.pk === pk)!.scope_name,
    );
    expect(scopes).toContain("groups");
    expect(t.provider.outs.clientSecret).toBe(provider.client_secret);
    expect(t.provider.outs.clientSecret.length).toBeGreaterThanOrEqual(40);

    const app = st.applications.get("dezky-acme")!;
    expect(app).toMatchObject({
      provider: provider.pk,
      meta_launch_url: "https://acme.dezky.test/",
      meta_hide: false,
      meta_publisher: "Dezky",
    });
    const bindings = [...st.bindings.values()].filter((b) => b.target === app.pk);
    expect(bindings).toHaveLength(1);
    expect(bindings[0]).toMatchObject({ group: group.pk, enabled: true, negate: false });

    const alice = st.addUser("alice", "dezky-acme");
    expect(st.canLogin(alice, "dezky-acme")).toBe(true);
    expect(st.canSee(alice, "dezky-acme")).toBe(true);

    // Change branding: an in-place update, no replacement.
    const rebrand = appInputs("acme", provider.pk, group.pk, {
      name: "Acme Cloud",
      icon: "fa://fa-cloud",
      description: "new",
    });
    const diff = (await ak.apps.diff(t.app.id, t.app.outs, rebrand)) as any;
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const rebranded = (await ak.apps.update(t.app.id, t.app.outs, rebrand)) as any;
    expect(st.applications.get("dezky-acme")).toMatchObject({
      name: "Acme Cloud",
      meta_icon: "fa://fa-cloud",
      meta_description: "new",
    });
    expect((await ak.apps.diff(t.app.id, rebranded.outs, rebrand)) as any).toMatchObject({
      changes: false,
    });

    // Add a department: a child group of the tenant group; its members count as tenant members.
    const dept = (await createChecked(
      ak.groups,
      groupInputs("acme", { department: "sales", parents: [group.pk] }),
    )) as any;
    expect(st.groups.get(dept.id)).toMatchObject({
      name: "dezky-acme--sales",
      parents: [group.pk],
      attributes: { "dezky.io/department": "sales" },
    });
    const bob = st.addUser("bob", "dezky-acme--sales");
    expect(st.canLogin(bob, "dezky-acme")).toBe(true);

    // Suspend: logins stop, nothing deleted, binding still restricts the app.
    const suspended = appInputs("acme", provider.pk, group.pk, {
      name: "Acme Cloud",
      icon: "fa://fa-cloud",
      description: "new",
      enabled: false,
    });
    const suspendedOut = (await ak.apps.update(t.app.id, rebranded.outs, suspended)) as any;
    expect(st.canLogin(alice, "dezky-acme")).toBe(false);
    expect(st.canLogin(bob, "dezky-acme")).toBe(false);
    expect(st.canSee(alice, "dezky-acme")).toBe(false);
    expect(
      st.applications.has("dezky-acme") && st.providers.has(provider.pk) && st.groups.has(group.pk),
    ).toBe(true);
    expect([...st.bindings.values()].filter((b) => b.target === app.pk && b.enabled)).toHaveLength(
      1,
    );

    // Unsuspend: same client id and secret work again.
    const active = { ...suspended, enabled: true };
    const activeOut = (await ak.apps.update(t.app.id, suspendedOut.outs, active)) as any;
    expect(st.canLogin(alice, "dezky-acme")).toBe(true);
    expect(st.providers.get(provider.pk)!.client_secret).toBe(t.provider.outs.clientSecret);

    // Remove, in reverse dependency order; a second delete (404) is fine.
    await ak.apps.delete(t.app.id, activeOut.outs);
    await ak.oauth2.delete(t.provider.id, t.provider.outs);
    await ak.groups.delete(dept.id, dept.outs);
    await ak.groups.delete(t.group.id, t.group.outs);
    await ak.apps.delete(t.app.id, activeOut.outs);
    await ak.groups.delete(t.group.id, t.group.outs);
    expect(st.applications.has("dezky-acme")).toBe(false);
    expect(st.providers.has(provider.pk)).toBe(false);
    expect([...st.groups.values()].filter((g) => g.name.startsWith("dezky-acme"))).toHaveLength(0);
    expect([...st.bindings.values()].filter((b) => b.target === app.pk)).toHaveLength(0);
    // read of a removed object returns an empty id (refresh drops it)
    expect(((await ak.apps.read(t.app.id, activeOut.outs)) as any).id).toBe("");
    expect(((await ak.oauth2.read(t.provider.id, t.provider.outs)) as any).id).toBe("");
    expect(((await ak.groups.read(t.group.id, t.group.outs)) as any).id).toBe("");
  });
});

describe("drift", () => {
  it("read reports hand-made changes and the next update repairs them", async () => {
    const t = await deployTenant(ak, "drifty");
    const st = sim.state;
    const app = st.applications.get("dezky-drifty")!;
    const want = appInputs("drifty", t.provider.outs.providerId, t.group.id);
    expect((await refreshAndDiff(ak.apps, t.app.id, t.app.outs, want)).diff.changes).toBe(false);

    // Someone detaches the binding and renames the app in the UI: the app is now open to all.
    for (const [pk, b] of st.bindings) if (b.target === app.pk) st.bindings.delete(pk);
    app.name = "renamed by hand";
    const { read, diff } = await refreshAndDiff(ak.apps, t.app.id, t.app.outs, want);
    expect(read.props.observed.name).toBe("renamed by hand");
    expect(read.props.binding.bindingId).toBe("");
    expect(diff.changes).toBe(true);
    await ak.apps.update(t.app.id, read.props, want);
    expect(st.applications.get("dezky-drifty")!.name).toBe("drifty Workspace");
    expect(
      [...st.bindings.values()].filter((b) => b.target === app.pk && b.group === t.group.id),
    ).toHaveLength(1);

    // Provider drift: redirect URIs and grant types edited by hand.
    const p = st.providers.get(Number(t.provider.id))!;
    p.grant_types = ["implicit"];
    const pIn = providerInputs("drifty");
    const pd = await refreshAndDiff(ak.oauth2, t.provider.id, t.provider.outs, pIn);
    expect(pd.diff.changes).toBe(true);
    await ak.oauth2.update(t.provider.id, pd.read.props, pIn);
    expect(st.providers.get(p.pk)!.grant_types).toEqual(["authorization_code", "refresh_token"]);

    // Group drift: the marker attribute removed by hand.
    const g = st.groups.get(t.group.id)!;
    g.attributes = {};
    const gIn = groupInputs("drifty");
    const gd = await refreshAndDiff(ak.groups, t.group.id, t.group.outs, gIn);
    expect(gd.diff.changes).toBe(true);
    await ak.groups.update(t.group.id, gd.read.props, gIn);
    expect(st.groups.get(g.pk)!.attributes).toMatchObject({ "dezky.io/managed-by": "dezky" });
  });

  it("a rotated token changes nothing: the objects read and diff the same through it", async () => {
    const t = await deployTenant(ak, "conn");
    const rotated = authentikOps(url, SUPERUSER_TOKEN);
    const read = (await rotated.groups.read(t.group.id, t.group.outs)) as any;
    expect(read.props).toEqual(t.group.outs);
    expect(await rotated.groups.diff(t.group.id, read.props, groupInputs("conn"))).toMatchObject({
      changes: false,
    });
    const want = appInputs("conn", t.provider.outs.providerId, t.group.id);
    expect(await rotated.apps.diff(t.app.id, t.app.outs, want)).toMatchObject({ changes: false });
  });
});

describe("adoption", () => {
  it("refuses a hand-made group and application with our names unless adopt: true", async () => {
    const st = sim.state;
    const handGroup = {
      pk: "7d2f3c1e-0000-4000-8000-000000000001",
      num_pk: 1,
      name: "dezky-legacy",
      is_superuser: false,
      parents: [],
      attributes: { note: "hand" },
      roles: [],
    };
    st.groups.set(handGroup.pk, handGroup);
    await expect(createChecked(ak.groups, groupInputs("legacy"))).rejects.toThrow(
      /already exists and was not created by this program.*adopt: true/s,
    );
    const adopted = (await createChecked(ak.groups, groupInputs("legacy", { adopt: true }))) as any;
    expect(adopted.id).toBe(handGroup.pk);
    expect(st.groups.get(handGroup.pk)!.attributes).toMatchObject({
      note: "hand",
      "dezky.io/tenant": "legacy",
      "dezky.io/managed-by": "dezky",
    });

    // A hand-made application, open to everyone, with a provider of its own.
    const provider = (await createChecked(ak.oauth2, providerInputs("legacy"))) as any;
    const stranger = st.addUser("stranger", "dezky-legacy");
    st.groups.set("7d2f3c1e-0000-4000-8000-000000000002", {
      ...handGroup,
      pk: "7d2f3c1e-0000-4000-8000-000000000002",
      name: "other",
    });
    const outsider = st.addUser("outsider", "other");
    st.applications.set("dezky-legacy", {
      pk: "7d2f3c1e-0000-4000-8000-0000000000aa",
      name: "Legacy",
      slug: "dezky-legacy",
      provider: null,
      meta_launch_url: "https://legacy.example/",
      meta_hide: false,
      policy_engine_mode: "any",
    });
    expect(st.canSee(outsider, "dezky-legacy")).toBe(true);
    const inputs = appInputs("legacy", provider.outs.providerId, handGroup.pk);
    await expect(createChecked(ak.apps, inputs)).rejects.toThrow(
      /application "dezky-legacy" already exists.*adopt: true/s,
    );
    const app = (await createChecked(ak.apps, { ...inputs, adopt: true })) as any;
    expect(app.id).toBe("dezky-legacy");
    expect(st.canLogin(stranger, "dezky-legacy")).toBe(true);
    expect(st.canSee(outsider, "dezky-legacy")).toBe(false);
    expect(st.canLogin(outsider, "dezky-legacy")).toBe(false);
  });

  it("refuses an OAuth2 provider with our client id it did not create, adopts it with adopt: true", async () => {
    const first = (await createChecked(ak.oauth2, providerInputs("twice"))) as any;
    await expect(createChecked(ak.oauth2, providerInputs("twice"))).rejects.toThrow(
      /client id dezky-twice\) already exists/,
    );
    const adopted = (await createChecked(
      ak.oauth2,
      providerInputs("twice", { adopt: true }),
    )) as any;
    expect(adopted.id).toBe(first.id);
    expect(adopted.outs.clientSecret).toBe(first.outs.clientSecret);
    expect(
      [...sim.state.providers.values()].filter((p) => p.client_id === "dezky-twice"),
    ).toHaveLength(1);
  });
});

describe("errors", () => {
  it("403 names the provisioner token; 400 names the rejected field", async () => {
    await expect(
      createChecked(authentikOps(url, "wrong").groups, groupInputs("denied")),
    ).rejects.toThrow(
      /Authentik: tenant "denied": group "dezky-denied": POST \/api\/v3\/core\/groups\/ HTTP 403.*DEZKY_TENANT_PROVISIONER_TOKEN.*Token invalid\/expired/s,
    );
    await expect(
      createChecked(
        ak.groups,
        groupInputs("orphan", {
          department: "x",
          parents: ["7d2f3c1e-0000-4000-8000-00000000dead"],
        }),
      ),
    ).rejects.toThrow(/HTTP 400.*parents: Invalid pk/);
    await expect(
      createChecked(
        ak.oauth2,
        providerInputs("nokey", { signingKeyName: "imported-cert-without-key" }),
      ),
    ).rejects.toThrow(/signing key "imported-cert-without-key" not found/);
    await expect(
      createChecked(
        ak.oauth2,
        providerInputs("noscope", { scopes: ["openid", "groups", "nonexistent"] }),
      ),
    ).rejects.toThrow(/no scope mapping for scope\(s\) nonexistent/);
  });

  it("check rejects bad slugs, a scope list without groups and empty grant types", async () => {
    const g = (await ak.groups.check({}, groupInputs("Bad_Slug"))) as any;
    expect(g.failures.map((f: any) => f.property)).toEqual(["tenant"]);
    const p = (await ak.oauth2.check(
      {},
      providerInputs("ok", { scopes: ["openid"], grantTypes: [] }),
    )) as any;
    expect(p.failures.map((f: any) => f.property).sort()).toEqual(["grantTypes", "scopes"]);
  });
});
