/**
 * OCIS's three types under the contract suite, against the OCIS simulator, connected as the
 * platform connects them: client credentials, a bearer minted at (a stand-in for) Authentik's
 * token endpoint.
 */
import { FaultServer } from "../../../test/simulators/fault-server";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";
import { OcisTokenEndpoint } from "../../../test/simulators/ocis/token-endpoint";
import { create, providerFor } from "../test-kit";
import type { ContractCase, World } from "./suite";

interface OcisWorld extends World {
  sim: OcisSimulator;
}

async function start(): Promise<OcisWorld> {
  const sim = new OcisSimulator();
  const idp = new OcisTokenEndpoint(sim, { clientId: "ocis", username: "svc", password: "app-pw" });
  const edge = new FaultServer((req) => idp.handle(req));
  const url = await sim.start();
  const tokenUrl = `${await edge.start()}/application/o/token/`;
  const connection = {
    url,
    tokenUrl,
    clientId: "ocis",
    username: "svc",
    password: "app-pw",
    scope: "s",
  };
  return {
    sim,
    server: sim.server,
    connection,
    rejected: {
      connection: { ...connection, password: "wrong" },
      names: /invalid_grant.*dezky-ocis-provisioner.*ocis ApiConnection/,
    },
    inputs: async () => ({}),
    count: () => 0,
    stop: async () => {
      await sim.stop();
      await edge.stop();
    },
  };
}

const world = (w: World) => (w as OcisWorld).sim;

export const ocisCases: ContractCase[] = [
  {
    type: "ocis:Group",
    service: "ocis",
    module: "components/providers/ocis/group.js",
    exportName: "OcisGroup",
    async start() {
      const w = await start();
      w.inputs = async (n) => ({ tenant: `g${n}`, displayName: `dezky-g${n}` });
      w.count = (i) =>
        [...w.sim.groups.values()].filter((g) => g.displayName === i.displayName).length;
      return w;
    },
    invalid: { change: { displayName: "" }, property: "displayName" },
    update: (i) => ({ ...i, displayName: `${i.displayName}-renamed` }),
    createCall: { method: "POST", path: "/graph/v1.0/groups" },
    foreign: (w, i) => void world(w).addGroup(i.displayName),
    remove: (w, id) => void world(w).groups.delete(id),
  },
  {
    type: "ocis:Space",
    service: "ocis",
    module: "components/providers/ocis/space.js",
    exportName: "OcisSpace",
    async start() {
      const w = await start();
      w.inputs = async (n) => ({
        tenant: `s${n}`,
        key: "main",
        name: `Space ${n}`,
        quotaBytes: 1000,
        enabled: true,
      });
      w.count = (i) => w.sim.drivesNamed(i.name).length;
      return w;
    },
    invalid: { change: { quotaBytes: -1 }, property: "quotaBytes" },
    update: (i) => ({ ...i, quotaBytes: 2000, enabled: false }),
    createCall: { method: "POST", path: "/graph/v1.0/drives" },
    foreign: (w, i) => void world(w).addDrive(i.name),
    remove: (w, id) => void world(w).drives.delete(id),
  },
  {
    type: "ocis:SpaceMember",
    service: "ocis",
    module: "components/providers/ocis/space-member.js",
    exportName: "OcisSpaceMember",
    async start() {
      const w = await start();
      w.inputs = async (n) => {
        // The group and the space it joins, as the Tenant component creates them first.
        const group = await create(providerFor("ocis:Group", w.connection), {
          tenant: `m${n}`,
          displayName: `dezky-m${n}`,
        });
        const space = await create(providerFor("ocis:Space", w.connection), {
          tenant: `m${n}`,
          key: "main",
          name: `Member space ${n}`,
          quotaBytes: 1000,
          enabled: true,
        });
        return { tenant: `m${n}`, driveId: space.id, groupId: group.id, role: "viewer" };
      };
      w.count = (i) =>
        (w.sim.drives.get(i.driveId)?.permissions ?? []).filter(
          (p) => p.kind === "g" && p.principalId === i.groupId,
        ).length;
      return w;
    },
    invalid: { change: { role: "owner" }, property: "role" },
    update: (i) => ({ ...i, role: "editor" }),
    replace: { change: (i) => ({ ...i, groupId: "another-group" }), field: "groupId" },
    createCall: { method: "POST", path: /\/graph\/v1beta1\/drives\/.*\/root\/invite$/ },
    foreign: (w, i) => {
      const drive = world(w).drives.get(i.driveId)!;
      drive.permissions.push({
        kind: "g",
        principalId: i.groupId,
        displayName: "granted by hand",
        roleId: "a8d5fe5e-96e3-418d-825b-534dbdf22b99",
      });
    },
    remove: (w, _id, outs) => {
      const drive = world(w).drives.get(outs.driveId)!;
      drive.permissions = drive.permissions.filter((p) => p.principalId !== outs.groupId);
    },
  },
];
