/**
 * Per-run lookups of the objects an OAuth2 provider references by UUID: flows by slug, the
 * signing key by name, scope mappings by scope name. The cache lives on the provider object
 * (one per deployment run) and holds promises, so fifty tenants created in parallel share one
 * request per lookup. Failed lookups are dropped from the cache so a retry can succeed.
 */
import { call, listAll, type Session } from "./client";

export type LookupCache = Map<string, unknown>;

function cached<T>(cache: LookupCache, key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/** pk of the flow with this slug. */
export function flowPk(cache: LookupCache, s: Session, url: string, slug: string): Promise<string> {
  return cached(cache, `${url} flow ${slug}`, async () => {
    const flow = await call(s, `flow "${slug}"`, `GET /api/v3/flows/instances/${slug}/`, () =>
      s.flows.flowsInstancesRetrieve({ slug }),
    );
    return flow.pk;
  });
}

/** pk of the certificate keypair (with a private key) with this name. */
export function signingKeyPk(
  cache: LookupCache,
  s: Session,
  url: string,
  name: string,
): Promise<string> {
  return cached(cache, `${url} key ${name}`, async () => {
    const what = `signing key "${name}"`;
    const list = await call(s, what, "GET /api/v3/crypto/certificatekeypairs/", () =>
      s.crypto.cryptoCertificatekeypairsList({ name, hasKey: true }),
    );
    const key = list.results.find((k) => k.name === name);
    if (!key) {
      throw new Error(
        `Authentik: ${what} not found (GET /api/v3/crypto/certificatekeypairs/); create it or set signingKeyName`,
      );
    }
    return key.pk;
  });
}

/** All scope mappings (scope name -> pk), fetched once per run. */
function scopeMappings(cache: LookupCache, s: Session, url: string): Promise<Map<string, string>> {
  return cached(cache, `${url} scopes`, async () => {
    const all = await call(
      s,
      "scope mappings",
      "GET /api/v3/propertymappings/provider/scope/",
      () =>
        listAll((page) => s.mappings.propertymappingsProviderScopeList({ page, pageSize: 100 })),
    );
    const byScope = new Map<string, string>();
    // Prefer Authentik's managed (built-in) mapping when several share a scope name.
    for (const m of [...all].sort((a, b) => Number(!a.managed) - Number(!b.managed))) {
      if (!byScope.has(m.scopeName)) byScope.set(m.scopeName, m.pk);
    }
    return byScope;
  });
}

/** pks of the scope mappings for these scope names; a missing scope is a clear error. */
export async function scopeMappingPks(
  cache: LookupCache,
  s: Session,
  url: string,
  scopes: string[],
): Promise<string[]> {
  const byScope = await scopeMappings(cache, s, url);
  const missing = scopes.filter((name) => !byScope.has(name));
  if (missing.length) {
    throw new Error(
      `Authentik: tenant "${s.tenant}": no scope mapping for scope(s) ${missing.join(", ")} ` +
        `(GET /api/v3/propertymappings/provider/scope/); the platform's Authentik setup must create them`,
    );
  }
  return scopes.map((name) => byScope.get(name)!);
}
