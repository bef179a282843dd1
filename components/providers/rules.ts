/**
 * The shared rules: names, DNS names, slugs and EU locations, written once. Every layer may use
 * them (stacks, components, tenants, policies, and the providers themselves), so they live in
 * the lowest one, this package, as `@dezky/providers/rules`, and depend on nothing.
 */

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
