/**
 * Test harness: a started Authentik simulator seeded like the platform's setup (the `groups`
 * scope mapping exists), and the connection/HTTP tuning tests pass to the providers.
 */
import { AuthentikSimulator } from "./simulator";

export const TOKEN = "test-bootstrap-token";

/** Short timeouts and backoff so fault tests take milliseconds, not minutes. */
export const FAST_HTTP = { timeoutMs: 400, deadlineMs: 8000, baseDelayMs: 5, maxDelayMs: 50 };

export async function startSimulator(): Promise<{ sim: AuthentikSimulator; url: string }> {
  const sim = new AuthentikSimulator({ token: TOKEN });
  sim.state.addScopeMapping("dezky: groups", "groups");
  const url = await sim.start();
  return { sim, url };
}
