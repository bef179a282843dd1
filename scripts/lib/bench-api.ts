/**
 * API requests per tenant create, measured: one generated tenant's dynamic providers are driven
 * against the Authentik, OCIS and Stalwart simulators (test/simulators/) the way the engine
 * calls them (check, then create), and the simulators' request logs are counted. Tenants are
 * created one after the other in one process, so the first tenant's count is cold (per-run
 * lookups not cached yet) and the others' are what each further tenant of a large run costs.
 */
import type { Tenant } from "../../tenants/schema";

export interface ServiceRequests {
  authentik: number;
  ocis: number;
  stalwart: number;
}

export interface TenantObjects {
  authentik: number;
  ocis: number;
  stalwart: number;
}

export interface TenantRequests {
  slug: string;
  plan: string;
  /** Objects created per service. */
  objects: TenantObjects;
  requests: ServiceRequests;
}

export interface ApiRequestsResult {
  /** In creation order: the first is cold, the rest warm. */
  tenants: TenantRequests[];
}

export function totalRequests(r: ServiceRequests): number {
  return r.authentik + r.ocis + r.stalwart;
}

/** Mean per service over the given tenants' counts. */
export function meanRequests(list: ServiceRequests[]): ServiceRequests {
  const n = list.length || Number.NaN;
  const sum = (k: keyof ServiceRequests) => list.reduce((acc, r) => acc + r[k], 0) / n;
  return { authentik: sum("authentik"), ocis: sum("ocis"), stalwart: sum("stalwart") };
}

type Provider = Pick<import("../../components/providers/test-kit").Ops, "check" | "create">;

async function create(provider: Provider, inputs: object): Promise<Record<string, unknown>> {
  const checked = await provider.check({}, inputs);
  if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
  const result = await provider.create(checked.inputs);
  return { id: result.id, ...(result.outs as Record<string, unknown>) };
}

const GiB = 1024 ** 3;

/** Creates both tenants against fresh simulators and returns the measured request counts. */
export async function measureApiRequests(
  tenants: Tenant[],
  platformDomain: string,
): Promise<ApiRequestsResult> {
  const { startSimulator, TOKEN } = await import("../../test/simulators/authentik/harness");
  const { OcisSimulator } = await import("../../test/simulators/ocis/ocis-simulator");
  const { StalwartSimulator } = await import("../../test/simulators/stalwart/stalwart-simulator");
  const kit = await import("../../components/providers/test-kit");
  const { tenantGroupName } = await import("../../components/providers/authentik/names");
  kit.useFastTiming();

  const ak = await startSimulator();
  const ocis = new OcisSimulator();
  // The provider creates a domain's DKIM keys itself (pending until published): no polling.
  const mail = new StalwartSimulator({ password: "pw" });
  const ocisConnection = { url: await ocis.start(), token: "provisioner-token" };
  const mailConnection = { url: await mail.start(), username: "admin", password: "pw" };
  const akConnection = { url: ak.url, token: TOKEN };
  // One run of the provider host per service: per-run lookups are shared by every tenant.
  const p = {
    groups: kit.providerFor("authentik:Group", akConnection),
    oauth2: kit.providerFor("authentik:OAuth2Provider", akConnection),
    apps: kit.providerFor("authentik:Application", akConnection),
    ocisGroups: kit.providerFor("ocis:Group", ocisConnection),
    spaces: kit.providerFor("ocis:Space", ocisConnection),
    members: kit.providerFor("ocis:SpaceMember", ocisConnection),
    domains: kit.providerFor("stalwart:MailDomain", mailConnection),
    records: kit.providerFor("stalwart:MailDomainRecords", mailConnection),
  };

  const deploy = async (t: Tenant): Promise<TenantObjects> => {
    const objects: TenantObjects = { authentik: 0, ocis: 0, stalwart: 0 };
    const count = (service: keyof TenantObjects) => {
      objects[service]++;
    };
    // Authentik: tenant group, one group per department, OAuth2 provider, application.
    const group = await create(p.groups, { tenant: t.slug });
    count("authentik");
    for (const d of t.departments) {
      await create(p.groups, { tenant: t.slug, department: d.slug, parents: [group.id] });
      count("authentik");
    }
    const provider = await create(p.oauth2, {
      tenant: t.slug,
      redirectUris: [`https://${t.slug}.dezky.test/oauth/callback`],
      logoutRedirectUris: [`https://${t.slug}.dezky.test/`],
    });
    count("authentik");
    await create(p.apps, {
      tenant: t.slug,
      name: t.displayName,
      provider: provider.id,
      accessGroup: group.id,
      launchUrl: `https://${t.slug}.dezky.test/`,
      icon: t.branding.logoUrl,
      publisher: "Dezky",
      policyEngineMode: "any",
    });
    count("authentik");

    // OCIS: the tenant's and each department's group, each space, each space's grant.
    const groupIds = new Map<string, string>();
    for (const key of ["all", ...t.departments.map((d) => d.slug)]) {
      const g = await create(p.ocisGroups, {
        tenant: t.slug,
        displayName: tenantGroupName(t.slug, key === "all" ? undefined : key),
      });
      groupIds.set(key, String(g.id));
      count("ocis");
    }
    for (const s of t.spaces) {
      const space = await create(p.spaces, {
        tenant: t.slug,
        key: s.key,
        name: s.name,
        quotaBytes: s.quotaGb * GiB,
        enabled: true, // a tenant is created active; suspension is a later update
      });
      count("ocis");
      await create(p.members, {
        tenant: t.slug,
        driveId: space.id,
        groupId: groupIds.get(s.grantTo),
        role: s.role,
      });
      count("ocis");
    }

    // Stalwart: the tenant subdomain and each mail domain of the file, each with its DNS
    // records read, as components/tenant does.
    for (const domain of [`${t.slug}.${platformDomain}`, ...t.mailDomains.map((d) => d.name)]) {
      const made = await create(p.domains, { tenant: t.slug, domain });
      count("stalwart");
      await create(p.records, { tenant: t.slug, domain, domainId: made.id });
      count("stalwart");
    }
    return objects;
  };

  const snapshot = (): ServiceRequests => ({
    authentik: ak.sim.server.log.length,
    ocis: ocis.server.log.length,
    stalwart: mail.server.log.length,
  });
  const minus = (x: ServiceRequests, y: ServiceRequests): ServiceRequests => ({
    authentik: x.authentik - y.authentik,
    ocis: x.ocis - y.ocis,
    stalwart: x.stalwart - y.stalwart,
  });
  try {
    const results: TenantRequests[] = [];
    for (const t of tenants) {
      const before = snapshot();
      const objects = await deploy(t);
      results.push({ slug: t.slug, plan: t.plan, objects, requests: minus(snapshot(), before) });
    }
    return { tenants: results };
  } finally {
    await Promise.all([ak.sim.stop(), ocis.stop(), mail.stop()]);
  }
}
