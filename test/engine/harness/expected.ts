/**
 * The resources one tenant file declares (components and custom resources), by name: the checklist the suite compares
 * the engine's steps against. It follows the components (components/tenant/*.ts), so a
 * component that stops creating an object, or creates an extra one, fails the suite.
 */
import { domainKey } from "../../../components/tenant/mail";
import { MAIL_RRSET_LAYOUT } from "../../../components/tenant/mail-layout";
import { type TenantInput, tenantSchema } from "../../../tenants/schema";

export const tenantResourceName = (slug: string) => `engine-tenant-${slug}`;

export function expectedResources(input: TenantInput, platformDomain: string): string[] {
  const t = tenantSchema.parse(input);
  const n = tenantResourceName(t.slug);
  const names = [
    n,
    `${n}-identity`,
    `${n}-files`,
    `${n}-mail`,
    // Protected like the data, so removing a live tenant's file deletes nothing.
    `${n}-guard`,
    `${n}-identity-group`,
    ...t.departments.map((d) => `${n}-identity-group-${d.slug}`),
    `${n}-identity-oidc`,
    `${n}-identity-app`,
    `${n}-files-group`,
    ...t.departments.map((d) => `${n}-files-group-${d.slug}`),
    ...t.spaces.flatMap((s) => [`${n}-files-space-${s.key}`, `${n}-files-member-${s.key}`]),
    // IPv4 only (docs/ipv6.md): no AAAA.
    `${n}-subdomain-a`,
  ];
  const managed = [`${t.slug}.${platformDomain}`];
  const external: string[] = [];
  for (const d of t.mailDomains) {
    if (d.dns === "hetzner") {
      names.push(`${n}-zone-${domainKey(d.name)}`);
      managed.push(d.name);
    } else {
      external.push(d.name);
    }
  }
  for (const domain of [...managed, ...external]) {
    names.push(`${n}-mail-${domainKey(domain)}`, `${n}-mail-${domainKey(domain)}-records`);
  }
  for (const domain of managed) {
    for (const entry of MAIL_RRSET_LAYOUT)
      names.push(`${n}-mail-${domainKey(domain)}-${entry.key}`);
  }
  return names.sort();
}
