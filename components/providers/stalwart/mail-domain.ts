/**
 * A tenant's mail domain in Stalwart 0.16, with its automatic Ed25519 + RSA DKIM keys and the
 * DNS records it needs (parsed from Stalwart's `dnsZoneFile`).
 * Type: `pulumi-nodejs:dynamic/stalwart:MailDomain`.
 */
import * as pulumi from "@pulumi/pulumi";
import { mailDomainProvider } from "./mail-domain-provider";
import type { StalwartConnection, StalwartTimeouts } from "./jmap";
import type { DkimKey } from "./domain-api";
import type { DnsRecord } from "./zone-file";

export interface MailDomainArgs {
  /**
   * Stalwart base URL and credentials: `{ url, username, password }` (Basic, the generated
   * recovery admin) or `{ url, token }` (Bearer API key). Pass it as a secret.
   */
  connection: pulumi.Input<StalwartConnection>;
  /** Tenant slug: named in errors and written into the ownership marker. */
  tenant: string;
  /** The mail domain, e.g. "acme.eu" (lower-cased). Changing it replaces the domain. */
  domain: string;
  /** Human description shown in Stalwart (the provider appends ` [dezky:<tenant>]`). */
  description?: pulumi.Input<string>;
  /** Any value; changing it rotates the DKIM keys (old keys move to `retiring`). */
  dkimRotation?: string | number;
  /** Take over an existing domain of the same name that this program did not create. */
  adopt?: boolean;
  /**
   * Decided by the Tenant component: this domain may be removed. Even then mailboxes are
   * never deleted; a domain that still has accounts is left in Stalwart (with its data).
   */
  allowDelete?: boolean;
  /** ISO date; deleting before it is refused (offboarding retention). */
  retainUntil?: string;
  /** Request timeout, call deadline and DKIM wait; production defaults apply when unset. */
  timeouts?: StalwartTimeouts;
}

export class MailDomain extends pulumi.dynamic.Resource {
  /** Stalwart's opaque domain id. */
  declare readonly domainId: pulumi.Output<string>;
  /** The domain name as Stalwart stores it (lower-case). */
  declare readonly domain: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  /** The domain's DKIM keys (selector, public key, stage, DNS name). */
  declare readonly dkim: pulumi.Output<DkimKey[]>;
  /** Stalwart's recommended records as BIND text. */
  declare readonly dnsZoneFile: pulumi.Output<string>;
  /** The same records parsed: MX, SPF, DKIM, DMARC, TLS-RPT, MTA-STS, SRV, autoconfig... */
  declare readonly dnsRecords: pulumi.Output<DnsRecord[]>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly connection: pulumi.Output<StalwartConnection>;

  constructor(name: string, args: MailDomainArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      mailDomainProvider,
      name,
      {
        ...args,
        domainId: undefined,
        dkim: undefined,
        dnsZoneFile: undefined,
        dnsRecords: undefined,
        adopted: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "stalwart",
      "MailDomain",
    );
  }
}
