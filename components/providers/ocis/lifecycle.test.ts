import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";
import type { GroupOutputs } from "./group.runtime";
import { SPACE_ROLE_IDS } from "./names";
import type { SpaceMemberOutputs } from "./space-member.runtime";
import type { SpaceInputs, SpaceOutputs } from "./space.runtime";
import { create, type Ops, update } from "../test-kit";
import { ocisOps } from "../../../test/simulators/ocis/ocis-ops";

const GiB = 1024 ** 3;
const sim = new OcisSimulator();
let connection: { url: string; token: string };

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
});

function spaceInputs(over: Partial<SpaceInputs> = {}): SpaceInputs {
  return {
    tenant: "acme",
    key: "main",
    name: "Acme.com GmbH",
    quotaBytes: 5 * GiB,
    enabled: true,
    ...over,
  };
}

describe("a tenant's life in OCIS", () => {
  it("goes from onboarding through suspension to purge after the retention date", async () => {
    sim.server.resetLog();
    // Onboarding: group, main space, membership.
    const group = await create(groupProvider, {
      tenant: "acme",
      displayName: "dezky-tenant-acme",
    });
    const space = await create(spaceProvider, spaceInputs());
    const member = await create(spaceMemberProvider, {
      tenant: "acme",
      driveId: space.id,
      groupId: group.id,
      role: "editor",
    });
    const drive = sim.drives.get(space.id)!;
    expect(drive.name).toBe("Acme-com GmbH");
    expect(drive.description).toBe("[dezky:tenant=acme;space=main]");
    expect(drive.quotaTotal).toBe(5 * GiB);
    expect(member.id).toBe(`g:${group.id}`);
    expect(drive.permissions.map((p) => [p.kind, p.roleId])).toEqual([
      ["u", SPACE_ROLE_IDS.manager],
      ["g", SPACE_ROLE_IDS.editor],
    ]);
    expect(sim.groups.get(group.id)!.displayName).toBe("dezky-tenant-acme");
    // What a tenant costs: group search+POST, drives list+POST, permissions+invite.
    expect(sim.server.log.map((r) => `${r.method} ${r.status}`)).toEqual([
      "GET 200",
      "POST 201",
      "GET 200",
      "POST 201",
      "GET 200",
      "POST 200",
    ]);

    // Quota change: in place.
    let spaceOuts = space.outs as SpaceOutputs;
    const q = await update(
      spaceProvider,
      space.id,
      spaceOuts,
      spaceInputs({ quotaBytes: 10 * GiB }),
    );
    expect(q.diff.replaces).toEqual([]);
    expect(sim.drives.get(space.id)!.quotaTotal).toBe(10 * GiB);
    spaceOuts = q.outs;

    // A department space with its own group.
    const deptGroup = await create(groupProvider, {
      tenant: "acme",
      displayName: "dezky-tenant-acme-sales",
    });
    const dept = await create(
      spaceProvider,
      spaceInputs({ key: "sales", name: "Acme Sales", quotaBytes: GiB }),
    );
    const deptMember = await create(spaceMemberProvider, {
      tenant: "acme",
      driveId: dept.id,
      groupId: deptGroup.id,
      role: "viewer",
    });
    expect(sim.drives.size).toBe(2);

    // Role change updates the permission in place.
    const r = await update(
      spaceMemberProvider,
      deptMember.id,
      deptMember.outs as SpaceMemberOutputs,
      {
        ...(deptMember.outs as SpaceMemberOutputs),
        role: "manager",
      },
    );
    expect(r.diff.replaces).toEqual([]);
    expect(sim.drives.get(dept.id)!.permissions.find((p) => p.kind === "g")!.roleId).toBe(
      SPACE_ROLE_IDS.manager,
    );

    // Suspend: both spaces disabled; restore re-enables them.
    const suspended = await update(
      spaceProvider,
      space.id,
      spaceOuts,
      spaceInputs({ quotaBytes: 10 * GiB, enabled: false }),
    );
    expect(sim.drives.get(space.id)!.disabled).toBe(true);
    const read = await spaceProvider.read!(space.id, suspended.outs);
    expect(read.props?.enabled).toBe(false);
    // A membership on a suspended space stays in the state (permissions are hidden then).
    const memberRead = await spaceMemberProvider.read!(member.id, member.outs);
    expect(memberRead.id).toBe(member.id);
    const restored = await update(
      spaceProvider,
      space.id,
      suspended.outs,
      spaceInputs({ quotaBytes: 10 * GiB }),
    );
    expect(sim.drives.get(space.id)!.disabled).toBe(false);
    expect(
      sim.server.log.some(
        (l) => l.method === "PATCH" && l.body && Object.keys(l.body).length === 0,
      ),
    ).toBe(true);

    // Removing the department space disables it (no purge), removing its membership deletes it.
    await spaceMemberProvider.delete!(deptMember.id, r.outs);
    expect(sim.drives.get(dept.id)!.permissions.some((p) => p.kind === "g")).toBe(false);
    await spaceProvider.delete!(dept.id, dept.outs);
    expect(sim.drives.get(dept.id)!.disabled).toBe(true);

    // Offboarding before the retention date: purge refused at check and at delete.
    const early = spaceInputs({
      quotaBytes: 10 * GiB,
      enabled: false,
      purgeOnDelete: true,
      retainUntil: "2999-01-01",
    });
    const refused = await spaceProvider.check!(restored.outs, early);
    expect(refused.failures?.[0]?.reason).toMatch(
      /purge refused: retainUntil 2999-01-01 has not passed/,
    );
    await expect(spaceProvider.delete!(space.id, { ...restored.outs, ...early })).rejects.toThrow(
      /purge refused/,
    );
    expect(sim.drives.has(space.id)).toBe(true);

    // After the retention date: offboarded (disabled), then deleted = purged.
    const late = spaceInputs({
      quotaBytes: 10 * GiB,
      enabled: false,
      purgeOnDelete: true,
      retainUntil: "2020-01-01",
    });
    const offboarded = await update(spaceProvider, space.id, restored.outs, late);
    expect(sim.drives.get(space.id)!.disabled).toBe(true);
    await spaceProvider.delete!(space.id, offboarded.outs);
    expect(sim.drives.has(space.id)).toBe(false);
    expect(sim.server.log.filter((l) => l.method === "DELETE" && l.status === 400)).toEqual([]);
    // Gone: read says so, deletes are done.
    expect((await spaceProvider.read!(space.id, offboarded.outs)).id).toBe("");
    expect((await spaceMemberProvider.read!(member.id, member.outs)).id).toBe("");
    await spaceProvider.delete!(space.id, offboarded.outs);
    await groupProvider.delete!(group.id, group.outs as GroupOutputs);
    expect(sim.groups.has(group.id)).toBe(false);
    await groupProvider.delete!(group.id, group.outs as GroupOutputs);
    // Each 404 on a drive was confirmed with the caller's role, looked up once per provider.
    expect(sim.server.count({ method: "GET", path: "/graph/v1.0/me" })).toBe(2);
  });

  it("read reports drift in name, description, quota, state and role", async () => {
    const group = await create(groupProvider, {
      tenant: "drift",
      displayName: "dezky-tenant-drift",
    });
    const space = await create(
      spaceProvider,
      spaceInputs({ tenant: "drift", name: "Drift", description: "Files" }),
    );
    const member = await create(spaceMemberProvider, {
      tenant: "drift",
      driveId: space.id,
      groupId: group.id,
      role: "editor",
    });
    const drive = sim.drives.get(space.id)!;
    drive.name = "Renamed";
    drive.quotaTotal = 1;
    drive.description = "changed by hand";
    drive.permissions.find((p) => p.kind === "g")!.roleId = SPACE_ROLE_IDS.viewer;
    const read = await spaceProvider.read!(space.id, space.outs);
    expect(read.props).toMatchObject({
      name: "Renamed",
      quotaBytes: 1,
      description: "changed by hand",
      enabled: true,
    });
    const diff = await spaceProvider.diff!(space.id, read.props, space.outs);
    expect(diff.changes).toBe(true);
    // The next update puts it back, marker included.
    await spaceProvider.update!(space.id, read.props as SpaceOutputs, space.outs as SpaceInputs);
    expect(drive).toMatchObject({
      name: "Drift",
      quotaTotal: 5 * GiB,
      description: "Files [dezky:tenant=drift;space=main]",
    });
    const memberRead = await spaceMemberProvider.read!(member.id, member.outs);
    expect(memberRead.props).toMatchObject({ role: "viewer", roleId: SPACE_ROLE_IDS.viewer });
    drive.disabled = true;
    expect((await spaceProvider.read!(space.id, space.outs)).props?.enabled).toBe(false);
    // Membership removed by hand: read drops it.
    drive.disabled = false;
    drive.permissions = drive.permissions.filter((p) => p.kind === "u");
    expect((await spaceMemberProvider.read!(member.id, member.outs)).id).toBe("");
    sim.groups.delete(group.id);
    expect((await groupProvider.read!(group.id, group.outs)).id).toBe("");
  });

  it("adopts its own space by marker, refuses a foreign one unless adopt is set", async () => {
    // A space with our marker (created by an earlier run whose state was lost).
    const own = sim.addDrive("Beta", "[dezky:tenant=beta;space=main]");
    own.disabled = true;
    const adopted = await create(
      spaceProvider,
      spaceInputs({ tenant: "beta", name: "Beta", quotaBytes: 3 }),
    );
    expect(adopted.id).toBe(own.id);
    expect(own).toMatchObject({ disabled: false, quotaTotal: 3 });
    expect(sim.drivesNamed("Beta")).toHaveLength(1);

    // Same name, no marker: a clear error; with adopt: taken over and marked.
    const foreign = sim.addDrive("Gamma Team", "made by hand");
    await expect(
      create(spaceProvider, spaceInputs({ tenant: "gamma", name: "Gamma Team" })),
    ).rejects.toThrow(
      /a space named "Gamma Team" .* exists that this program did not create; set adopt: true/,
    );
    const taken = await create(
      spaceProvider,
      spaceInputs({ tenant: "gamma", name: "Gamma Team", adopt: true }),
    );
    expect(taken.id).toBe(foreign.id);
    expect(foreign.description).toBe("[dezky:tenant=gamma;space=main]");
    expect(sim.drivesNamed("Gamma Team")).toHaveLength(1);
  });

  it("finds groups by exact name (search, then compare), and refuses existing ones unless adopted", async () => {
    sim.addGroup("dezky-tenant-delta-old");
    const created = await create(groupProvider, {
      tenant: "delta",
      displayName: "dezky-tenant-delta",
    });
    expect(sim.groups.get(created.id)!.displayName).toBe("dezky-tenant-delta");
    expect(sim.server.log.some((l) => l.path.startsWith("/graph/v1.0/groups/dezky"))).toBe(false);
    // Synced at a login before provisioning: error, then adopt.
    const synced = sim.addGroup("dezky-tenant-eps");
    await expect(
      create(groupProvider, { tenant: "eps", displayName: "dezky-tenant-eps" }),
    ).rejects.toThrow(/was not created by this program .* set adopt: true/);
    const adopted = await create(groupProvider, {
      tenant: "eps",
      displayName: "dezky-tenant-eps",
      adopt: true,
    });
    expect(adopted.id).toBe(synced.id);
    expect(
      [...sim.groups.values()].filter((g) => g.displayName === "dezky-tenant-eps"),
    ).toHaveLength(1);
  });

  it("names the credential on 401/403 and the rejected field on 400", async () => {
    const bad = ocisOps({ url: connection.url, token: "wrong" }).spaceProvider;
    await expect(create(bad, spaceInputs())).rejects.toThrow(
      /OCIS: tenant "acme": space .* HTTP 401: .*dezky-ocis-provisioner.*ocis ApiConnection/,
    );
    const user = ocisOps({ url: connection.url, token: "user-token" }).spaceProvider;
    await expect(create(user, spaceInputs({ tenant: "u1" }))).rejects.toThrow(
      /POST \/graph\/v1.0\/drives HTTP 403: .*dezky-ocis-provisioner/,
    );
    // A value that skipped check: the server's 400 and the rejected field are in the message.
    await expect(
      spaceProvider.create(
        spaceInputs({ tenant: "u2", name: "U2", quotaBytes: "lots" as unknown as number }),
      ),
    ).rejects.toThrow(
      /POST \/graph\/v1.0\/drives HTTP 400: the server rejected the request: invalidRequest: .*quota/,
    );
    const group = await create(groupProvider, {
      tenant: "zeta",
      displayName: "dezky-tenant-zeta",
    });
    const space = await create(spaceProvider, spaceInputs({ tenant: "zeta", name: "Zeta" }));
    sim.drives.get(space.id)!.disabled = true;
    await expect(
      create(spaceMemberProvider, {
        tenant: "zeta",
        driveId: space.id,
        groupId: group.id,
        role: "editor",
      }),
    ).rejects.toThrow(/tenant "zeta".*space is disabled or gone; restore it/);
  });
});
