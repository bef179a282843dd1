/**
 * The services the engine project talks to, all on loopback: the Authentik, OCIS and Stalwart
 * simulators, the platform edge (health and token endpoints) and the DNS store. Credentials are
 * fresh random canaries per run, so the suite can look for them by value in the state.
 */
import { randomBytes } from "node:crypto";
import type { LoggedRequest } from "../../simulators/fault-server";
import { AuthentikSimulator } from "../../simulators/authentik/simulator";
import { OcisSimulator } from "../../simulators/ocis/ocis-simulator";
import { StalwartSimulator } from "../../simulators/stalwart/stalwart-simulator";
import { DnsStoreServer } from "./dns-store-server";
import { PlatformEdge } from "./platform-edge";

export interface Canaries {
  authentikToken: string;
  stalwartPassword: string;
  ocisServicePassword: string;
}

export const newCanaries = (): Canaries => ({
  authentikToken: `canary-authentik-${randomBytes(16).toString("hex")}`,
  stalwartPassword: `canary-stalwart-${randomBytes(16).toString("hex")}`,
  ocisServicePassword: `canary-ocis-app-password-${randomBytes(16).toString("hex")}`,
});

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether a logged request changed (or tried to change) server state. */
export function isWrite(service: string, request: LoggedRequest): boolean {
  if (service === "stalwart") {
    // Every JMAP call is a POST; only the /set methods write.
    const calls = (request.body as { methodCalls?: unknown[] } | undefined)?.methodCalls ?? [];
    return calls.some((c) => Array.isArray(c) && String(c[0]).endsWith("/set"));
  }
  return WRITE_METHODS.has(request.method);
}

export class Apis {
  readonly canaries = newCanaries();
  /** Credentials in use before a rotation (still canaries: never to be found in the state). */
  readonly retired: Canaries[] = [];
  readonly authentik = new AuthentikSimulator({ token: this.canaries.authentikToken });
  readonly ocis = new OcisSimulator();
  readonly stalwart = new StalwartSimulator({
    username: "admin",
    password: this.canaries.stalwartPassword,
    dkimDelayMs: 50,
  });
  readonly dns = new DnsStoreServer();
  readonly edge = new PlatformEdge({
    ocis: this.ocis,
    clientId: "ocis-web",
    username: "dezky-ocis-provisioner",
    password: this.canaries.ocisServicePassword,
  });

  async start(): Promise<Record<"authentik" | "ocis" | "stalwart" | "edge" | "dns", string>> {
    // The platform's Authentik setup creates the `groups` scope mapping the OIDC providers use.
    this.authentik.state.addScopeMapping("dezky: groups", "groups");
    return {
      authentik: await this.authentik.start(),
      ocis: await this.ocis.start(),
      stalwart: await this.stalwart.start(),
      edge: await this.edge.start(),
      dns: await this.dns.start(),
    };
  }

  /**
   * Every credential is rotated at its service: the old ones stop working at once. Returns the
   * new ones, which the stack's configuration must then carry.
   */
  rotateCredentials(): Canaries {
    this.retired.push({ ...this.canaries });
    Object.assign(this.canaries, newCanaries());
    this.authentik.token = this.canaries.authentikToken;
    this.stalwart.password = this.canaries.stalwartPassword;
    this.edge.password = this.canaries.ocisServicePassword;
    return this.canaries;
  }

  async stop(): Promise<void> {
    await Promise.all([
      this.authentik.stop(),
      this.ocis.stop(),
      this.stalwart.stop(),
      this.edge.stop(),
      this.dns.stop(),
    ]);
  }

  private logs(): Record<string, LoggedRequest[]> {
    return {
      authentik: this.authentik.server.log,
      ocis: this.ocis.server.log,
      stalwart: this.stalwart.server.log,
      dns: this.dns.server.log,
    };
  }

  /** Write requests per service since the last reset, with method and path for messages. */
  writes(): Record<string, string[]> {
    return Object.fromEntries(
      Object.entries(this.logs()).map(([service, log]) => [
        service,
        log.filter((r) => isWrite(service, r)).map((r) => `${r.method} ${r.path}`),
      ]),
    );
  }

  /** Tokens minted at the token endpoint since the last reset. */
  tokenMints(): number {
    return this.edge.server.count({ method: "POST", path: "/application/o/token/" });
  }

  resetLogs(): void {
    for (const log of Object.values(this.logs())) log.length = 0;
    this.edge.server.resetLog();
  }
}
