/**
 * Authentik's token endpoint as the OCIS providers call it (client_credentials with the
 * provisioning identity's service account and app password, ocis/auth.ts): each minted token
 * is a bearer the OCIS simulator accepts, as the provisioner, until `expire()`. The platform's
 * blueprint gives these tokens one hour (components/platform/authentik-blueprint.ts,
 * access_token_validity: hours=1).
 */
import type { SimRequest, SimResponse } from "../fault-server";
import type { OcisSimulator } from "./ocis-simulator";

export interface TokenEndpointOptions {
  clientId: string;
  username: string;
  password: string;
}

export class OcisTokenEndpoint {
  /** Every token minted, in order. */
  readonly minted: string[] = [];

  constructor(
    private readonly ocis: OcisSimulator,
    private readonly options: TokenEndpointOptions,
  ) {}

  /** The service account's app password is rotated: the old one mints nothing more. */
  set password(value: string) {
    this.options.password = value;
  }

  /** Time passes: every token minted so far expires. */
  expire(): void {
    for (const token of this.minted) this.ocis.revokeToken(token);
  }

  /** Answers POST <token path> (form body, Authentik's error shapes). */
  handle(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.rawBody);
    const { clientId, username, password } = this.options;
    if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== clientId) {
      return { status: 400, body: { error: "invalid_client" } };
    }
    if (form.get("username") !== username || form.get("password") !== password) {
      return { status: 400, body: { error: "invalid_grant" } };
    }
    // The same identity as the simulator's provisioner, under a new bearer.
    const token = this.ocis.issueToken(this.ocis.claimsOf("provisioner-token"));
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
