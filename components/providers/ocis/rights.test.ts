/**
 * What the real OCIS 7.1 does that the providers must survive (issue 15): a 404 that means
 * "not allowed", groups that only Admins may create, grants listed without `invitation`, and
 * tokens re-minted on every deploy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";
import { ocisOps } from "../../../test/simulators/ocis/ocis-ops";
import { OcisTokenEndpoint } from "../../../test/simulators/ocis/token-endpoint";
import { FaultServer } from "../../../test/simulators/fault-server";
import { create } from "../test-kit";
import { SPACE_ROLE_IDS } from "./names";
import type { SpaceMemberOutputs } from "./space-member.runtime";
import type { SpaceInputs, SpaceOutputs } from "./space.runtime";

const sim = new OcisSimulator();
let url: string;
const as = (token: string) => ({ url, token });
/** The providers acting as the identity behind `token`. */
const asIdentity = (token: string) => ocisOps(as(token));

beforeAll(async () => {
  url = await sim.start();
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.server.clearFaults();
  sim.server.resetLog();
});

function spaceInputs(tenant: string): SpaceInputs {
  return {
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
    const { spaceProvider } = asIdentity("user-token");
    const outs = { ...spaceInputs("t"), name: "Denied" } as SpaceOutputs;
    await expect(spaceProvider.delete(drive.id, outs)).rejects.toThrow(
      /DELETE \/graph\/v1.0\/drives\/.*HTTP 404: .*OCIS answered 404 but the space still exists.*may not disable it.*Admin role/,
    );
    expect(drive.disabled).toBe(false);
    expect(sim.server.log.filter((l) => l.method === "DELETE").map((l) => l.status)).toEqual([404]);
  });

  it("delete and read: a 404 the identity cannot interpret keeps the space in the state", async () => {
    const drive = sim.addDrive("Hidden"); // the user is not a member: every call answers 404
    const { spaceProvider } = asIdentity("user-token");
    const outs = { ...spaceInputs("t"), name: "Hidden" } as SpaceOutputs;
    await expect(spaceProvider.delete(drive.id, outs)).rejects.toThrow(
      /HTTP 404, and cannot tell whether the space is gone or hidden.*role: user/,
    );
    await expect(spaceProvider.read(drive.id, outs)).rejects.toThrow(/gone or hidden/);
    expect(sim.drives.get(drive.id)?.disabled).toBe(false);
  });

  it("a Space Admin disables and purges a space it is not a member of", async () => {
    const drive = sim.addDrive("NotMine", "x", sim.userFor("user-token"));
    const { spaceProvider } = asIdentity("spaceadmin-token");
    const outs = {
      ...spaceInputs("t"),
      name: "NotMine",
      enabled: false,
      purgeOnDelete: true,
      retainUntil: "2020-01-01",
    } as SpaceOutputs;
    await spaceProvider.delete(drive.id, outs);
    expect(sim.drives.has(drive.id)).toBe(false);
  });

  it("a space that is really gone is dropped without error", async () => {
    const { spaceProvider } = asIdentity("provisioner-token");
    const created = await create(spaceProvider, spaceInputs("gone"));
    sim.drives.delete(created.id);
    await spaceProvider.delete(created.id, created.outs as SpaceOutputs);
    expect((await spaceProvider.read(created.id, created.outs as SpaceOutputs)).id).toBe("");
  });

  it("update: a 404 for an existing space names the rights problem", async () => {
    const drive = foreignSpaceWithViewer("NoRename");
    const { spaceProvider } = asIdentity("user-token");
    const olds = { ...spaceInputs("t"), name: "NoRename" } as SpaceOutputs;
    await expect(
      spaceProvider.update(drive.id, olds, { ...olds, name: "Renamed" }),
    ).rejects.toThrow(/OCIS answered 404 but the space still exists.*change its name/);
    expect(drive.name).toBe("NoRename");
  });
});

