import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OcisSimulator } from "./ocis-simulator";

// Response bodies are read field by field in assertions; any shape may come back.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const sim = new OcisSimulator();
const sim8 = new OcisSimulator({ version: 8 });
const EDITOR = "58c63c02-1d89-4572-916a-870abc5a1b7d";
const MANAGER = "312c0871-5ef7-4b3a-85b6-0e4074c64049";

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  base = sim.url,
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: "Bearer provisioner-token",
      "content-type": "application/json",
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text
      ? (JSON.parse(text.startsWith("{") ? text : JSON.stringify(text)) as Json)
      : undefined,
  };
}

beforeAll(async () => {
  await sim.start();
  await sim8.start();
});
afterAll(async () => {
  await sim.stop();
  await sim8.stop();
});

describe("OCIS simulator fidelity (drives and grants)", () => {
  it("401 without a body for a missing bearer", async () => {
    const res = await fetch(`${sim.url}/graph/v1.0/drives`);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe("");
  });

  it("creates with 201, a default quota, the creator as Manager and an alias; names are not unique", async () => {
    const a = await call("POST", "/graph/v1.0/drives", { name: "Project Mars" });
    const b = await call("POST", "/graph/v1.0/drives", {
      name: "Project Mars",
      quota: { total: 0 },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toMatchObject({
      driveType: "project",
      driveAlias: "project/project-mars",
      quota: { total: 1e9 },
    });
    expect(a.body.root.webDavUrl).toContain("/dav/spaces/");
    expect(b.body.quota.total).toBe(0);
    expect(a.body.id).not.toBe(b.body.id);
    const perms = await call(
      "GET",
      `/graph/v1beta1/drives/${encodeURIComponent(a.body.id)}/root/permissions`,
    );
    expect(perms.body.value).toEqual([
      {
        id: `u:${sim.provisioner.id}`,
        grantedToV2: { user: { id: sim.provisioner.id, displayName: "Dezky Provisioner" } },
        roles: [MANAGER],
      },
    ]);
    const legacy = await call("GET", `/graph/v1.0/drives/${a.body.id}`); // raw "$"
    expect(legacy.body.root.permissions[0]).toMatchObject({ roles: ["manager"] });
  });

  it("rejects unknown fields, bad names, other drive types, and bodies the spec forbids", async () => {
    expect((await call("POST", "/graph/v1.0/drives", { name: "X", colour: "red" })).status).toBe(
      400,
    );
    const bad = await call("POST", "/graph/v1.0/drives", { name: "acme.com" });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "invalidRequest" } } });
    expect(bad.body.error.message).toBe(
      'invalid spacename: spacenames must not contain [/ \\ . : ? * " > < |]',
    );
    expect((await call("POST", "/graph/v1.0/drives", { name: "   " })).status).toBe(400);
    expect(
      (await call("POST", "/graph/v1.0/drives", { name: "P", driveType: "personal" })).status,
    ).toBe(400);
    // Schema violation caught by the spec validator (quota.total must be an integer).
    const schema = await call("POST", "/graph/v1.0/drives", {
      name: "Q",
      quota: { total: "lots" },
    });
    expect(schema.status).toBe(400);
    expect(schema.body.error.message).toMatch(/quota/);
    expect((await call("POST", "/graph/v1.0/nonsense", {})).status).toBe(404);
  });

  it("renames with a 400 generalException for a bad name (not invalidRequest as on create)", async () => {
    const { body } = await call("POST", "/graph/v1.0/drives", { name: "Saturn" });
    const bad = await call("PATCH", `/graph/v1.0/drives/${encodeURIComponent(body.id)}`, {
      name: "a:b",
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "generalException" } } });
  });

  it("filters with eq only (eq on another field filters nothing), orders by name or date only", async () => {
    expect((await call("GET", "/graph/v1.0/drives?$filter=driveType%20eq%20project")).status).toBe(
      200,
    );
    const all = await call("GET", "/graph/v1.0/drives");
    const byName = await call("GET", "/graph/v1.0/drives?$filter=name%20eq%20'nothing'");
    expect(byName.body.value).toHaveLength(all.body.value.length);
    expect(
      (await call("GET", "/graph/v1.0/drives?$filter=driveType%20ne%20'project'")).status,
    ).toBe(501);
    expect((await call("GET", "/graph/v1.0/drives?$orderby=size")).status).toBe(400);
    const sorted = await call("GET", "/graph/v1.0/drives?$orderby=name%20desc");
    const names = sorted.body.value.map((d: { name: string }) => d.name);
    expect(names).toEqual([...names].sort().reverse());
  });

  it("disables (idempotent), refuses purging an enabled space, purges a disabled one, restores", async () => {
    const { body } = await call("POST", "/graph/v1.0/drives", { name: "Venus" });
    const path = `/graph/v1.0/drives/${encodeURIComponent(body.id)}`;
    const purgeEnabled = await call("DELETE", path, undefined, { Purge: "T" });
    expect(purgeEnabled.status).toBe(400);
    expect(purgeEnabled.body.error.message).toBe("error: bad request: can't purge enabled space");
    expect((await call("DELETE", path)).status).toBe(204);
    expect((await call("DELETE", path)).status).toBe(204);
    const listed = await call(
      "GET",
      `/graph/v1.0/drives?$filter=id%20eq%20'${encodeURIComponent(body.id)}'`,
    );
    expect(listed.body.value[0].root.deleted).toEqual({ state: "trashed" });
    expect(listed.body.value[0].quota).toEqual({ total: 1e9 });
    expect((await call("PATCH", path, {}, { Restore: "true" })).body.root.deleted).toBeUndefined();
    await call("DELETE", path);
    expect((await call("DELETE", path, undefined, { Purge: "1" })).status).toBe(204);
    expect((await call("GET", path)).status).toBe(404);
  });

  it("invites exactly one recipient, 409 on a duplicate, 404 on a disabled space; last Manager stays", async () => {
    const { body } = await call("POST", "/graph/v1.0/drives", { name: "Jupiter" });
    const id = encodeURIComponent(body.id);
    const group = sim.addGroup("dezky-tenant-jupiter");
    const invite = {
      recipients: [{ "@libre.graph.recipient.type": "group", objectId: group.id }],
      roles: [EDITOR],
    };
    const first = await call("POST", `/graph/v1beta1/drives/${id}/root/invite`, invite);
    expect(first.status).toBe(200);
    expect(first.body.value[0]).toMatchObject({
      id: `g:${group.id}`,
      roles: [EDITOR],
      invitation: { invitedBy: { user: { id: sim.provisioner.id } } },
    });
    const listed = await call("GET", `/graph/v1beta1/drives/${id}/root/permissions`);
    const grant = listed.body.value.find((p: { id: string }) => p.id === `g:${group.id}`);
    expect(grant).toEqual({
      id: `g:${group.id}`,
      grantedToV2: { group: { id: group.id, displayName: "dezky-tenant-jupiter" } },
      roles: [EDITOR],
    });
    expect((await call("POST", `/graph/v1beta1/drives/${id}/root/invite`, invite)).status).toBe(
      409,
    );
    const two = { ...invite, recipients: [...invite.recipients, ...invite.recipients] };
    expect((await call("POST", `/graph/v1beta1/drives/${id}/root/invite`, two)).status).toBe(400);
    const asUser = { ...invite, recipients: [{ objectId: group.id }] }; // type defaults to user
    expect(
      (await call("POST", `/graph/v1beta1/drives/${id}/root/invite`, asUser)).body.error.message,
    ).toBe("itemNotFound: not found");
    const fileRole = { ...invite, roles: ["b1e2218d-eef8-4d4c-b82d-0f1a1b48f3b5"] };
    expect((await call("POST", `/graph/v1beta1/drives/${id}/root/invite`, fileRole)).status).toBe(
      400,
    );
    const me = encodeURIComponent(`u:${sim.provisioner.id}`);
    expect(
      (await call("DELETE", `/graph/v1beta1/drives/${id}/root/permissions/${me}`)).status,
    ).toBe(403);
    const perm = encodeURIComponent(`g:${group.id}`);
    expect(
      (
        await call("PATCH", `/graph/v1beta1/drives/${id}/root/permissions/${perm}`, {
          roles: [MANAGER],
        })
      ).body.roles,
    ).toEqual([MANAGER]);
    expect(
      (await call("DELETE", `/graph/v1beta1/drives/${id}/root/permissions/${perm}`)).status,
    ).toBe(204);
    await call("DELETE", `/graph/v1.0/drives/${id}`);
    expect((await call("POST", `/graph/v1beta1/drives/${id}/root/invite`, invite)).status).toBe(
      404,
    );
  });

  it("hides spaces from plain users (404) and forbids them to create (403)", async () => {
    const { body } = await call("POST", "/graph/v1.0/drives", { name: "Hidden" });
    const user = { authorization: "Bearer user-token" };
    const path = `/graph/v1.0/drives/${encodeURIComponent(body.id)}`;
    expect((await call("GET", path, undefined, user)).status).toBe(404);
    expect((await call("PATCH", path, { name: "Y" }, user)).status).toBe(404);
    expect((await call("POST", "/graph/v1.0/drives", { name: "Mine" }, user)).status).toBe(403);
  });

  it("answers 404 'drive not found' for a disable the caller may not do, and leaves it enabled", async () => {
    const { body } = await call("POST", "/graph/v1.0/drives", { name: "Visible" });
    const drive = sim.drives.get(body.id)!;
    const viewer = sim.userFor("user-token");
    drive.permissions.push({
      kind: "u",
      principalId: viewer.id,
      displayName: viewer.displayName,
      roleId: "a8d5fe5e-96e3-418d-825b-534dbdf22b99",
    });
    const user = { authorization: "Bearer user-token" };
    const path = `/graph/v1.0/drives/${encodeURIComponent(body.id)}`;
    expect((await call("GET", path, undefined, user)).status).toBe(200);
    const denied = await call("DELETE", path, undefined, user);
    expect(denied).toMatchObject({
      status: 404,
      body: { error: { code: "itemNotFound", message: "drive not found" } },
    });
    expect(drive.disabled).toBe(false);
    const quota = await call("PATCH", path, { quota: { total: 5 } }, user);
    expect(quota).toMatchObject({ status: 403, body: { error: { code: "notAllowed" } } });
  });

  it("lets a Space Admin manage spaces it is not a member of, but not their members", async () => {
    const { body } = await call("POST", "/graph/v1.0/drives", { name: "Others" });
    const sa = { authorization: "Bearer spaceadmin-token" };
    const id = encodeURIComponent(body.id);
    const path = `/graph/v1.0/drives/${id}`;
    expect((await call("PATCH", path, { quota: { total: 7 } }, sa)).body.quota.total).toBe(7);
    expect((await call("DELETE", path, undefined, sa)).status).toBe(204);
    const perms = await call("GET", `/graph/v1beta1/drives/${id}/root/permissions`, undefined, sa);
    expect(perms.status).toBe(404);
    expect((await call("DELETE", path, undefined, { ...sa, Purge: "T" })).status).toBe(204);
  });

  it("version switch: v1beta1 single-drive routes exist only in 8.x", async () => {
    const { body } = await call("POST", "/graph/v1.0/drives", { name: "Beta" }, {}, sim8.url);
    expect(
      (
        await call(
          "GET",
          `/graph/v1beta1/drives/${encodeURIComponent(body.id)}`,
          undefined,
          {},
          sim8.url,
        )
      ).body.root.permissions[0].roles,
    ).toEqual([MANAGER]);
    const { body: b7 } = await call("POST", "/graph/v1.0/drives", { name: "Beta" });
    expect((await call("GET", `/graph/v1beta1/drives/${encodeURIComponent(b7.id)}`)).status).toBe(
      404,
    );
  });

  it("counts requests", () => {
    expect(sim.server.count({ method: "POST", path: "/graph/v1.0/drives" })).toBeGreaterThan(5);
  });
});
