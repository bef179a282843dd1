/**
 * One tenant from one validated tenant file: identity (Authentik), files (OCIS), mail
 * (Stalwart + DNS), the tenant subdomain, and the outputs the portal and the provisioning
 * service read. Its lifecycle (active, suspended, offboarded, purged) comes from the file.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  TenantCustomDomain,
  type TenantCustomDomainArgs,
  customDomainRecord,
} from "./custom-domain";
import { type TenantDns, hcloudDns } from "./dns";
import { TenantDataGuard } from "./data-guard";
import { TenantFiles } from "./files";
import { TenantIdentity } from "./identity";
import { tenantLifecycle } from "./lifecycle";
import { TenantMail, type MailDomainSpec, domainKey } from "./mail";
import { type PlatformZone, type TenantApis, dataOptions, externalSlug } from "./shared";
import type { TenantSpec } from "./spec";

export const TENANT_TYPE = "dezky:tenant:Tenant";

export interface TenantArgs {
  tenant: TenantSpec;
  /** The cell's platform domain; the tenant lives at <slug>.<domain>. */
  platformDomain: string;
  production: boolean;
  /** Today (YYYY-MM-DD, UTC): decides whether an offboarded tenant's retention has passed. */
  date: string;
  zone: PlatformZone;
  /** Where the tenant subdomain points: the cell's host. */
  hostAddresses: { ipv4: pulumi.Input<string>; ipv6: pulumi.Input<string> };
  /** Authentik, OCIS and Stalwart: their API connections and readiness gates. */
  apis: TenantApis;
  /** Labels for hcloud resources (env, cell, managed-by). */
  labels: Record<string, string>;
  /** Cluster provider and ClusterIssuer for the custom portal domain's certificate. */
  kubernetes?: Omit<TenantCustomDomainArgs, "tenant" | "domain" | "target">;
  /** Creates the DNS record sets and delegated zones. @default Hetzner DNS (hcloud) */
  dns?: TenantDns;
}

/** The `tenants.<slug>` stack output (documented in docs/outputs.md). */
export interface TenantOutput {
  slug: string;
  displayName: string;
  plan: string;
  status: string;
  retainUntil?: string;
  portalUrl: string;
  branding: TenantSpec["branding"];
  authentik: {
    groupId: pulumi.Output<string>;
    applicationSlug: pulumi.Output<string>;
    clientId: pulumi.Output<string>;
    clientSecret: pulumi.Output<string>;
  };
  ocis: { spaceIds: Record<string, pulumi.Output<string>> };
  stalwart: { domainIds: Record<string, pulumi.Output<string>> };
  dnsRecordsToPublish: pulumi.Output<Record<string, string[]>>;
}

/** The tenant's portal URL: its custom domain when set, else its subdomain. */
export function portalUrl(tenant: TenantSpec, platformDomain: string): string {
  return `https://${tenant.customDomain ?? `${tenant.slug}.${platformDomain}`}`;
}

/**
 * The component's options with aliases for its former names (renamedFrom): Pulumi moves the
 * URNs of the tenant and, by the `${name}-<role>` convention, of every child.
 */
