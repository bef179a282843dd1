/**
 * A tenant's mail in Stalwart: the tenant subdomain and each mail domain, with Ed25519 and RSA
 * DKIM keys that sign only once their record is published. Domains in a zone the platform
 * manages get their records as Hetzner DNS record sets (every DKIM slot, so pending and
 * retiring keys are published too); for the others the records are returned for the customer
 * to publish. Records for client-setup names the cell does not serve are left out of both.
 * The records come from each domain's MailDomainRecords, keyed on the domain's id, so a
 * domain update (a new retention date) leaves them known in a preview.
 */
import * as pulumi from "@pulumi/pulumi";
import { stalwart } from "@dezky/providers";
import type { TenantDns } from "./dns";
import type { TenantLifecycle } from "./lifecycle";
import { MAIL_RRSET_LAYOUT, fillLayout, layoutName, publishableRecords } from "./mail-layout";
import { apiOptions, dataOptions, type ServiceApi } from "./shared";

const { DEFAULT_MAIL_TTL, MailDomain, MailDomainRecords, formatRecordsForRegistrar } = stalwart;

export const TENANT_MAIL_TYPE = "dezky:tenant:TenantMail";

export interface MailDomainSpec {
  name: string;
  /** Zone to publish into (platform zone or a customer zone delegated to Hetzner DNS). */
  zone?: { name: string; id: pulumi.Input<string> };
}

export interface TenantMailArgs {
  tenant: string;
  domains: MailDomainSpec[];
  /** Stalwart: its connection (the tenant provisioning account) and readiness gate. */
  api: ServiceApi;
  lifecycle: TenantLifecycle;
  retainUntil?: string;
  production: boolean;
  labels: Record<string, string>;
  /** Creates the record sets (Hetzner DNS in production). */
  dns: TenantDns;
}

/** Turns a domain name into a resource-name fragment. */
export function domainKey(domain: string): string {
  return domain.replace(/\./g, "-");
}

export class TenantMail extends pulumi.ComponentResource {
  readonly domains: Record<string, stalwart.MailDomain>;
  /** The DNS records Stalwart recommends, per domain. */
  readonly records: Record<string, stalwart.MailDomainRecords>;
  /** DNS record sets published for domains in managed zones. */
  readonly recordSets: pulumi.CustomResource[] = [];
  /** Registrar-ready record lines per externally hosted domain. */
  readonly recordsToPublish: pulumi.Output<Record<string, string[]>>;
  /** Per managed domain: records Stalwart recommends that no record set publishes. */
  readonly unmanagedRecords: pulumi.Output<Record<string, string[]>>;

  constructor(name: string, args: TenantMailArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TENANT_MAIL_TYPE, name, {}, opts);
    this.domains = {};
    this.records = {};
    const external: Record<string, pulumi.Output<string[]>> = {};
    const unmanaged: Record<string, pulumi.Output<string[]>> = {};

    for (const spec of args.domains) {
      const key = domainKey(spec.name);
      const domain = new MailDomain(
        `${name}-${key}`,
        {
          tenant: args.tenant,
          domain: spec.name,
          description: `Tenant ${args.tenant}`,
          allowDelete: args.lifecycle.purgeAllowed,
          retainUntil: args.retainUntil,
        },
        {
          ...dataOptions(this, [args.api.ready], args.production, args.lifecycle.purgeAllowed),
          provider: args.api.connection,
        },
      );
      this.domains[spec.name] = domain;
      const records = new MailDomainRecords(
        `${name}-${key}-records`,
        { tenant: args.tenant, domain: spec.name, domainId: domain.id },
        { ...apiOptions(this, args.api), dependsOn: [args.api.ready, domain] },
      );
      this.records[spec.name] = records;
      if (!spec.zone) {
        external[spec.name] = records.dnsRecords.apply((records) =>
          formatRecordsForRegistrar(publishableRecords(records ?? [], spec.name))
            .split("\n")
            .filter(Boolean),
        );
        continue;
      }
      const zone = spec.zone;
      const filled = records.dnsRecords.apply((records) =>
        fillLayout(records ?? [], spec.name, zone.name),
      );
      unmanaged[spec.name] = filled.apply((f) =>
        formatRecordsForRegistrar(f.unmanaged).split("\n").filter(Boolean),
      );
      for (const entry of MAIL_RRSET_LAYOUT) {
        const set = filled.apply((f) => f.sets[entry.key]);
        const rrset = args.dns.recordSet(
          `${name}-${key}-${entry.key}`,
          {
            zone: zone.id,
            // Known at preview: DKIM slots have fixed selectors.
            name: layoutName(entry, spec.name, zone.name),
            type: entry.type,
            ttl: DEFAULT_MAIL_TTL,
            records: set.apply((s) => s.records),
            labels: args.labels,
          },
          { parent: this },
        );
        this.recordSets.push(rrset);
      }
    }
    this.recordsToPublish = pulumi.output(external);
    this.unmanagedRecords = pulumi.output(unmanaged);
    this.registerOutputs({
      recordsToPublish: this.recordsToPublish,
      unmanagedRecords: this.unmanagedRecords,
    });
  }
}
