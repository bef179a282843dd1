/** Robot's two types under the contract suite, against the Robot webservice simulator. */
import { robotFirewallRules } from "../../host/firewall-render";
import { RobotSimulator } from "../../../test/simulators/robot/robot-simulator";
import type { ContractCase, World } from "./suite";

interface RobotWorld extends World {
  sim: RobotSimulator;
}

async function start(): Promise<RobotWorld> {
  const sim = new RobotSimulator({});
  await sim.start();
  return {
    sim,
    server: sim.server,
    connection: sim.connection,
    rejected: {
      connection: { ...sim.connection, password: "wrong" },
      names: /HTTP 401.*dezky:robotUser \/ dezky:robotPassword.*not retried/,
    },
    inputs: async () => ({}),
    count: () => 0,
    stop: () => sim.stop(),
  };
}

const sim = (w: World) => {
  const s = (w as RobotWorld).sim;
  s.unblock();
  return s;
};
const ipOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
const rules = robotFirewallRules({ adminCidrs: ["203.0.113.0/28"], peers: [] });

export const robotCases: ContractCase[] = [
  {
    type: "robot:Rdns",
    service: "robot",
    module: "components/providers/robot/rdns.js",
    exportName: "RobotRdns",
    async start() {
      const w = await start();
      w.inputs = async (n) => {
        sim(w).rdns.set(ipOf(n), undefined); // an IP of the account, no PTR yet
        return { ip: ipOf(n), ptr: "mail.dezky.eu" };
      };
      // A PTR is a single value: "one object" is the PTR we asked for.
      w.count = (i) => (sim(w).rdns.get(i.ip) === i.ptr ? 1 : 0);
      return w;
    },
    invalid: { change: { ptr: "Not A Name" }, property: "ptr" },
    update: (i) => ({ ...i, ptr: "smtp.dezky.eu" }),
    replace: { change: (i) => ({ ...i, ip: "10.255.255.255" }), field: "ip" },
    createCall: { method: "POST", path: /^\/rdns\// },
    foreign: (w, i) => void sim(w).rdns.set(i.ip, "mx.other.example"),
    remove: (w, _id, outs) => void sim(w).rdns.set(outs.ip, undefined),
  },
  {
    type: "robot:Firewall",
    service: "robot",
    module: "components/providers/robot/firewall.js",
    exportName: "RobotFirewall",
    async start() {
      const w = await start();
      w.inputs = async (n) => {
        // A dedicated server of the account, its firewall off.
        const number = 1_000_000 + n;
        sim(w).firewalls.set(number, {
          status: "disabled",
          filter_ipv6: false,
          whitelist_hos: true,
          rules: { input: [], output: [] },
        });
        return { serverNumber: number, rules, filterIpv6: true, whitelistHos: true };
      };
      w.count = (i) => (sim(w).firewalls.get(i.serverNumber)?.status === "active" ? 1 : 0);
      return w;
    },
    invalid: { change: { serverNumber: -1 }, property: "serverNumber" },
    update: (i) => ({ ...i, whitelistHos: false }),
    replace: { change: (i) => ({ ...i, serverNumber: i.serverNumber + 1 }), field: "serverNumber" },
    createCall: { method: "POST", path: /^\/firewall\// },
    foreign: (w, i) => {
      sim(w).firewalls.set(i.serverNumber, {
        status: "active",
        filter_ipv6: false,
        whitelist_hos: true,
        rules: { input: [{ name: "someone", action: "accept" }], output: [] },
      });
    },
    remove: (w, id) => void sim(w).firewalls.delete(Number(id)),
  },
];
