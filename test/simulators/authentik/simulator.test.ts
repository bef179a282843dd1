/**
 * The Authentik simulator itself: schema validation against the official schema.yml, the
 * documented error bodies, pagination and the policy-engine rule the isolation tests rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, TOKEN } from "./harness";
import type { AuthentikSimulator } from "./simulator";

let sim: AuthentikSimulator;
let url: string;

beforeAll(async () => {
  ({ sim, url } = await startSimulator());
});
afterAll(() => sim.stop());

async function api(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const res = await fetch(`${url}/api/v3${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("Authentik simulator", () => {
  it("answers 403 {detail} for a missing or bad token (authentik sends no 401)", async () => {
    expect(await api("GET", "/core/groups/", undefined, null)).toEqual({
      status: 403,
      body: { detail: "Authentication credentials were not provided." },
    });
    expect(await api("GET", "/core/groups/", undefined, "nope")).toEqual({
      status: 403,
      body: { detail: "Token invalid/expired" },
    });
  });

  it("validates bodies against schema.yml: field errors as {field: [msgs]}", async () => {
    const missing = await api("POST", "/core/groups/", { is_superuser: false });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body!)).toContain("name");
    const oldShape = await api("POST", "/providers/oauth2/", {
      name: "x",
      authorization_flow: "not-a-uuid",
      invalidation_flow: "x",
      redirect_uris: "https://a/cb",
    });
    expect(oldShape.status).toBe(400);
    expect(Object.keys(oldShape.body!)).toEqual(
      expect.arrayContaining(["redirect_uris", "authorization_flow"]),
    );
    expect((await api("GET", "/core/nonexistent/")).status).toBe(404);
  });

  it("enforces unique group names and reports 404 as {detail: No X matches}", async () => {
    expect((await api("POST", "/core/groups/", { name: "dup" })).status).toBe(201);
    expect(await api("POST", "/core/groups/", { name: "dup" })).toEqual({
      status: 400,
      body: { name: ["Group with this name already exists."] },
    });
    expect(await api("GET", "/core/applications/none/")).toEqual({
      status: 404,
      body: { detail: "No Application matches the given query." },
    });
  });

  it("paginates lists", async () => {
    for (let i = 0; i < 23; i++) await api("POST", "/core/groups/", { name: `page-${i}` });
    const first = await api("GET", "/core/groups/?page_size=10");
    expect(first.body!.results).toHaveLength(10);
    expect(first.body!.pagination).toMatchObject({
      next: 2,
      previous: 0,
      current: 1,
      start_index: 1,
      end_index: 10,
    });
    const last = await api(
      "GET",
      `/core/groups/?page_size=10&page=${first.body!.pagination.total_pages}`,
    );
    expect(last.body!.pagination.next).toBe(0);
  });

  it("binding rules: exactly one of policy/group/user; no bindings means open to all", async () => {
    const group = (await api("POST", "/core/groups/", { name: "members" })).body!;
    const app = (
      await api("POST", "/core/applications/", {
        name: "A",
        slug: "a",
        meta_launch_url: "https://a.test/",
      })
    ).body!;
    expect(app.pbm_uuid).toBe(app.pk);
    const none = await api("POST", "/policies/bindings/", { target: app.pk, order: 0 });
    expect(none).toEqual({
      status: 400,
      body: { non_field_errors: ["One of 'policy', 'group', 'user' must be set."] },
    });
    const outsider = sim.state.addUser("out", "dup");
    const member = sim.state.addUser("in", "members");
    expect(sim.state.canSee(outsider, "a")).toBe(true);
    const binding = (
      await api("POST", "/policies/bindings/", { target: app.pk, group: group.pk, order: 0 })
    ).body!;
    expect(sim.state.canSee(outsider, "a")).toBe(false);
    expect(sim.state.canSee(member, "a")).toBe(true);
    // Disabling the only binding opens the application again: the pitfall the provider avoids.
    await api("PATCH", `/policies/bindings/${binding.pk}/`, { enabled: false });
    expect(sim.state.canSee(outsider, "a")).toBe(true);
  });
});
