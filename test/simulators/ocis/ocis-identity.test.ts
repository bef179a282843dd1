import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROXY, isValidEmail, roleFromClaims } from "./ocis-identity";
import { OcisSimulator } from "./ocis-simulator";

// Response bodies are read field by field in assertions; any shape may come back.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const sim = new OcisSimulator();

async function call(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith("{") ? JSON.parse(text) : text) as Json };
}

const claims = (over: Record<string, unknown> = {}) => ({
  preferred_username: "svc",
  name: "Service",
  email: "svc@dezky.eu",
  roles: ["ocisAdmin"],
  ...over,
});

beforeAll(() => sim.start());
afterAll(() => sim.stop());

describe("OCIS simulator: the proxy's user and role resolution", () => {
  it("401 without a Graph body for an unknown bearer", async () => {
    expect(await call("nobody", "GET", "/graph/v1.0/me")).toEqual({ status: 401, body: "" });
  });

  it("autoprovisioning fails (bare 500) without a valid e-mail or display name", async () => {
    for (const bad of [
      { email: "" },
      { email: undefined },
      { email: "svc" },
      { name: undefined },
    ]) {
      const token = sim.issueToken(claims({ ...bad, preferred_username: `u-${Math.random()}` }));
      const res = await call(token, "GET", "/graph/v1.0/me");
      expect(res).toEqual({ status: 500, body: "" });
    }
    expect(isValidEmail("dezky-ocis-provisioner@dezky.eu")).toBe(true);
  });

  it("assigns one role: the first role_mapping entry whose value is in the claim; none is a 500", () => {
    expect(roleFromClaims({ roles: ["ocisUser", "ocisSpaceAdmin"] }, DEFAULT_PROXY)).toEqual({
      role: "spaceadmin",
    });
    expect(roleFromClaims({ roles: "ocisAdmin" }, DEFAULT_PROXY)).toEqual({ role: "admin" });
    expect(roleFromClaims({ roles: ["dezkyOcisAdmin"] }, DEFAULT_PROXY)).toEqual({
      error: "no role in claim maps to an ocis role",
    });
    expect(roleFromClaims({}, DEFAULT_PROXY)).toEqual({ error: "no roles in user claims" });
  });

  it("re-assigns the role from the claim on every request", async () => {
    const admin = sim.issueToken(claims({ preferred_username: "switch" }));
    const user = sim.issueToken(claims({ preferred_username: "switch", roles: ["ocisUser"] }));
    await call(admin, "GET", "/graph/v1.0/me");
    expect(sim.users.find((u) => u.username === "switch")?.role).toBe("admin");
    await call(user, "GET", "/graph/v1.0/me");
    expect(sim.users.find((u) => u.username === "switch")?.role).toBe("user");
  });

  it("reports the role as an appRoleAssignment of the user", async () => {
    const me = await call("spaceadmin-token", "GET", "/graph/v1.0/me");
    const user = await call(
      "spaceadmin-token",
      "GET",
      `/graph/v1.0/users/${me.body.id}?$expand=appRoleAssignments`,
    );
    expect(user.body.appRoleAssignments.map((a: { appRoleId: string }) => a.appRoleId)).toEqual([
      "2aadd357-682c-406b-8874-293091995fdd",
    ]);
  });
});

describe("OCIS simulator: groups", () => {
  it("creates groups only for Accounts.ReadWrite (Admin): 403 Forbidden for a Space Admin", async () => {
    const denied = await call("spaceadmin-token", "POST", "/graph/v1.0/groups", {
      displayName: "dezky-x",
    });
    expect(denied).toMatchObject({
      status: 403,
      body: { error: { code: "accessDenied", message: "Forbidden" } },
    });
    const made = await call("provisioner-token", "POST", "/graph/v1.0/groups", {
      displayName: "dezky-x",
      description: "dropped",
    });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ id: made.body.id, displayName: "dezky-x" });
    expect(sim.groups.get(made.body.id)).toEqual({ id: made.body.id, displayName: "dezky-x" });
  });

  it("refuses a second group of the same name, an id, and a missing name", async () => {
    const dup = await call("provisioner-token", "POST", "/graph/v1.0/groups", {
      displayName: "DEZKY-X",
    });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: "nameAlreadyExists" } } });
    expect(
      (await call("provisioner-token", "POST", "/graph/v1.0/groups", { displayName: "y", id: "z" }))
        .status,
    ).toBe(400);
    expect((await call("provisioner-token", "POST", "/graph/v1.0/groups", {})).status).toBe(400);
  });

  it("resolves GET /groups/{id} by id only; searches by substring with a minimum length for users", async () => {
    const g = sim.addGroup("dezky-omega");
    sim.addGroup("dezky-omega-2");
    expect((await call("user-token", "GET", `/graph/v1.0/groups/${g.id}`)).body.displayName).toBe(
      "dezky-omega",
    );
    expect((await call("provisioner-token", "GET", "/graph/v1.0/groups/dezky-omega")).status).toBe(
      404,
    );
    const found = await call("user-token", "GET", "/graph/v1.0/groups?$search=%22omega%22");
    expect(found.body.value.map((x: { displayName: string }) => x.displayName).sort()).toEqual([
      "dezky-omega",
      "dezky-omega-2",
    ]);
    const short = await call("user-token", "GET", "/graph/v1.0/groups?$search=%22om%22");
    expect(short).toMatchObject({
      status: 403,
      body: { error: { message: "search term too short" } },
    });
    expect((await call("provisioner-token", "GET", "/graph/v1.0/groups")).status).toBe(200);
  });

  it("renames (409 when taken) and deletes only for Admins", async () => {
    const g = sim.addGroup("dezky-rename");
    sim.addGroup("dezky-taken");
    const path = `/graph/v1.0/groups/${g.id}`;
    expect((await call("spaceadmin-token", "DELETE", path)).status).toBe(403);
    expect(
      (await call("provisioner-token", "PATCH", path, { displayName: "dezky-taken" })).status,
    ).toBe(409);
    expect(
      (await call("provisioner-token", "PATCH", path, { displayName: "dezky-renamed" })).status,
    ).toBe(204);
    expect(g.displayName).toBe("dezky-renamed");
    expect((await call("provisioner-token", "DELETE", path)).status).toBe(204);
  });
});
