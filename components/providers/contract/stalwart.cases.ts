/** Stalwart's four types under the contract suite, against the Stalwart 0.16 simulator. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { SimRequest } from "../../../test/simulators/fault-server";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import { selfSignedCertificate } from "../../../test/simulators/stalwart/test-certificate";
import { STALWART_LISTENERS, STALWART_SERVICES } from "../../platform/stalwart-render";
import { TENANT_MAIL_PERMISSIONS } from "../stalwart/permissions";
import { create, providerFor } from "../test-kit";
import type { ContractCase, World } from "./suite";

interface StalwartWorld extends World {
  sim: StalwartSimulator;
}

const PASSWORD = "contract-admin-password";

async function start(): Promise<StalwartWorld> {
  const sim = new StalwartSimulator({ username: "admin", password: PASSWORD, dkimDelayMs: 20 });
  const url = await sim.start();
  return {
    sim,
    server: sim.server,
    connection: { url, username: "admin", password: PASSWORD },
    rejected: {
      connection: { url, username: "admin", password: "wrong" },
      names: /HTTP 401.*Stalwart recovery admin/,
    },
    inputs: async () => ({}),
    count: () => 0,
    stop: () => sim.stop(),
  };
}

const sim = (w: World) => (w as StalwartWorld).sim;
/** A JMAP request that calls `method` with a `create`. */
const creating = (method: string) => ({
  path: "/jmap/",
  when: (req: SimRequest) => JSON.stringify(req.body ?? "").includes(`"${method}",{"create"`),
});
const domainsNamed = (w: World, name: string) =>
  [...sim(w).registry.domains.values()].filter((d) => d.name === name);

function tlsFiles(): { certificatePath: string; privateKeyPath: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "contract-tls-"));
  const cert = selfSignedCertificate({ names: ["*.dezky.test", "dezky.test"] });
  fs.writeFileSync(path.join(dir, "tls.crt"), cert.certificate);
  fs.writeFileSync(path.join(dir, "tls.key"), cert.privateKey);
  return { certificatePath: path.join(dir, "tls.crt"), privateKeyPath: path.join(dir, "tls.key") };
}

export const stalwartCases: ContractCase[] = [
  {
    type: "stalwart:MailDomain",
    service: "stalwart",
    module: "components/providers/stalwart/mail-domain.js",
    exportName: "MailDomain",
    async start() {
      const w = await start();
      w.inputs = async (n) => ({ tenant: "acme", domain: `m${n}.dezky.eu`, description: "Mail" });
      w.count = (i) => domainsNamed(w, i.domain).length;
      return w;
    },
    invalid: { change: { domain: "not a domain" }, property: "domain" },
    update: (i) => ({ ...i, description: "Mail, renamed" }),
    replace: { change: (i) => ({ ...i, domain: `x${i.domain}` }), field: "domain" },
    createCall: creating("x:Domain/set"),
    foreign: (w, i) => void sim(w).registry.createDomain({ name: i.domain, description: "theirs" }),
    remove: (w, id) => {
      for (const [sid, s] of sim(w).registry.signatures)
        if (s.domainId === id) sim(w).registry.signatures.delete(sid);
      sim(w).registry.domains.delete(id);
    },
  },
  {
    type: "stalwart:MailDomainRecords",
    service: "stalwart",
    module: "components/providers/stalwart/mail-domain.js",
    exportName: "MailDomainRecords",
    async start() {
      const w = await start();
      w.inputs = async (n) => {
        const domain = `r${n}.dezky.eu`;
        const made = await create(providerFor("stalwart:MailDomain", w.connection), {
          tenant: "acme",
          domain,
        });
        return { tenant: "acme", domain, domainId: made.id };
      };
      w.count = (i) => domainsNamed(w, i.domain).length;
      return w;
    },
    invalid: { change: { domainId: "" }, property: "domainId" },
    update: (i) => ({ ...i, dkimRotation: "2" }),
    replace: { change: (i) => ({ ...i, domainId: "another" }), field: "domainId" },
    retryCall: { path: "/jmap/" },
    remove: (w, id) => void sim(w).registry.domains.delete(id),
    notApplicable: {
      lostResponse: "read-only: it creates nothing (a repeated read is the retry)",
      foreign: "read-only: it reads the domain it is given by id",
    },
  },
  {
    type: "stalwart:ServerSettings",
    service: "stalwart-admin",
    module: "components/providers/stalwart/server-settings.js",
    exportName: "ServerSettings",
    async start() {
      const w = await start();
      const certificate = tlsFiles();
      // One server, one set of settings: each test takes another default domain.
      w.inputs = async (n) => ({
        hostname: "mail.dezky.test",
        defaultDomain: `p${n}.dezky.test`,
        certificate,
        listeners: STALWART_LISTENERS,
        services: STALWART_SERVICES,
      });
      w.count = (i) => domainsNamed(w, i.defaultDomain).length;
      return w;
    },
    invalid: { change: { hostname: "not a host" }, property: "hostname" },
    update: (i) => ({
      ...i,
      listeners: i.listeners.filter((l: { name: string }) => l.name !== "sieve"),
    }),
    createCall: creating("x:Domain/set"),
    foreign: (w, i) =>
      void sim(w).registry.createDomain({ name: i.defaultDomain, description: "theirs" }),
    notApplicable: {
      remove: "the server's settings are never deleted (delete leaves the server as it is)",
    },
  },
  {
    type: "stalwart:ServiceAccount",
    service: "stalwart-admin",
    module: "components/providers/stalwart/service-account.js",
    exportName: "ServiceAccount",
    async start() {
      const w = await start();
      sim(w).registry.createDomain({
        name: "dezky.test",
        description: "[dezky:platform]",
        dkimManagement: { "@type": "Manual" },
      });
      w.inputs = async (n) => ({
        name: `svc${n}`,
        domain: "dezky.test",
        purpose: `Contract ${n}`,
        permissions: [...TENANT_MAIL_PERMISSIONS],
        password: `generated-password-${n}-0123456789`,
        verify: ["x:Domain/get"],
      });
      w.count = (i) =>
        [...sim(w).registry.accounts.values()].filter((a) => a.name === i.name).length;
      return w;
    },
    invalid: { change: { password: "short" }, property: "password" },
    update: (i) => ({ ...i, password: `${i.password}-rotated` }),
    replace: { change: (i) => ({ ...i, name: `${i.name}x` }), field: "name" },
    createCall: creating("x:Account/set"),
    foreign: (w, i) => {
      const account = sim(w).seedUser(`${i.name}@dezky.test`, {
        password: "x",
        permissions: ["authenticate"],
      });
      account.description = "a person";
    },
    remove: (w, id) => void sim(w).registry.accounts.delete(id),
  },
];
