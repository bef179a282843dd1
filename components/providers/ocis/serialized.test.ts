import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";
import { runSerialized } from "../../../test/support/run-serialized";

const sim = new OcisSimulator();
let connection: { url: string; token: string };

beforeAll(async () => {
  connection = { url: await sim.start(), token: "provisioner-token" };
});
afterAll(() => sim.stop());

describe("OCIS providers as the engine runs them (serialized, plain Node)", () => {
  it("OcisSpace: create, read, delete (disable) through the serialized provider", async () => {
    const run = await runSerialized({
      module: "components/providers/ocis/space.js",
      exportName: "OcisSpace",
      name: "ser-space",
      inputs: {
        connection,
        tenant: "ser",
        key: "main",
        name: "Serial: Space",
        quotaBytes: 2048,
        enabled: true,
      },
    });
    const created = run.results.create as { id: string; outs: Record<string, unknown> };
    const drive = sim.drives.get(created.id)!;
    expect(drive).toMatchObject({
      name: "Serial- Space",
      quotaTotal: 2048,
      description: "[dezky:tenant=ser;space=main]",
    });
    expect((run.results.read as { id: string }).id).toBe(created.id);
    expect(run.results.delete).toBe("ok");
    expect(drive.disabled).toBe(true); // delete disables, never purges silently
    expect(run.provider).not.toContain("provisioner-token");
    expect(run.provider).not.toContain("ajv"); // only this service's code plus the http client
    expect(run.providerLength).toBeLessThan(200_000);
  });

  it("keeps error messages intact through serialization (401 names the config key)", async () => {
    await expect(
      runSerialized({
        module: "components/providers/ocis/group.js",
        exportName: "OcisGroup",
        name: "ser-bad",
        inputs: {
          connection: { ...connection, token: "wrong" },
          tenant: "ser",
          displayName: "dezky-tenant-bad",
        },
        steps: ["create"],
      }),
    ).rejects.toThrow(
      /OCIS: tenant "ser": group "dezky-tenant-bad": GET .* HTTP 401: .*dezky:ocisServiceToken/,
    );
  });

  it("OcisGroup and OcisSpaceMember: create, read, delete", async () => {
    const g = await runSerialized({
      module: "components/providers/ocis/group.js",
      exportName: "OcisGroup",
      name: "ser-group",
      inputs: { connection, tenant: "ser", displayName: "dezky-tenant-ser" },
      steps: ["create", "read"],
    });
    const groupId = (g.results.create as { id: string }).id;
    expect(sim.groups.get(groupId)?.displayName).toBe("dezky-tenant-ser");
    const space = sim.addDrive("Ser Members", undefined, sim.provisioner);
    const m = await runSerialized({
      module: "components/providers/ocis/space-member.js",
      exportName: "OcisSpaceMember",
      name: "ser-member",
      inputs: { connection, tenant: "ser", driveId: space.id, groupId, role: "editor" },
    });
    expect((m.results.create as { id: string }).id).toBe(`g:${groupId}`);
    expect((m.results.read as { props: { role: string } }).props.role).toBe("editor");
    expect(space.permissions.filter((p) => p.kind === "g")).toHaveLength(0); // deleted again
    expect(m.provider).not.toContain("provisioner-token");
  });
});
