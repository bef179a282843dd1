import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";

import { SPACE_ROLE_IDS } from "./names";

import type { SpaceInputs } from "./space.runtime";
import { create, type Ops } from "../test-kit";
import { ocisOps } from "../../../test/simulators/ocis/ocis-ops";

const sim = new OcisSimulator();
let connection: { url: string; token: string };
const DRIVES = "/graph/v1.0/drives";

beforeAll(async () => {
  connection = { url: await sim.start(), token: "provisioner-token" };
});
afterAll(() => sim.stop());
let groupProvider: Ops;
let spaceProvider: Ops;
let spaceMemberProvider: Ops;

beforeEach(() => {
  ({ groupProvider, spaceProvider, spaceMemberProvider } = ocisOps(connection));
  sim.server.clearFaults();
  sim.server.resetLog();
});

function space(tenant: string): SpaceInputs {
  return {
    tenant,
    key: "main",
    name: `Space ${tenant}`,
    quotaBytes: 1000,
    enabled: true,
  };
}
const posts = (path: string) =>
  sim.server.log.filter((l) => l.method === "POST" && l.path === path);

describe("OCIS providers under faults", () => {
  it("honours Retry-After on 429 (lookups and creates)", async () => {
    sim.server.inject(
      { kind: "status", status: 429, retryAfter: "1" },
      { method: "GET", path: DRIVES },
    );
    sim.server.inject(
      { kind: "status", status: 429, retryAfter: "1" },
      { method: "POST", path: DRIVES },
    );
    const started = Date.now();
    const created = await create(spaceProvider, space("r429"));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1900); // two waits of 1 s, not the 5 ms backoff
    expect(sim.drivesNamed("Space r429")).toHaveLength(1);
    expect(sim.drives.has(created.id)).toBe(true);
    expect(posts(DRIVES).map((p) => p.status)).toEqual(["fault", 201]);
  });

  it("retries 5xx and connection resets", async () => {
    sim.server.inject({ kind: "status", status: 503 }, { method: "GET" }, 2);
    sim.server.inject({ kind: "reset" }, { method: "POST", path: DRIVES });
    sim.server.inject({ kind: "status", status: 502 }, { method: "POST", path: DRIVES });
    const created = await create(spaceProvider, space("r5xx"));
    expect(sim.drivesNamed("Space r5xx")).toHaveLength(1);
    expect(sim.drives.get(created.id)!.quotaTotal).toBe(1000);
    expect(posts(DRIVES).map((p) => p.status)).toEqual(["fault", "fault", 201]);
  });

  it("times out a hanging request and tries again", async () => {
    sim.server.inject({ kind: "timeout" }, { method: "POST", path: DRIVES });
    sim.server.inject({ kind: "timeout" }, { method: "GET", path: /\/graph\/v1.0\/groups\// });
    const group = await create(groupProvider, {
      tenant: "hang",
      displayName: "dezky-tenant-hang",
    });
    const created = await create(spaceProvider, space("hang"));
    expect(sim.groups.has(group.id)).toBe(true);
    expect(sim.drivesNamed("Space hang")).toHaveLength(1);
    expect(created.id).toBe(sim.drivesNamed("Space hang")[0].id);
  });

  it("a lost create response leaves exactly one space, which the retry adopts", async () => {
    sim.server.inject({ kind: "lose-response" }, { method: "POST", path: DRIVES });
    const created = await create(spaceProvider, space("lost"));
    expect(sim.drivesNamed("Space lost")).toHaveLength(1);
    expect(created.id).toBe(sim.drivesNamed("Space lost")[0].id);
    expect(posts(DRIVES)).toHaveLength(1); // found by marker, never posted twice
  });

  it("a lost group create and a lost invite leave one group and one grant", async () => {
    sim.server.inject({ kind: "lose-response" }, { method: "POST", path: "/graph/v1.0/groups" });
    const group = await create(groupProvider, {
      tenant: "lostg",
      displayName: "dezky-tenant-lostg",
    });
    expect(
      [...sim.groups.values()].filter((g) => g.displayName === "dezky-tenant-lostg"),
    ).toHaveLength(1);
    expect(group.id).toBe(
      [...sim.groups.values()].find((g) => g.displayName === "dezky-tenant-lostg")!.id,
    );

    const s = await create(spaceProvider, space("lostg"));
    sim.server.inject({ kind: "lose-response" }, { method: "POST", path: /\/root\/invite$/ });
    const member = await create(spaceMemberProvider, {
      tenant: "lostg",
      driveId: s.id,
      groupId: group.id,
      role: "viewer",
    });
    const grants = sim.drives.get(s.id)!.permissions.filter((p) => p.kind === "g");
    expect(grants).toHaveLength(1);
    expect(grants[0].roleId).toBe(SPACE_ROLE_IDS.viewer);
    expect(member.id).toBe(`g:${group.id}`);
    // The retried invite met 409 and was recognised as ours.
    expect(
      sim.server.log.filter((l) => l.path.endsWith("/root/invite")).map((l) => l.status),
    ).toEqual([200, 409]);
  });

  it("gives up with a clear error when the server stays down", async () => {
    sim.server.inject({ kind: "status", status: 500 }, { method: "GET", path: DRIVES }, 100);
    await expect(create(spaceProvider, space("down"))).rejects.toThrow(
      /OCIS: tenant "down": space "Space down" \(main\): GET \/graph\/v1.0\/drives.* HTTP 500: OCIS failed on its side/,
    );
    expect(sim.drivesNamed("Space down")).toHaveLength(0);
  });
});
