/**
 * The tenant as the Tenant component reads it: the fields it uses, nothing else. A validated
 * tenant file (tenants/schema.ts) is one; the component depends on this shape, not on the
 * tenants layer (layers point one way: stacks -> components -> providers).
 */
import type { ocis } from "@dezky/providers";

export interface TenantSpec {
  slug: string;
  /** Former slugs, oldest first: URNs move by alias, external names keep the first. */
  renamedFrom: string[];
  displayName: string;
  plan: string;
  status: "active" | "suspended" | "offboarded";
  /** Offboarded tenants keep their data until this date (YYYY-MM-DD). */
  retainUntil?: string;
  /** After retainUntil, purge: true is what allows deleting data. */
  purge: boolean;
  mailDomains: { name: string; dns: "hetzner" | "external" }[];
  customDomain?: string;
  branding: { primaryColor: string; logoUrl: string; description?: string };
  departments: { slug: string; name: string }[];
  spaces: { key: string; name: string; quotaGb: number; grantTo: string; role: ocis.SpaceRole }[];
}
