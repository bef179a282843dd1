/**
 * Test harness: a started Authentik simulator seeded like the platform's setup (the `groups`
 * scope mapping exists), whose API tokens are the ones the platform blueprint creates: TOKEN
 * is the tenant provisioner's (the least-privilege identity the providers use in production),
 * SUPERUSER_TOKEN the bootstrap superuser's. The provisioner's permissions are read from the
 * blueprint text itself, so every provider test also proves the blueprint grants enough.
 */
import { platformBlueprint } from "../../../components/platform/authentik-blueprint";
import { ENV_TENANT_PROVISIONER_TOKEN } from "../../../components/platform/authentik-tenant-identity";
import { identitiesFromBlueprint, type Identity } from "./permissions";
import { AuthentikSimulator } from "./simulator";

/** The tenant provisioner's token (what `connection.token` carries in production). */
export const TOKEN = "test-tenant-provisioner-token";
export const SUPERUSER_TOKEN = "test-bootstrap-token";

/** Short timeouts and backoff so fault tests take milliseconds, not minutes. */
export const FAST_HTTP = { timeoutMs: 400, deadlineMs: 8000, baseDelayMs: 5, maxDelayMs: 50 };

/** Identities of the platform blueprint, with the provisioner's key set to TOKEN. */
export function blueprintIdentities(): Map<string, Identity> {
  const text = platformBlueprint({ domain: "dezky.test", zulip: false });
  return identitiesFromBlueprint(text, { [ENV_TENANT_PROVISIONER_TOKEN]: TOKEN });
}

export async function startSimulator(
  identities: Map<string, Identity> = blueprintIdentities(),
): Promise<{ sim: AuthentikSimulator; url: string }> {
  const sim = new AuthentikSimulator({ token: SUPERUSER_TOKEN, identities });
  sim.state.addScopeMapping("dezky: groups", "groups");
  const url = await sim.start();
  return { sim, url };
}
