/**
 * A tenant's mail in Stalwart: the tenant subdomain and each mail domain, with DKIM (Ed25519
 * and RSA) managed by Stalwart. Domains in a zone the platform manages get their records as
 * Hetzner DNS record sets; for the others the records are returned for the customer to publish.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_MAIL_TTL, MailDomain, formatRecordsForRegistrar } from "../providers/stalwart";
import type { StalwartConnection } from "../providers/stalwart";
import type { TenantDns } from "./dns";
import type { TenantLifecycle } from "./lifecycle";
import { MAIL_RRSET_LAYOUT, fillLayout, layoutName } from "./mail-layout";
import { dataOptions } from "./shared";

export const TENANT_MAIL_TYPE = "dezky:tenant:TenantMail";

export interface MailDomainSpec {
  name: string;
  /** Zone to publish into (platform zone or a customer zone delegated to Hetzner DNS). */
  zone?: { name: string; id: pulumi.Input<string> };
}

export interface TenantMailArgs {
  tenant: string;
  domains: MailDomainSpec[];
  connection: pulumi.Input<StalwartConnection>;
  lifecycle: TenantLifecycle;
  retainUntil?: string;
  production: boolean;
  labels: Record<string, string>;
  /** The Stalwart readiness gate. */
  ready: pulumi.Resource;
  /** Creates the record sets (Hetzner DNS in production). */
  dns: TenantDns;
}

/** Turns a domain name into a resource-name fragment. */
export function domainKey(domain: string): string {
  return domain.replace(/\./g, "-");
}

export class TenantMail extends pulumi.ComponentResource {
  readonly domains: Record<string, MailDomain>;
  /** DNS record sets published for domains in managed zones. */
  readonly recordSets: pulumi.CustomResource[] = [];
  /** Registrar-ready record lines per externally hosted domain. */
  readonly recordsToPublish: pulumi.Output<Record<string, string[]>>;

  constructor(name: string, args: TenantMailArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TENANT_MAIL_TYPE, name, {}, opts);
    this.domains = {};
    const external: Record<string, pulumi.Output<string[]>> = {};

    for (const spec of args.domains) {
      const key = domainKey(spec.name);
      const domain = new MailDomain(
        `${name}-${key}`,
        {
          connection: args.connection,
          tenant: args.tenant,
          domain: spec.name,
          description: `Tenant ${args.tenant}`,
          allowDelete: args.lifecycle.purgeAllowed,
          retainUntil: args.retainUntil,
        },
        dataOptions(this, [args.ready], args.production, args.lifecycle.purgeAllowed),
      );
      this.domains[spec.name] = domain;
      if (!spec.zone) {
        external[spec.name] = domain.dnsRecords.apply((records) =>
          formatRecordsForRegistrar(records ?? [])
            .split("\n")
            .filter(Boolean),
        );
        continue;
      }
      const zone = spec.zone;
      const filled = pulumi
        .all([domain.dnsRecords, domain.dkim])
        .apply(([records, dkim]) =>
          fillLayout(records ?? [], spec.name, zone.name, activeSelectors(dkim ?? [])),
        );
      for (const entry of MAIL_RRSET_LAYOUT) {
        const set = filled.apply((f) => f.sets[entry.key]);
        const rrset = args.dns.recordSet(
          `${name}-${key}-${entry.key}`,
          {
            zone: zone.id,
            // Known at preview except the DKIM selectors, which Stalwart picks.
            name: entry.dkim ? set.apply((s) => s.name) : layoutName(entry, spec.name, zone.name),
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
    this.registerOutputs({ recordsToPublish: this.recordsToPublish });
  }
}

/** The active DKIM selector per algorithm (retiring keys stay in Stalwart's own list). */
export function activeSelectors(
  dkim: Array<{ algorithm: string; selector: string; stage: string }>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of dkim) {
    if (key.stage === "retiring" && result[key.algorithm]) continue;
    if (!result[key.algorithm] || key.stage === "active") result[key.algorithm] = key.selector;
  }
  return result;
}