export function withFormerNames(
  name: string,
  tenant: Pick<TenantSpec, "slug" | "renamedFrom">,
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions | undefined {
  if (!tenant.renamedFrom.length || !name.endsWith(`-${tenant.slug}`)) return opts;
  const stem = name.slice(0, -tenant.slug.length);
  const former = tenant.renamedFrom.map((s) => ({ name: `${stem}${s}` }));
  return { ...opts, aliases: [...(opts?.aliases ?? []), ...former] };
}

export class Tenant extends pulumi.ComponentResource {
  readonly identity: TenantIdentity;
  readonly files: TenantFiles;
  readonly mail: TenantMail;
  readonly output: TenantOutput;

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TENANT_TYPE, name, {}, withFormerNames(name, args.tenant, opts));
    const { production } = args;
    // External names (groups, application, space markers, mail) keep the first slug: a rename
    // moves URNs by alias and changes the subdomain, never an object that holds data.
    const tenant = { ...args.tenant, slug: externalSlug(args.tenant) };
    const lifecycle = tenantLifecycle(tenant, args.date);
    const subdomain = `${args.tenant.slug}.${args.platformDomain}`;
    const url = portalUrl(args.tenant, args.platformDomain);
    const labels = { ...args.labels, "dezky.io/tenant": args.tenant.slug };
    const dns = args.dns ?? hcloudDns;

    this.identity = new TenantIdentity(
      `${name}-identity`,
      {
        tenant,
        api: args.apis.authentik,
        portalUrl: url,
        loginsEnabled: lifecycle.loginsEnabled,
        production,
        purgeAllowed: lifecycle.purgeAllowed,
      },
      { parent: this },
    );

    this.files = new TenantFiles(
      `${name}-files`,
      {
        tenant,
        api: args.apis.ocis,
        lifecycle,
        production,
      },
      { parent: this, dependsOn: [this.identity] },
    );

    // The tenant subdomain points at the cell (explicit, so moving a tenant is a DNS change).
    // IPv4 only, like the platform names (docs/ipv6.md).
    const addressRecords: pulumi.Resource[] = [];
    for (const [type, value] of [["A", args.hostAddresses.ipv4]] as const) {
      const record = dns.recordSet(
        `${name}-subdomain-${type.toLowerCase()}`,
        {
          zone: args.zone.id,
          name: args.tenant.slug,
          type,
          ttl: 300,
          records: [{ value }],
          labels,
        },
        { parent: this },
      );
      addressRecords.push(record);
    }

    // Former subdomains keep receiving mail after a rename (their mail domains keep their names).
    const mailDomains: MailDomainSpec[] = [
      { name: subdomain, zone: args.zone },
      ...args.tenant.renamedFrom.map((s) => ({
        name: `${s}.${args.platformDomain}`,
        zone: args.zone,
      })),
    ];
    for (const d of tenant.mailDomains) {
      if (d.dns === "external") {
        mailDomains.push({ name: d.name });
        continue;
      }
      // The customer delegated this zone to our Hetzner DNS: the zone holds their data too.
      const zone = dns.zone(
        `${name}-zone-${domainKey(d.name)}`,
        {
          name: d.name,
          mode: "primary",
          ttl: 3600,
          // Lifted with the purge, like protect: a purged tenant's zone can then be removed.
          deleteProtection: production && !lifecycle.purgeAllowed,
          labels,
        },
        dataOptions(this, [], production, lifecycle.purgeAllowed),
      );
      mailDomains.push({ name: d.name, zone: { name: d.name, id: zone.id } });
    }
    this.mail = new TenantMail(
      `${name}-mail`,
      {
        tenant: tenant.slug,
        domains: mailDomains,
        api: args.apis.stalwart,
        lifecycle,
        retainUntil: tenant.retainUntil,
        production,
        labels,
        dns,
      },
      { parent: this },
    );

    const extraRecords: Record<string, string[]> = {};
    const portal: pulumi.Resource[] = [];
    if (tenant.customDomain) {
      extraRecords[tenant.customDomain] = [customDomainRecord(tenant.customDomain, subdomain)];
      if (args.kubernetes) {
        const domain = new TenantCustomDomain(
          `${name}-portal-domain`,
          {
            tenant: tenant.slug,
            domain: tenant.customDomain,
            target: subdomain,
            ...args.kubernetes,
          },
          { parent: this },
        );
        portal.push(domain);
      }
    }

    // Removing the file of a tenant that holds data deletes nothing (./data-guard.ts).
    new TenantDataGuard(
      `${name}-guard`,
      {
        guards: [this.identity, this.files, this.mail, ...addressRecords, ...portal],
        production,
        purgeAllowed: lifecycle.purgeAllowed,
      },
      { parent: this },
    );

    this.output = {
      slug: args.tenant.slug,
      displayName: tenant.displayName,
      plan: tenant.plan,
      status: tenant.status,
      retainUntil: tenant.retainUntil,
      portalUrl: url,
      branding: tenant.branding,
      authentik: {
        groupId: this.identity.group.id,
        applicationSlug: this.identity.application.slug,
        clientId: this.identity.oidc.clientId,
        clientSecret: pulumi.secret(this.identity.oidc.clientSecret),
      },
      ocis: {
        spaceIds: Object.fromEntries(Object.entries(this.files.spaces).map(([k, s]) => [k, s.id])),
      },
      stalwart: {
        domainIds: Object.fromEntries(Object.entries(this.mail.domains).map(([d, m]) => [d, m.id])),
      },
      dnsRecordsToPublish: this.mail.recordsToPublish.apply((records) => ({
        ...records,
        ...extraRecords,
      })),
    };
    this.registerOutputs({ tenant: this.output });
  }
}
