/**
 * What the engine project reaches besides the three API simulators: the health endpoints the
 * Authentik and Stalwart readiness gates poll (the simulators do not serve them) and
 * Authentik's token endpoint, where the OCIS readiness gate mints the provisioner's bearer
 * (client_credentials with the service account's app password, as components/providers/
 * readiness/probe.ts sends it). Each minted token is accepted by the OCIS simulator until
 * `expireTokens()`; the platform's blueprint gives these tokens one hour
 * (components/platform/authentik-blueprint.ts, access_token_validity: hours=1), so a check
 * run the next night meets only expired ones.
 */
import type { OcisSimulator } from "../../simulators/ocis/ocis-simulator";
import { FaultServer, type SimRequest, type SimResponse } from "../../simulators/fault-server";

export interface EdgeOptions {
  ocis: OcisSimulator;
  clientId: string;
  username: string;
  password: string;
}

export class PlatformEdge {
  readonly server = new FaultServer((req) => this.handle(req));
  /** Every token minted, in order; the live ones are registered with the OCIS simulator. */
  readonly minted: string[] = [];

  constructor(private readonly options: EdgeOptions) {}

  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Time passes: every token minted so far expires. */
  expireTokens(): void {
    for (const token of this.minted) this.options.ocis.revokeToken(token);
  }

  private handle(req: SimRequest): SimResponse {
    if (req.method === "GET" && req.path === "/authentik/-/health/ready/") return { status: 200 };
    if (req.method === "GET" && req.path === "/stalwart/healthz/ready") return { status: 200 };
    if (req.method === "POST" && req.path === "/application/o/token/") return this.token(req);
    return { status: 404, body: { detail: "Not found." } };
  }

  private token(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.rawBody);
    const { clientId, username, password, ocis } = this.options;
    if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== clientId) {
      return { status: 400, body: { error: "invalid_client" } };
    }
    if (form.get("username") !== username || form.get("password") !== password) {
      return { status: 400, body: { error: "invalid_grant" } };
    }
    // The same identity as the simulator's provisioner, under a new bearer.
    const token = ocis.issueToken(ocis.claimsOf("provisioner-token"));
    this.minted.push(token);
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: "Bearer",
        expires_in: 3600,
        scope: form.get("scope"),
      },
    };
  }
}
