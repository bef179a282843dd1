/** Authentik's three types under the contract suite, against the Authentik simulator. */
import { startSimulator, TOKEN } from "../../../test/simulators/authentik/harness";
import type { AuthentikSimulator } from "../../../test/simulators/authentik/simulator";
import { providerFor, create } from "../test-kit";
import type { ContractCase, World } from "./suite";

/* eslint-disable @typescript-eslint/no-explicit-any */
interface AuthentikWorld extends World {
  sim: AuthentikSimulator;
  url: string;
}

async function start(): Promise<AuthentikWorld> {
  const { sim, url } = await startSimulator();
  return {
    sim,
    url,
    server: sim.server,
    connection: { url, token: TOKEN },
    rejected: {
      connection: { url, token: "wrong" },
      names: /HTTP 403.*DEZKY_TENANT_PROVISIONER_TOKEN.*authentik ApiConnection/s,
    },
    inputs: async () => ({}),
    count: () => 0,
    stop: () => sim.stop(),
  };
}

const redirect = (t: string) => ({
  redirectUris: [`https://${t}.dezky.test/cb`],
  logoutRedirectUris: [`https://${t}.dezky.test/`],
});

export const authentikCases: ContractCase[] = [
  {
    type: "authentik:Group",
    service: "authentik",
    module: "components/providers/authentik/group.js",
    exportName: "Group",
    async start() {
      const w = await start();
      w.inputs = async (n) => ({ tenant: `grp${n}` });
      w.count = (i) =>
        [...w.sim.state.groups.values()].filter((g) => g.name === `dezky-${i.tenant}`).length;
      return w;
    },
    invalid: { change: { tenant: "Bad_Slug" }, property: "tenant" },
    update: (i) => ({ ...i, extraAttributes: { plan: "business" } }),
    createCall: { method: "POST", path: "/api/v3/core/groups/" },
    foreign: (w, i) => {
      const pk = `7d2f3c1e-0000-4000-8000-${String(Date.now()).padStart(12, "0").slice(-12)}`;
      (w as AuthentikWorld).sim.state.groups.set(pk, {
        pk,
        num_pk: 9,
        name: `dezky-${i.tenant}`,
        is_superuser: false,
        parents: [],
        attributes: { note: "made by hand" },
        roles: [],
      });
    },
    remove: (w, id) => void (w as AuthentikWorld).sim.state.groups.delete(id),
  },
  {
    type: "authentik:OAuth2Provider",
    service: "authentik",
    module: "components/providers/authentik/oauth2-provider.js",
    exportName: "OAuth2Provider",
    async start() {
      const w = await start();
      w.inputs = async (n) => ({ tenant: `oidc${n}`, ...redirect(`oidc${n}`) });
      w.count = (i) =>
        [...w.sim.state.providers.values()].filter((p) => p.client_id === `dezky-${i.tenant}`)
          .length;
      return w;
    },
    invalid: { change: { scopes: ["openid"] }, property: "scopes" },
    update: (i) => ({ ...i, redirectUris: [...i.redirectUris, "https://other.dezky.test/cb"] }),
    createCall: { method: "POST", path: "/api/v3/providers/oauth2/" },
    // Another run's provider with our client id: it holds a secret this run did not send.
    foreign: async (w, i) => {
      await create(providerFor("authentik:OAuth2Provider", w.connection), {
        ...i,
        clientSecret: "someone-elses-secret-0123456789",
      });
    },
    remove: (w, id) => void (w as AuthentikWorld).sim.state.providers.delete(Number(id)),
  },
  {
    type: "authentik:Application",
    service: "authentik",
    module: "components/providers/authentik/application.js",
    exportName: "Application",
    async start() {
      const w = await start();
      w.inputs = async (n) => {
        // The group and OAuth2 provider it binds, as the Tenant component creates them first.
        const tenant = `app${n}`;
        const group = await create(providerFor("authentik:Group", w.connection), { tenant });
        const oidc = await create(providerFor("authentik:OAuth2Provider", w.connection), {
          tenant,
          ...redirect(tenant),
        });
        return {
          tenant,
          name: `App ${n}`,
          provider: oidc.id,
          accessGroup: group.id,
          launchUrl: `https://${tenant}.dezky.test/`,
        };
      };
      w.count = (i) => (w.sim.state.applications.has(`dezky-${i.tenant}`) ? 1 : 0);
      return w;
    },
    invalid: { change: { accessGroup: "" }, property: "accessGroup" },
    update: (i) => ({ ...i, name: `${i.name} renamed`, enabled: false }),
    replace: { change: (i) => ({ ...i, tenant: `${i.tenant}x` }), field: "tenant" },
    createCall: { method: "POST", path: "/api/v3/core/applications/" },
    foreign: (w, i) => {
      (w as AuthentikWorld).sim.state.applications.set(`dezky-${i.tenant}`, {
        pk: `7d2f3c1e-0000-4000-8000-${String(Date.now()).slice(-12).padStart(12, "1")}`,
        name: "Hand-made",
        slug: `dezky-${i.tenant}`,
        provider: null,
        meta_launch_url: "https://elsewhere.example/",
        meta_hide: false,
        policy_engine_mode: "any",
      } as any);
    },
    remove: (w, id) => (w as AuthentikWorld).sim.state.deleteApplication(id),
  },
];
