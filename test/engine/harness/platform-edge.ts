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
import { OcisTokenEndpoint } from "../../simulators/ocis/token-endpoint";
import { FaultServer, type SimRequest, type SimResponse } from "../../simulators/fault-server";

export interface EdgeOptions {
  ocis: OcisSimulator;
  clientId: string;
  username: string;
  password: string;
}

export class PlatformEdge {
  readonly server = new FaultServer((req) => this.handle(req));
  private readonly idp: OcisTokenEndpoint;

  constructor(options: EdgeOptions) {
    this.idp = new OcisTokenEndpoint(options.ocis, options);
  }

  /** Every token minted, in order. */
  get minted(): string[] {
    return this.idp.minted;
  }

  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The OCIS service account's app password is rotated. */
  set password(value: string) {
    this.idp.password = value;
  }

  /** Time passes: every token minted so far expires. */
  expireTokens(): void {
    this.idp.expire();
  }

  private handle(req: SimRequest): SimResponse {
    if (req.method === "GET" && req.path === "/authentik/-/health/ready/") return { status: 200 };
    if (req.method === "GET" && req.path === "/stalwart/healthz/ready") return { status: 200 };
    if (req.method === "POST" && req.path === "/application/o/token/") return this.idp.handle(req);
    return { status: 404, body: { detail: "Not found." } };
  }
}
