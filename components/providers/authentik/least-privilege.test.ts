/**
 * Issue 15 point 4: tenant objects are managed by the tenant provisioner (a service account
 * with one RBAC role, created by the platform blueprint), not the superuser token. The
 * simulator reads that identity from the blueprint text and enforces authentik's permission
 * checks (test/simulators/authentik/permissions.ts). These tests hold that the role is enough
 * for a full tenant lifecycle, and that every permission in it is needed by some call.
 */
import { describe, expect, it } from "vitest";
import {
  TENANT_PROVISIONER_PERMISSIONS,
  TENANT_PROVISIONER_USER,
} from "../../platform/authentik-tenant-identity";
import {
  blueprintIdentities,
  startSimulator,
  TOKEN,
} from "../../../test/simulators/authentik/harness";
import { PERMISSION_DENIED, type Identity } from "../../../test/simulators/authentik/permissions";
import {
  type AuthentikOps,
  appInputs,
  authentikOps,
  createChecked,
  deployTenant,
  groupInputs,
  providerInputs,
} from "../../../test/simulators/authentik/tenant-flow";

/* eslint-disable @typescript-eslint/no-explicit-any */
let ak: AuthentikOps;

/** Every call the providers make: create, read, update (incl. binding repair), delete. */
async function lifecycle(url: string, sim: Awaited<ReturnType<typeof startSimulator>>["sim"]) {
  ak = authentikOps(url);
  const t = await deployTenant(ak, "acme");
  await ak.groups.read(t.group.id, t.group.outs);
  await ak.oauth2.read(t.provider.id, t.provider.outs);
  await ak.apps.read(t.app.id, t.app.outs);
  const moved = (await ak.groups.update(
    t.group.id,
    t.group.outs,
    groupInputs("acme", { extraAttributes: { plan: "business" } }),
  )) as any;
  await ak.oauth2.update(
    t.provider.id,
    t.provider.outs,
    providerInputs("acme", { logoutRedirectUris: ["https://acme.dezky.test/bye"] }),
  );
  // A second group takes over access (binding PATCH), then a stray binding is removed (DELETE).
  const second = (await createChecked(
    ak.groups,
    groupInputs("acme", { department: "sales" }),
  )) as any;
  const inputs = appInputs("acme", t.provider.outs.providerId, second.outs.groupId);
  const updated = (await ak.apps.update(t.app.id, t.app.outs, inputs)) as any;
  sim.state.bindings.set("stray", {
    pk: "stray",
    target: t.app.outs.applicationId,
    group: t.group.id,
    user: null,
    policy: null,
    negate: false,
    enabled: true,
    order: 5,
    timeout: 30,
    failure_result: false,
  });
  await ak.apps.update(t.app.id, { ...t.app.outs, ...updated.outs }, inputs);
  await ak.apps.delete(t.app.id, t.app.outs);
  await ak.oauth2.delete(t.provider.id, t.provider.outs);
  await ak.groups.delete(second.id, second.outs);
  await ak.groups.delete(t.group.id, { ...t.group.outs, ...moved.outs });
}

function without(permission: string): Map<string, Identity> {
  const identities = blueprintIdentities();
  const me = identities.get(TOKEN)!;
  me.permissions = new Set([...me.permissions].filter((p) => p !== permission));
  return identities;
}

describe("the tenant provisioner identity", () => {
  it("is what the blueprint creates: a non-superuser service account with the role's permissions", () => {
    const me = blueprintIdentities().get(TOKEN);
    expect(me).toMatchObject({ username: TENANT_PROVISIONER_USER, superuser: false });
    expect([...me!.permissions].sort()).toEqual([...TENANT_PROVISIONER_PERMISSIONS].sort());
    // Nothing that reaches users, roles, tokens, brands or superuser ak.groups.
    expect([...me!.permissions].filter((p) => /user|role|token|brand|superuser/.test(p))).toEqual(
      [],
    );
  });

  it("can run a whole tenant lifecycle, and the superuser token is not needed for it", async () => {
    const { sim, url } = await startSimulator();
    try {
      await lifecycle(url, sim);
      expect(sim.server.log.filter((r) => r.status === 403)).toEqual([]);
      expect(sim.state.applications.size).toBe(0);
    } finally {
      await sim.stop();
    }
  });

  it.each(TENANT_PROVISIONER_PERMISSIONS)(
    "needs %s: without it a call is refused with 403 and the error names the role",
    async (permission) => {
      const { sim, url } = await startSimulator(without(permission));
      try {
        await expect(lifecycle(url, sim)).rejects.toThrow(
          /HTTP 403.*role "dezky-tenant-provisioner" lacks the permission.*You do not have permission/s,
        );
      } finally {
        await sim.stop();
      }
    },
  );
});

describe("the simulator answers permission checks as authentik does", () => {
  async function call(url: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${url}/api/v3${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (res.status === 204 ? undefined : await res.json()) as Record<string, any>,
    };
  }

  it("403 before validation without add_; 403 on list/detail without view_; 403 on PATCH without change_", async () => {
    const denied = { status: 403, body: { detail: PERMISSION_DENIED } };
    const noAdd = await startSimulator(without("authentik_core.add_group"));
    try {
      expect(await call(noAdd.url, "POST", "/core/groups/", {})).toEqual(denied);
    } finally {
      await noAdd.sim.stop();
    }
    const noView = await startSimulator(without("authentik_core.view_group"));
    try {
      const created = await call(noView.url, "POST", "/core/groups/", { name: "dezky-x" });
      expect(created.status).toBe(201);
      expect(await call(noView.url, "GET", "/core/groups/?name=dezky-x")).toEqual(denied);
      expect(await call(noView.url, "GET", `/core/groups/${created.body.pk}/`)).toEqual(denied);
    } finally {
      await noView.sim.stop();
    }
    const noChange = await startSimulator(without("authentik_core.change_group"));
    try {
      const created = await call(noChange.url, "POST", "/core/groups/", { name: "dezky-y" });
      expect(
        await call(noChange.url, "PATCH", `/core/groups/${created.body.pk}/`, { name: "z" }),
      ).toEqual(denied);
    } finally {
      await noChange.sim.stop();
    }
  });

  it("adopting a hand-made superuser group is refused: the provisioner may not demote it", async () => {
    const { sim, url } = await startSimulator();
    try {
      sim.state.groups.set("3f0c0000-0000-4000-8000-000000000001", {
        pk: "3f0c0000-0000-4000-8000-000000000001",
        num_pk: 1,
        name: "dezky-boss",
        is_superuser: true,
        parents: [],
        attributes: {},
        roles: [],
      });
      ak = authentikOps(url);
      await expect(createChecked(ak.groups, groupInputs("boss", { adopt: true }))).rejects.toThrow(
        /HTTP 400.*is_superuser: User does not have permission to set superuser status to False/,
      );
      expect(sim.state.groups.get("3f0c0000-0000-4000-8000-000000000001")?.is_superuser).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
