/**
 * The tenant schema. A tenant is one TypeScript file under tenants/<stack>/<slug>.ts that
 * default-exports `defineTenant({...})`. Files are checked one by one here and across files in
 * ./validate.ts; an invalid tenant never reaches Pulumi.
 */
import { z } from "zod";
import { PLAN_NAMES, PLANS } from "./plans";

/** Host names the platform itself uses under its domain; no tenant may take them. */
export const RESERVED_SLUGS = [
  "www",
  "auth",
  "mail",
  "files",
  "office",
  "api",
  "app",
  "traefik",
  "admin",
  "portal",
  "autoconfig",
  "autodiscover",
  "mta-sts",
  "smtp",
  "imap",
  "ns1",
  "ns2",
  "status",
  "collabora",
  "ocis",
  "stalwart",
  "authentik",
  "k3s",
  "dezky-system",
] as const;

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const dnsName = z
  .string()
  .regex(
    DNS_NAME,
    "is not a valid lower-case DNS name; write it like example.de (no scheme, no trailing dot)",
  );

export const slugSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/,
    "must be 3-32 characters of a-z, 0-9 and '-', starting with a letter; it becomes the subdomain",
  )
  .refine((s) => !(RESERVED_SLUGS as readonly string[]).includes(s), {
    message: "is reserved for a platform host name; choose another slug",
  });

const departmentSlug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "must be a short lower-case name such as finance");

export const SPACE_ROLES = ["viewer", "editor", "manager"] as const;

const space = z.object({
  /** Stable key of the space inside the tenant ("main" for the main space). */
  key: departmentSlug,
  /** Display name in OCIS. */
  name: z.string().min(1).max(100),
  quotaGb: z.number().int().positive("must be a positive number of GB"),
  /** Which group is granted: the whole tenant ("all") or one department. */
  grantTo: z.union([z.literal("all"), departmentSlug]).default("all"),
  role: z.enum(SPACE_ROLES).default("editor"),
});

const mailDomain = z.object({
  name: dnsName,
  /**
   * Where its DNS lives: "hetzner" when the customer delegated the zone to our Hetzner DNS
   * (records are managed), "external" when the customer publishes the records themselves.
   */
  dns: z.enum(["hetzner", "external"]).default("external"),
});

export const tenantSchema = z
  .object({
    slug: slugSchema,
    displayName: z.string().min(1).max(100),
    plan: z.enum(PLAN_NAMES, { error: `is not a plan; use one of ${PLAN_NAMES.join(", ")}` }),
    status: z.enum(["active", "suspended", "offboarded"]).default("active"),
    /** Offboarded tenants keep their data until this date (YYYY-MM-DD). */
    retainUntil: z.iso.date("must be a date such as 2027-03-31").optional(),
    /** After retainUntil, purge: true in the file is what allows deleting data. */
    purge: z.boolean().default(false),
    /** Mail domains besides the tenant subdomain, lower-case. */
    mailDomains: z.array(mailDomain).default([]),
    /** Optional own domain for the tenant's portal (CNAME to the platform). */
    customDomain: dnsName.optional(),
    branding: z.object({
      primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #1f6feb"),
      logoUrl: z.url({ protocol: /^https$/, error: "must be an https:// URL" }),
      description: z.string().max(200).optional(),
    }),
    departments: z
      .array(z.object({ slug: departmentSlug, name: z.string().min(1).max(100) }))
      .default([]),
    spaces: z.array(space).min(1, "needs at least the main space"),
    admins: z.array(z.email("must be an e-mail address")).min(1, "needs at least one admin e-mail"),
  })
  .superRefine((t, ctx) => {
    const plan = PLANS[t.plan];
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    if (t.status === "offboarded" && !t.retainUntil) {
      issue(
        ["retainUntil"],
        "is required when status is offboarded (the date until which data is kept)",
      );
    }
    if (t.purge && t.status !== "offboarded") {
      issue(
        ["purge"],
        "is only allowed for an offboarded tenant; set status: offboarded with retainUntil first",
      );
    }
    if (!t.spaces.some((s) => s.key === "main")) {
      issue(["spaces"], 'needs a space with key "main"');
    }
    const total = t.spaces.reduce((sum, s) => sum + s.quotaGb, 0);
    if (total > plan.storageGb) {
      issue(
        ["spaces"],
        `quotas add up to ${total} GB, over the ${t.plan} plan's ${plan.storageGb} GB; lower a quota or change plan`,
      );
    }
    if (t.spaces.length > plan.maxSpaces) {
      issue(
        ["spaces"],
        `has ${t.spaces.length} spaces, the ${t.plan} plan allows ${plan.maxSpaces}`,
      );
    }
    if (t.mailDomains.length > plan.maxMailDomains) {
      issue(
        ["mailDomains"],
        `has ${t.mailDomains.length} domains, the ${t.plan} plan allows ${plan.maxMailDomains}`,
      );
    }
    const departments = new Set(t.departments.map((d) => d.slug));
    t.spaces.forEach((s, i) => {
      if (s.grantTo !== "all" && !departments.has(s.grantTo)) {
        issue(
          ["spaces", i, "grantTo"],
          `names department "${s.grantTo}", which is not in departments`,
        );
      }
    });
    const keys = t.spaces.map((s) => s.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i)
        issue(["spaces", i, "key"], `"${k}" is used twice; space keys must be unique`);
    });
    const domains = t.mailDomains.map((d) => d.name);
    domains.forEach((d, i) => {
      if (domains.indexOf(d) !== i) issue(["mailDomains", i, "name"], `"${d}" is listed twice`);
    });
  });

export type TenantInput = z.input<typeof tenantSchema>;
export type Tenant = z.output<typeof tenantSchema>;
export type SpaceRole = (typeof SPACE_ROLES)[number];

/** Types a tenant file; the loader validates it (with the file name) when the program starts. */
export function defineTenant(tenant: TenantInput): TenantInput {
  return tenant;
}
