/**
 * The readiness gate under the contract suite: the OCIS gate, which proves the provisioning
 * identity with a bearer it mints from the ocis connection, against the OCIS simulator and a
 * stand-in for Authentik's token endpoint. It owns no remote object: what a remote object
 * needs (adoption, a foreign object, removal) does not apply.
 */
import { FaultServer } from "../../../test/simulators/fault-server";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";
import { OcisTokenEndpoint } from "../../../test/simulators/ocis/token-endpoint";
import { useFastTiming } from "../test-kit";
import type { ContractCase } from "./suite";

export const readinessCases: ContractCase[] = [
  {
    type: "readiness:ApiReadiness",
    service: "ocis",
    module: "components/providers/readiness/readiness.js",
    exportName: "ApiReadiness",
    async start() {
      useFastTiming({ readinessDeadlineMs: 1_500 });
      const sim = new OcisSimulator();
      const idp = new OcisTokenEndpoint(sim, { clientId: "c", username: "svc", password: "pw" });
      const edge = new FaultServer((req) => idp.handle(req));
      const url = await sim.start();
      const connection = {
        url,
        tokenUrl: `${await edge.start()}/token`,
        clientId: "c",
        username: "svc",
        password: "pw",
        scope: "s",
      };
      return {
        server: sim.server,
        connection,
        rejected: {
          connection: { ...connection, password: "wrong" },
          names: /OCIS is not ready: .*invalid_grant.*dezky-ocis-provisioner/,
        },
        inputs: async (n) => ({
          service: "OCIS",
          url: `${url}/graph/v1.0/me`,
          authenticate: true,
          trigger: `v${n}`,
        }),
        // No object: the gate exists once its create returned.
        count: () => 1,
        stop: async () => {
          await sim.stop();
          await edge.stop();
        },
      };
    },
    invalid: { change: { url: "files" }, property: "url" },
    update: (i) => ({ ...i, trigger: `${i.trigger}-next` }),
    retryCall: { method: "GET", path: "/graph/v1.0/me" },
    notApplicable: {
      lostResponse: "it creates nothing remote (a probe is a read)",
      foreign: "it creates nothing remote",
      remove: "it creates nothing remote",
    },
  },
];
