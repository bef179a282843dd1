/**
 * The OCIS providers as the engine runs them: the stored stub under plain Node, configured with
 * the `ocis` connection the platform passes (the provisioning identity's client credentials),
 * minting its bearer at the token endpoint, against the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultServer } from "../../../test/simulators/fault-server";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";
import { OcisTokenEndpoint } from "../../../test/simulators/ocis/token-endpoint";
import { runSerialized } from "../../../test/support/run-serialized";
import type { OcisConnection } from "./connection";

const sim = new OcisSimulator();
const idp = new OcisTokenEndpoint(sim, { clientId: "ocis", username: "svc", password: "app-pw" });
const edge = new FaultServer((req) => idp.handle(req));
let connection: OcisConnection;

beforeAll(async () => {
  const url = await sim.start();
  const tokenUrl = `${await edge.start()}/application/o/token/`;
  connection = { url, tokenUrl, clientId: "ocis", username: "svc", password: "app-pw", scope: "s" };
});
afterAll(async () => {
  await sim.stop();
  await edge.stop();
});

describe("OCIS providers as the engine runs them (serialized, plain Node)", () => {
  it("OcisSpace: create, read, delete (disable) through the stub", async () => {
    const run = await runSerialized({
      module: "components/providers/ocis/space.js",
      exportName: "OcisSpace",
      name: "ser-space",
      service: "ocis",
      connection,
      inputs: {
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
    expect(run.provider).not.toContain("app-pw");
    expect(run.providerLength).toBeLessThan(2048);
  });

  it("keeps error messages intact (a rejected credential names the identity)", async () => {
    const run = await runSerialized({
      module: "components/providers/ocis/group.js",
      exportName: "OcisGroup",
      name: "ser-bad",
      service: "ocis",
      connection: { ...connection, password: "wrong" },
      inputs: { tenant: "ser", displayName: "dezky-tenant-bad" },
      steps: ["create"],
    });
    expect(run.results.error).toMatch(
      /OCIS: tenant "ser": group "dezky-tenant-bad": GET .*token endpoint .* HTTP 400 \(invalid_grant\)/,
    );
  });

  it("OcisGroup and OcisSpaceMember: create, read, delete", async () => {
    const g = await runSerialized({
      module: "components/providers/ocis/group.js",
      exportName: "OcisGroup",
      name: "ser-group",
      service: "ocis",
      connection,
      inputs: { tenant: "ser", displayName: "dezky-tenant-ser" },
      steps: ["create", "read"],
    });
    const groupId = (g.results.create as { id: string }).id;
    expect(sim.groups.get(groupId)?.displayName).toBe("dezky-tenant-ser");
    const space = sim.addDrive("Ser Members", undefined, sim.provisioner);
    const m = await runSerialized({
      module: "components/providers/ocis/space-member.js",
      exportName: "OcisSpaceMember",
      name: "ser-member",
      service: "ocis",
      connection,
      inputs: { tenant: "ser", driveId: space.id, groupId, role: "editor" },
    });
    expect((m.results.create as { id: string }).id).toBe(`g:${groupId}`);
    expect((m.results.read as { props: { role: string } }).props.role).toBe("editor");
    expect(space.permissions.filter((p) => p.kind === "g")).toHaveLength(0); // deleted again
  });
});
