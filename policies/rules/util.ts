/**
 * Small pure helpers the rules share: safe reads of inputs that may be unknown during preview,
 * secret detection, production detection, port and CIDR arithmetic.
 */
import { Secret, UnknownValueError } from "@pulumi/policy";

/** How the offline inventory (scripts/lib/mock-run.ts) masks secret values. */
export const SECRET_MASK = "[secret]";

/** Marker for a value the engine does not know yet (computed during preview). */
export const UNKNOWN: unique symbol = Symbol("unknown");

/**
 * Reads `obj[key]`. @pulumi/policy wraps inputs in a proxy that throws UnknownValueError on
 * unknown values; rules that can judge the rest of a resource catch that here instead of
 * skipping the whole policy.
 */
export function read(obj: unknown, key: string | number): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  try {
    return (obj as Record<string | number, unknown>)[key];
  } catch (e) {
    if (isUnknownError(e)) return UNKNOWN;
    throw e;
  }
}

function isUnknownError(e: unknown): boolean {
  return (
    e instanceof UnknownValueError ||
    (e instanceof Error && /can't be known during preview/.test(e.message))
  );
}

/** The keys of an object (empty for non-objects); never throws. */
export function keys(obj: unknown): string[] {
  return obj !== null && typeof obj === "object" ? Object.keys(obj) : [];
}

/** Reads a string field, or undefined when it is missing, unknown or not a string. */
export function str(obj: unknown, key: string): string | undefined {
  const v = read(obj, key);
  return typeof v === "string" ? v : undefined;
}

/** Reads an array field (unknown or missing = empty). */
export function list(obj: unknown, key: string): unknown[] {
  const v = read(obj, key);
  return Array.isArray(v) ? v : [];
}

/** True for a secret-wrapped value: the policy SDK's Secret, or the offline mask "[secret]". */
export function isSecretValue(value: unknown): boolean {
  return value === SECRET_MASK || value instanceof Secret;
}

/**
 * Every string leaf below `value` with its dotted path. Unknown values and the serialized
 * dynamic-provider code (`__provider`) are skipped; secret values are reported as the mask.
 */
export function stringLeaves(value: unknown, path = ""): Array<{ path: string; value: string }> {
  if (typeof value === "string") return [{ path, value }];
  if (isSecretValue(value)) return [{ path, value: SECRET_MASK }];
  if (value === null || typeof value !== "object") return [];
  const out: Array<{ path: string; value: string }> = [];
  for (const k of keys(value)) {
    if (k === "__provider") continue;
    const child = read(value, k);
    if (child === UNKNOWN) continue;
    out.push(...stringLeaves(child, path ? `${path}.${k}` : k));
  }
  return out;
}

/** The stack tag that marks a production stack whatever its name. */
export const PRODUCTION_TAG = "dezky:environment";

/**
 * Production is decided by the stack, not by the program's data, so a policy can judge it
 * before anything runs: stack "prod", any stack named "prod-..." (further production cells
 * such as prod-fsn1-b), or a stack tag `dezky:environment=production`.
 */
export function isProductionStack(stack: string, stackTags?: ReadonlyMap<string, string>): boolean {
  if (stack === "prod" || stack.startsWith("prod-")) return true;
  return stackTags?.get(PRODUCTION_TAG)?.toLowerCase() === "production";
}

/** True when the CIDR (or bare address list entry) is the whole IPv4 or IPv6 internet. */
export function isWholeInternet(cidr: unknown): boolean {
  if (typeof cidr !== "string") return false;
  const c = cidr.trim().toLowerCase();
  return c === "any" || c === "0.0.0.0/0" || c === "::/0" || c === "0::0/0" || /\/0$/.test(c);
}

/**
 * True when a firewall port spec covers `port`: "22", "20-30", "any", or empty / missing
 * (Hetzner and Robot treat a missing port as every port).
 */
export function portCovers(spec: unknown, port: number): boolean {
  if (spec === undefined || spec === null || spec === "") return true;
  const s = String(spec).trim().toLowerCase();
  if (s === "any") return true;
  return s.split(",").some((part) => {
    const [lo, hi] = part.split("-").map((p) => Number(p.trim()));
    if (Number.isNaN(lo)) return false;
    return hi === undefined || Number.isNaN(hi) ? lo === port : lo <= port && port <= hi;
  });
}

/** Ports nobody on the internet may reach: SSH and the k3s (Kubernetes) API. */
export const ADMIN_PORTS = [22, 6443] as const;
