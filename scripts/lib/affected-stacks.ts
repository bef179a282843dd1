/**
 * Which stacks a change touches, from the changed file paths: a tenant file or a stack's own
 * environment/config affects that stack; shared program code, dependencies and policies
 * affect every stack; docs, tests, scripts and workflows affect none.
 */

/** Paths that change what every stack deploys. */
const ALL_STACKS = [
  /^components\//,
  /^policies\//,
  /^package(-lock)?\.json$/,
  /^Pulumi\.yaml$/,
  /^tsconfig(\.build)?\.json$/,
];
/** Paths that never change a deployment. */
const NO_STACK = [
  /\.md$/i,
  /\.test\.ts$/,
  /^docs\//,
  /^test\//,
  /^scripts\//,
  /^\.github\//,
  /^\.ci\//,
];

/** The stacks affected by one path (`stacks` in their canonical order). */
export function stacksForPath(file: string, stacks: readonly string[]): string[] {
  const p = file.trim().replace(/^\.\//, "");
  if (!p || NO_STACK.some((re) => re.test(p))) return [];
  const tenant = /^tenants\/([^/]+)\//.exec(p);
  if (tenant) return stacks.includes(tenant[1]) ? [tenant[1]] : [];
  const own = /^stacks\/(?:Pulumi\.([^/.]+)\.yaml|([^/.]+)\.ts)$/.exec(p);
  const stack = own?.[1] ?? own?.[2];
  if (stack && stacks.includes(stack)) return [stack];
  // Other stacks/*.ts (schema, program, index, versions...) and tenants/*.ts (schema, loader).
  if (/^stacks\/[^/]+\.ts$/.test(p) || /^tenants\/[^/]+\.ts$/.test(p)) return [...stacks];
  if (ALL_STACKS.some((re) => re.test(p))) return [...stacks];
  return [];
}

/** The affected stacks for a list of changed paths, in the order of `stacks`. */
export function affectedStacks(paths: string[], stacks: readonly string[]): string[] {
  const hit = new Set(paths.flatMap((p) => stacksForPath(p, stacks)));
  return stacks.filter((s) => hit.has(s));
}
