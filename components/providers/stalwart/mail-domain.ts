/**
 * A tenant's mail domain in Stalwart 0.16, with its Ed25519 + RSA DKIM keys (pending until
 * published). Type: `pulumi-nodejs:dynamic/stalwart:MailDomain`; id = Stalwart's domain id.
 * Its DNS records come from `MailDomainRecords` (below), keyed on this resource's `id`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";
import type { DkimKey } from "./domain-api";
import type { DnsRecord } from "./zone-file";

export interface MailDomainArgs {
  /** Tenant slug: named in errors and written into the ownership marker. */
  tenant: string;
  /** The mail domain, e.g. "acme.eu" (lower-cased). Changing it replaces the domain. */
  domain: string;
  /** Human description shown in Stalwart (the provider appends ` [dezky:tenant=<tenant>]`). */
  description?: pulumi.Input<string>;
  /** Any value; changing it rotates the DKIM keys (old keys move to `retiring`). */
  dkimRotation?: string | number;
  /** DNS servers ("ip" or "ip:port") that tell whether a DKIM record is published. */
  dnsResolvers?: string[];
  /** Take over an existing domain of the same name that this program did not create. */
  adopt?: boolean;
  /**
   * Decided by the Tenant component: this domain may be removed. Even then mailboxes are
   * never deleted; a domain that still has accounts is left in Stalwart (with its data).
   */
  allowDelete?: boolean;
  /** ISO date; deleting before it is refused (offboarding retention). */
  retainUntil?: string;
}

export class MailDomain extends DezkyResource {
  /** Stalwart's opaque domain id (the same as `id`). */
  declare readonly domainId: pulumi.Output<string>;
  /** The domain name as Stalwart stores it (lower-case). */
  declare readonly domain: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  /** The domain's DKIM keys (selector, public key, stage, DNS name). */
  declare readonly dkim: pulumi.Output<DkimKey[]>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: MailDomainArgs, opts: DezkyResourceOptions) {
    super(
      "stalwart:MailDomain",
      "stalwart",
      name,
      { ...args, domainId: undefined, dkim: undefined, adopted: undefined },
      opts,
    );
  }
}

export interface MailDomainRecordsArgs {
  tenant: string;
  domain: string;
  /** The MailDomain's `id` (known during a preview, unlike its outputs). */
  domainId: pulumi.Input<string>;
  /** The MailDomain's `dkimRotation`. */
  dkimRotation?: string | number;
}

/** The DNS records Stalwart recommends for a mail domain (read-only). */
export class MailDomainRecords extends DezkyResource {
  /** Stalwart's recommended records as BIND text. */
  declare readonly dnsZoneFile: pulumi.Output<string>;
  /** The same records parsed: MX, SPF, DKIM, DMARC, TLS-RPT, MTA-STS, SRV, autoconfig... */
  declare readonly dnsRecords: pulumi.Output<DnsRecord[]>;

  constructor(name: string, args: MailDomainRecordsArgs, opts: DezkyResourceOptions) {
    super(
      "stalwart:MailDomainRecords",
      "stalwart",
      name,
      { ...args, dnsZoneFile: undefined, dnsRecords: undefined },
      opts,
    );
  }
}
