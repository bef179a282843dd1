/**
 * The engine test project: the tenant layer of one cell (identity, files, mail) with the API
 * readiness gates and connections wired as components/platform/platform.ts wires them, against
 * the simulators the engine suite starts on loopback. The Pulumi CLI built from tools/ runs it
 * on a local file backend (test/engine/README.md). Only DNS is swapped: the hcloud plugin cannot
 * run here, so record sets and delegated zones go to a loopback store (./dns-store.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiConnection, ApiReadiness } from "@dezky/providers";
import { Tenant } from "../../../components/tenant/tenant";
import { loadTenants } from "../../../tenants/load";
import { ENGINE_STACK } from "./constants";
import { dnsStore } from "./dns-store";

interface Endpoints {
  authentik: string;
  ocis: string;
  stalwart: string;
  /** Health endpoints and the token endpoint (the harness's platform edge). */
  edge: string;
  dns: string;
}

async function main(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config("engine");
  const urls = config.requireObject<Endpoints>("endpoints");
  const domain = config.require("platformDomain");
  const production = config.requireBoolean("production");
  const date = config.require("date");

  // The API connections and gates of components/platform/platform.ts (same classes, same
  // inputs, same shapes): the OCIS connection holds the provisioning identity's client
  // credentials, from which the providers mint their own bearer.
  const authentikApi = new ApiConnection("engine-platform-authentik-api", {
    service: "authentik",
    connection: { url: urls.authentik, token: config.requireSecret("authentikToken") },
  });
  const ocisApi = new ApiConnection("engine-platform-ocis-api", {
    service: "ocis",
    connection: {
      url: urls.ocis,
      tokenUrl: `${urls.edge}/application/o/token/`,
      clientId: "ocis-web",
      username: "dezky-ocis-provisioner",
      password: config.requireSecret("ocisServicePassword"),
      scope: "openid profile email groups roles",
    },
  });
  const stalwartApi = new ApiConnection("engine-platform-stalwart-api", {
    service: "stalwart",
    connection: {
      url: urls.stalwart,
      username: "admin",
      password: config.requireSecret("stalwartPassword"),
    },
  });
  const authentikReady = new ApiReadiness(
    "engine-platform-authentik-ready",
    { service: "Authentik", url: `${urls.edge}/authentik/-/health/ready/`, trigger: "2026.8.3" },
    { provider: authentikApi },
  );
  const ocisReady = new ApiReadiness(
    "engine-platform-ocis-ready",
    { service: "OCIS", url: `${urls.ocis}/graph/v1.0/me`, authenticate: true, trigger: "7.1.0" },
    { provider: ocisApi, dependsOn: [authentikReady] },
  );
  const stalwartReady = new ApiReadiness(
    "engine-platform-stalwart-ready",
    { service: "Stalwart", url: `${urls.edge}/stalwart/healthz/ready`, trigger: "0.16.0" },
    { provider: stalwartApi },
  );
  const apis = {
    authentik: { connection: authentikApi, ready: authentikReady },
    ocis: { connection: ocisApi, ready: ocisReady },
    stalwart: { connection: stalwartApi, ready: stalwartReady },
  };

  const tenants = await loadTenants(
    ENGINE_STACK,
    { [ENGINE_STACK]: domain },
    config.require("tenantsDir"),
  );
  const outputs: Record<string, unknown> = {};
  for (const tenant of tenants) {
    const component = new Tenant(`engine-tenant-${tenant.slug}`, {
      tenant,
      platformDomain: domain,
      production,
      date,
      zone: { name: domain, id: domain },
      hostAddresses: { ipv4: "192.0.2.10", ipv6: "2001:db8::10" },
      apis,
      labels: { env: ENGINE_STACK, cell: ENGINE_STACK, "managed-by": "pulumi" },
      dns: dnsStore(urls.dns),
    });
    outputs[tenant.slug] = component.output;
  }
  return { tenants: outputs };
}

export = main;