describe("rights of the provisioning identity", () => {
  it("a Space Admin may create spaces but not groups (POST /groups needs the Admin role)", async () => {
    await expect(
      create(asIdentity("spaceadmin-token").groupProvider, {
        tenant: "sa",
        displayName: "dezky-sa",
      }),
    ).rejects.toThrow(/POST \/graph\/v1.0\/groups HTTP 403: .*accessDenied: Forbidden/);
    await create(asIdentity("spaceadmin-token").spaceProvider, spaceInputs("sa"));
    expect(sim.drivesNamed("Space sa")).toHaveLength(1);
  });
});

describe("grants are recognised with what OCIS lists (no `invitation`)", () => {
  it("a grant that existed before the first invite is someone else's: error unless adopt", async () => {
    const { groupProvider, spaceProvider, spaceMemberProvider } = asIdentity("provisioner-token");
    const group = await create(groupProvider, { tenant: "pre", displayName: "dezky-pre" });
    const space = await create(spaceProvider, spaceInputs("pre"));
    sim.drives.get(space.id)!.permissions.push({
      kind: "g",
      principalId: group.id,
      displayName: "dezky-pre",
      roleId: SPACE_ROLE_IDS.viewer,
    });
    const inputs = {
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
  it("a re-minted bearer, or a rotated app password, changes nothing", async () => {
    // The production path: client credentials, a bearer minted at the token endpoint.
    const idp = new OcisTokenEndpoint(sim, { clientId: "c", username: "svc", password: "pw-1" });
    const edge = new FaultServer((req) => idp.handle(req));
    const tokenUrl = `${await edge.start()}/token`;
    try {
      const first = { url, tokenUrl, clientId: "c", username: "svc", password: "pw-1", scope: "s" };
      const { groupProvider, spaceProvider, spaceMemberProvider } = ocisOps(first);
      const group = await create(groupProvider, { tenant: "tok", displayName: "dezky-tok" });
      const space = await create(spaceProvider, spaceInputs("tok"));
      const member = await create(spaceMemberProvider, {
        tenant: "tok",
        driveId: space.id,
        groupId: group.id,
        role: "viewer",
      });
      expect(idp.minted).toHaveLength(1); // one bearer per run, shared by every type
      // The next run: the bearer expired, the app password rotated. Reads and diffs through
      // the new credential find nothing to change.
      idp.expire();
      const rotated = { ...first, password: "pw-2" };
      (idp as unknown as { options: { password: string } }).options.password = "pw-2";
      const next = ocisOps(rotated);
      const reads = await Promise.all([
        next.groupProvider.read(group.id, group.outs),
        next.spaceProvider.read(space.id, space.outs),
        next.spaceMemberProvider.read(member.id, member.outs),
      ]);
      expect(reads.map((r) => r.id)).toEqual([group.id, space.id, member.id]);
      const diffs = await Promise.all([
        next.groupProvider.diff(group.id, reads[0].props, {
          tenant: "tok",
          displayName: "dezky-tok",
        }),
        next.spaceProvider.diff(space.id, reads[1].props, spaceInputs("tok")),
        next.spaceMemberProvider.diff(member.id, reads[2].props, {
          tenant: "tok",
          driveId: space.id,
          groupId: group.id,
          role: "viewer",
        }),
      ]);
      expect(diffs.map((d) => d.changes)).toEqual([false, false, false]);
      expect(idp.minted).toHaveLength(2);
      // A bearer that expires mid-run is minted again, once.
      idp.expire();
      await next.spaceProvider.read(space.id, space.outs);
      expect(idp.minted).toHaveLength(3);
      // A real change still shows.
      const bigger = await next.spaceProvider.diff(space.id, reads[1].props, {
        ...spaceInputs("tok"),
        quotaBytes: 2000,
      });
      expect(bigger.changes).toBe(true);
      // A wrong password is named: the identity and where its credential lives.
      await expect(
        ocisOps({ ...first, password: "wrong" }).spaceProvider.read(space.id, space.outs),
      ).rejects.toThrow(/token endpoint .* answered HTTP 400 \(invalid_grant\)/);
    } finally {
      await edge.stop();
    }
  });
});
