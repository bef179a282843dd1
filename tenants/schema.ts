/**
 * The tenant schema. A tenant is one TypeScript file under tenants/<stack>/<slug>.ts that
 * default-exports `defineTenant({...})`. Files are checked one by one here and across files in
 * ./validate.ts; an invalid tenant never reaches Pulumi.
 */
import { z } from "zod";
import { messageWithFix } from "../stacks/issues";
import { PLAN_NAMES } from "./plans";
import { tenantSelfProblems } from "./tenant-rules";

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
  // Zulip (staging and cells with services.zulip).
  "chat",
  "zulip",
] as const;

/** Department slugs with a meaning of their own: `all` is the whole tenant in a space's grantTo. */
export const RESERVED_DEPARTMENTS = ["all"] as const;

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
    /^(?=.{3,32}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
    "must be 3-32 characters of lower-case words joined by single hyphens (it becomes the subdomain); write it like acme-gmbh",
  )
  .refine((s) => !(RESERVED_SLUGS as readonly string[]).includes(s), {
    message: "is reserved for a platform host name; choose another slug",
  });

const departmentSlug = z
  .string()
  .regex(
    /^(?=.{1,31}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
    "must be lower-case words joined by single hyphens; write it like finance or human-resources",
  );

export const SPACE_ROLES = ["viewer", "editor", "manager"] as const;

const space = z.strictObject({
  /** Stable key of the space inside the tenant ("main" for the main space). */
  key: departmentSlug,
  /** Display name in OCIS. */
  name: z.string().min(1).max(100),
  quotaGb: z.number().int().positive("must be more than 0 GB; give the space a quota such as 10"),
  /** Which group is granted: the whole tenant ("all") or one department. */
  grantTo: z.string().default("all"),
  role: z.enum(SPACE_ROLES).default("editor"),
});

const mailDomain = z.strictObject({
  name: dnsName,
  /**
   * Where its DNS lives: "hetzner" when the customer delegated the zone to our Hetzner DNS
   * (records are managed), "external" when the customer publishes the records themselves.
   */
  dns: z.enum(["hetzner", "external"]).default("external"),
});

export const tenantSchema = z
  .strictObject({
    slug: slugSchema,
    /**
     * Former slugs, oldest first (a rename). Resources keep their identity (Pulumi aliases) and
     * external names keep the first slug, so nothing holding data is replaced; the former
     * subdomains keep receiving mail. See docs/tenants.md, "Renaming a tenant".
     */
    renamedFrom: z.array(slugSchema).default([]),
    displayName: z.string().min(1).max(100),
    plan: z.enum(PLAN_NAMES, { error: `is not a plan; use one of ${PLAN_NAMES.join(", ")}` }),
    status: z.enum(["active", "suspended", "offboarded"]).default("active"),
    /** Offboarded tenants keep their data until this date (YYYY-MM-DD). */
    retainUntil: z.iso
      .date("is not a calendar date; write it as YYYY-MM-DD, such as 2027-03-31")
      .optional(),
    /** After retainUntil, purge: true in the file is what allows deleting data. */
    purge: z.boolean().default(false),
    /** Mail domains besides the tenant subdomain, lower-case. */
    mailDomains: z.array(mailDomain).default([]),
    /** Optional own domain for the tenant's portal (CNAME to the platform). */
    customDomain: dnsName.optional(),
    branding: z.strictObject({
      primaryColor: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, "is not a colour; write # and six hex digits, such as #1f6feb"),
      logoUrl: z.url({
        protocol: /^https$/,
        error: "is not an https:// URL; write it like https://example.com/logo.svg",
      }),
      description: z.string().max(200).optional(),
    }),
    departments: z
      .array(z.strictObject({ slug: departmentSlug, name: z.string().min(1).max(100) }))
      .default([]),
    spaces: z
      .array(space)
      .min(1, 'needs at least the main space; add { key: "main", name: "...", quotaGb: 50 }'),
    admins: z
      .array(z.email("is not an e-mail address; write it like it@example.com"))
      .min(1, "needs at least one admin e-mail; add the customer's IT contact"),
  })
  .superRefine((t, ctx) =>
    tenantSelfProblems(t).forEach(({ path, message }) =>
      ctx.addIssue({ code: "custom", path, message }),
    ),
  );

export type TenantInput = z.input<typeof tenantSchema>;
export type Tenant = z.output<typeof tenantSchema>;
export type SpaceRole = (typeof SPACE_ROLES)[number];

/** Types a tenant file; the loader validates it (with the file name) when the program starts. */
export function defineTenant(tenant: TenantInput): TenantInput {
  return tenant;
}

/** Validates a tenant value strictly, with messages that carry a fix. */
export function parseTenant(value: unknown) {
  return tenantSchema.safeParse(value, { error: messageWithFix });
}
