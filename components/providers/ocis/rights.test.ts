/**
 * What the real OCIS 7.1 does that the providers must survive (issue 15): a 404 that means
 * "not allowed", groups that only Admins may create, grants listed without `invitation`, and
 * tokens re-minted on every deploy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";
import { groupProvider, type GroupOutputs } from "./group-provider";
import { SPACE_ROLE_IDS } from "./names";
import { spaceMemberProvider, type SpaceMemberOutputs } from "./space-member-provider";
import { spaceProvider, type SpaceInputs, type SpaceOutputs } from "./space-provider";
import { create, useFastRetry } from "./test-kit";

const sim = new OcisSimulator();
let url: string;
const as = (token: string) => ({ url, token });

beforeAll(async () => {
  url = await sim.start();
});
afterAll(() => sim.stop());
beforeEach(() => {
  useFastRetry();
  sim.server.clearFaults();
  sim.server.resetLog();
});

function spaceInputs(tenant: string, token = "provisioner-token"): SpaceInputs {
  return {
    connection: as(token),
    tenant,
    key: "main",
    name: `Space ${tenant}`,
    quotaBytes: 1000,
    enabled: true,
  };
}

/** A space made in OCIS Web by a Space Admin, with the plain user as a viewer member. */
function foreignSpaceWithViewer(name: string) {
  const drive = sim.addDrive(name, "[dezky:tenant=t;space=main]");
  const user = sim.userFor("user-token");
  drive.permissions.push({
    kind: "u",
    principalId: user.id,
    displayName: user.displayName,
    roleId: SPACE_ROLE_IDS.viewer,
  });
  return drive;
}

describe("a 404 from OCIS on a drive is confirmed before the space leaves the state", () => {
  it("delete: 'not allowed' answered as 404 is an error, and the space stays enabled", async () => {
    const drive = foreignSpaceWithViewer("Denied");
    const outs = { ...spaceInputs("t", "user-token"), name: "Denied" } as SpaceOutputs;
    await expect(spaceProvider.delete!(drive.id, outs)).rejects.toThrow(
      /DELETE \/graph\/v1.0\/drives\/.*HTTP 404: .*OCIS answered 404 but the space still exists.*may not disable it.*Admin role/,
    );
    expect(drive.disabled).toBe(false);
    expect(sim.server.log.filter((l) => l.method === "DELETE").map((l) => l.status)).toEqual([404]);
  });

  it("delete and read: a 404 the identity cannot interpret keeps the space in the state", async () => {
    const drive = sim.addDrive("Hidden"); // the user is not a member: every call answers 404
    const outs = { ...spaceInputs("t", "user-token"), name: "Hidden" } as SpaceOutputs;
    await expect(spaceProvider.delete!(drive.id, outs)).rejects.toThrow(
      /HTTP 404, and cannot tell whether the space is gone or hidden.*role: user/,
    );
    await expect(spaceProvider.read!(drive.id, outs)).rejects.toThrow(/gone or hidden/);
    expect(sim.drives.get(drive.id)?.disabled).toBe(false);
  });

  it("a Space Admin disables and purges a space it is not a member of", async () => {
    const drive = sim.addDrive("NotMine", "x", sim.userFor("user-token"));
    const outs = {
      ...spaceInputs("t", "spaceadmin-token"),
      name: "NotMine",
      enabled: false,
      purgeOnDelete: true,
      retainUntil: "2020-01-01",
    } as SpaceOutputs;
    await spaceProvider.delete!(drive.id, outs);
    expect(sim.drives.has(drive.id)).toBe(false);
  });

  it("a space that is really gone is dropped without error", async () => {
    const created = await create(spaceProvider, spaceInputs("gone"));
    sim.drives.delete(created.id);
    await spaceProvider.delete!(created.id, created.outs as SpaceOutputs);
    expect((await spaceProvider.read!(created.id, created.outs as SpaceOutputs)).id).toBe("");
  });

  it("update: a 404 for an existing space names the rights problem", async () => {
    const drive = foreignSpaceWithViewer("NoRename");
    const olds = { ...spaceInputs("t", "user-token"), name: "NoRename" } as SpaceOutputs;
    await expect(
      spaceProvider.update!(drive.id, olds, { ...olds, name: "Renamed" }),
    ).rejects.toThrow(/OCIS answered 404 but the space still exists.*change its name/);
    expect(drive.name).toBe("NoRename");
  });
});

describe("rights of the provisioning identity", () => {
  it("a Space Admin may create spaces but not groups (POST /groups needs the Admin role)", async () => {
    await expect(
      create(groupProvider, {
        connection: as("spaceadmin-token"),
        tenant: "sa",
        displayName: "dezky-sa",
      }),
    ).rejects.toThrow(/POST \/graph\/v1.0\/groups HTTP 403: .*accessDenied: Forbidden/);
    await create(spaceProvider, spaceInputs("sa", "spaceadmin-token"));
    expect(sim.drivesNamed("Space sa")).toHaveLength(1);
  });
});

describe("grants are recognised with what OCIS lists (no `invitation`)", () => {
  it("a grant that existed before the first invite is someone else's: error unless adopt", async () => {
    const group = await create(groupProvider, {
      connection: as("provisioner-token"),
      tenant: "pre",
      displayName: "dezky-pre",
    });
    const space = await create(spaceProvider, spaceInputs("pre"));
    sim.drives.get(space.id)!.permissions.push({
      kind: "g",
      principalId: group.id,
      displayName: "dezky-pre",
      roleId: SPACE_ROLE_IDS.viewer,
    });
    const inputs = {
      connection: as("provisioner-token"),
      tenant: "pre",
      driveId: space.id,
      groupId: group.id,
      role: "editor" as const,
    };
    await expect(create(spaceMemberProvider, inputs)).rejects.toThrow(
      /already a member of space .* set adopt: true/,
    );
    const adopted = await create(spaceMemberProvider, { ...inputs, adopt: true });
    expect((adopted.outs as SpaceMemberOutputs).roleId).toBe(SPACE_ROLE_IDS.editor);
  });
});

describe("credentials never cause a diff", () => {
  it("a re-minted token changes nothing for spaces, groups and grants", async () => {
    const connection = as("provisioner-token");
    const fresh = as("a-newly-minted-token");
    const group = (await create(groupProvider, {
      connection,
      tenant: "tok",
      displayName: "dezky-tok",
    })) as { id: string; outs: GroupOutputs };
    const space = (await create(spaceProvider, spaceInputs("tok"))) as {
      id: string;
      outs: SpaceOutputs;
    };
    const member = (await create(spaceMemberProvider, {
      connection,
      tenant: "tok",
      driveId: space.id,
      groupId: group.id,
      role: "viewer",
    })) as { id: string; outs: SpaceMemberOutputs };
    const diffs = await Promise.all([
      groupProvider.diff!(group.id, group.outs, { ...group.outs, connection: fresh }),
      spaceProvider.diff!(space.id, space.outs, { ...space.outs, connection: fresh }),
      spaceMemberProvider.diff!(member.id, member.outs, { ...member.outs, connection: fresh }),
    ]);
    expect(diffs.map((d) => d.changes)).toEqual([false, false, false]);
    // A real change still shows.
    const renamed = await spaceProvider.diff!(space.id, space.outs, {
      ...space.outs,
      connection: fresh,
      quotaBytes: 2000,
    });
    expect(renamed.changes).toBe(true);
  });
});
