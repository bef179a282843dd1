/**
 * The shared rules: names, DNS names, slugs and EU locations, written once. Every layer may use
 * them (stacks, components, tenants, policies, and the providers themselves), so they live in
 * the lowest one, this package, as `@dezky/providers/rules`, and depend on nothing but the
 * Public Suffix List (tldts).
 */
import { parse } from "tldts";

/** A lower-case DNS name such as dezky.eu (no scheme, no trailing dot). */
export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function isDnsName(value: unknown): value is string {
  return typeof value === "string" && DNS_NAME.test(value);
}

/**
 * Lower-case words joined by single hyphens: tenant and department slugs as the providers
 * accept them. A double hyphen never occurs, so `dezky-<tenant>--<department>` cannot be
 * mistaken for another tenant's group.
 */
export const SLUG_WORDS = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_SLUG_LENGTH = 50;

/** Why `value` is no slug (naming it `kind`), or undefined. */
export function slugProblem(kind: string, value: unknown): string | undefined {
  if (typeof value !== "string" || !SLUG_WORDS.test(value) || value.length > MAX_SLUG_LENGTH) {
    return `${kind} "${String(value)}" must be lowercase letters/digits joined by single hyphens (max ${MAX_SLUG_LENGTH})`;
  }
  return undefined;
}

/** Hetzner locations inside the EU. Anything else is refused (data residency). */
export const EU_LOCATIONS = ["fsn1", "nbg1", "hel1"] as const;
export type EuLocation = (typeof EU_LOCATIONS)[number];

export function isEuLocation(value: unknown): value is EuLocation {
  return (EU_LOCATIONS as readonly unknown[]).includes(value);
}

/*
 * Zone names Hetzner Cloud DNS creates: "This API supports all zone names with well-known
 * public suffixes (e.g. .de, .com, .co.uk). Subdomains are not supported."
 * (docs.hetzner.cloud/reference/cloud#zones; docs/conformance/hcloud.md).
 */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why the Cloud DNS API would refuse `name` as a zone, or undefined. */
export function zoneNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return `zone "${name}" must be lower case`;
  if (name.endsWith(".")) return `zone "${name}" must not end with a dot`;
  const labels = name.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    return `zone "${name}" is not a domain name in ASCII (write IDNs in Punycode, xn--...)`;
  }
  // The registrable domain under the ICANN section of the Public Suffix List (tldts bundles
  // it). Private suffixes (github.io, ...) are left out: stricter than "well-known public
  // suffixes", never looser.
  const parsed = parse(name, { allowPrivateDomains: false });
  if (!parsed.isIcann || !parsed.domain) {
    return `zone "${name}" is not under a public suffix Hetzner Cloud DNS serves (e.g. .de, .eu, .co.uk)`;
  }
  if (parsed.domain !== name) {
    return (
      `zone "${name}" is a subdomain of ${parsed.domain}: Hetzner Cloud DNS supports zones of ` +
      `registrable domains only ("Subdomains are not supported", docs.hetzner.cloud/reference/` +
      `cloud#zones); give this environment a domain of its own (e.g. a separate registrable ` +
      `domain) or put its names as record sets into the ${parsed.domain} zone`
    );
  }
  return undefined;
}
