/**
 * A tenant's OAuth2/OIDC provider (confidential client) in Authentik.
 * Type: `pulumi-nodejs:dynamic/authentik:OAuth2Provider`; id = the provider's integer pk (as a
 * string; an Application takes it as `provider`).
 */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";

export interface OAuth2ProviderArgs {
  /** Tenant slug; client id `dezky-<tenant>`, provider name `dezky-<tenant>-oidc`. */
  tenant: string;
  /** Login callback URLs (strict match), e.g. the portal's and OCIS's. */
  redirectUris: pulumi.Input<string>[];
  /** Post-logout redirect URLs (`redirect_uri_type: logout`), e.g. the portal URL. */
  logoutRedirectUris: pulumi.Input<string>[];
  /** @default ["authorization_code", "refresh_token"] (never empty). */
  grantTypes?: string[];
  /** Scope names, resolved to scope mappings; must include "groups". @default DEFAULT_SCOPES */
  scopes?: string[];
  /** @default "default-provider-authorization-implicit-consent" */
  authorizationFlowSlug?: string;
  /** @default "default-provider-invalidation-flow" */
  invalidationFlowSlug?: string;
  /** @default "authentik Self-signed Certificate" */
  signingKeyName?: string;
  /** Client secret to set (e.g. from random.RandomPassword); generated when omitted. */
  clientSecret?: pulumi.Input<string>;
  /** Take over an existing provider with the same name/client id. */
  adopt?: boolean;
}

export class OAuth2Provider extends DezkyResource {
  /** Integer pk (the same as `id`, as a number). */
  declare readonly providerId: pulumi.Output<number>;
  declare readonly clientId: pulumi.Output<string>;
  /** Secret. */
  declare readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: OAuth2ProviderArgs, opts: DezkyResourceOptions) {
    super(
      "authentik:OAuth2Provider",
      "authentik",
      name,
      {
        clientSecret: undefined,
        ...args,
        providerId: undefined,
        clientId: undefined,
        observed: undefined,
        resolved: undefined,
      },
      opts,
      ["clientSecret"],
    );
  }
}
