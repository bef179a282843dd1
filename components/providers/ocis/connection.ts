/**
 * The OCIS connection (the configuration of the `ocis` ApiConnection): where OCIS is and the
 * stable client credentials of the platform's OCIS provisioning identity, from which the
 * providers mint their own short-lived bearer whenever they need one (ocis/auth.ts). Nothing
 * short-lived is stored: a refresh or delete a day later mints a fresh token.
 */
export interface OcisConnection {
  /** OCIS base URL (without /graph), e.g. https://files.dezky.eu. */
  url: string;
  /** Authentik's token endpoint, e.g. https://auth.dezky.eu/application/o/token/. */
  tokenUrl: string;
  clientId: string;
  /** The Authentik service account of the provisioning identity. */
  username: string;
  /** Its app password (client_credentials grant). */
  password: string;
  scope: string;
}

/** State written by older versions carried a minted bearer instead. */
export interface LegacyOcisConnection {
  url: string;
  token: string;
}

/** What an operator checks on 401/403 from OCIS. */
export const OCIS_CREDENTIAL =
  "the OCIS provisioning identity: Authentik service account dezky-ocis-provisioner and its generated " +
  "app password, the configuration of the ocis ApiConnection; it needs the OCIS Admin role";
