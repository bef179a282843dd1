/**
 * Which resource does a property point at? Under the engine, `propertyDependencies` says it;
 * offline (and as a fallback) the property's value is matched against the id-like outputs of the
 * candidates (groupId, driveId, pk, ...).
 */
import type { PolicyResource } from "@pulumi/policy";
import { read } from "./util";

const ID_FIELDS = [
  "id",
  "groupId",
  "driveId",
  "pk",
  "numPk",
  "uuid",
  "applicationId",
  "providerId",
  "slug",
  "domainId",
];

/** The candidate `from.props[prop]` refers to, or undefined when it cannot be told. */
export function referenced(
  from: PolicyResource,
  prop: string,
  candidates: PolicyResource[],
): PolicyResource | undefined {
  const deps = from.propertyDependencies?.[prop] ?? [];
  const byDep = candidates.find((c) => deps.some((d) => d.urn === c.urn));
  if (byDep) return byDep;
  const value = read(from.props, prop);
  if (value === undefined || value === null || value === "" || typeof value === "symbol")
    return undefined;
  return candidates.find((c) => ID_FIELDS.some((f) => read(c.props, f) === value));
}
