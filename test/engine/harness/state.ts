/**
 * What the suite reads from the engine's state (`pulumi stack export`, the file backend's
 * stack file): plain-text secrets by value, bytes per tenant, and the resources as the
 * offline policy evaluation's inventory.
 */
import type { Inventory, InventoryResource } from "../../../scripts/lib/mock-run";
import type { StateResource } from "./cli";
import { isSecret, nameOf } from "./events";

/** Names of the given secret values that occur in `text` as they are. */
export function leakedSecrets(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value.length >= 8 && text.includes(value))
    .map(([name]) => name);
}

/** The tenant a resource belongs to, from its name (`engine-tenant-<slug>` prefix). */
export function tenantOf(urn: string, slugs: string[]): string | undefined {
  const name = nameOf(urn);
  return slugs
    .filter((s) => name === `engine-tenant-${s}` || name.startsWith(`engine-tenant-${s}-`))
    .sort((a, b) => b.length - a.length)[0];
}

export interface StateSize {
  /** Bytes of each tenant's resources in the exported state (JSON as exported). */
  perTenant: Record<string, number>;
  /** Bytes of everything else (stack, default providers, readiness gates). */
  shared: number;
  /** Of all bytes, those of dynamic providers' serialized code (`__provider`). */
  providerCode: number;
  resourcesPerTenant: Record<string, number>;
  /**
   * Of each tenant's bytes, those of the DNS stand-in's serialized code (test/engine/project:
   * in production the record sets are hcloud resources, which store no code).
   */
  standInCodePerTenant: Record<string, number>;
  /** Largest stored `__provider` per dynamic type (bytes of the string). */
  codePerType: Record<string, number>;
}

/** The engine project's DNS stand-in (not part of the program's providers). */
const STAND_IN = /^pulumi-nodejs:dynamic\/dnsstore:/;

export function stateSize(resources: StateResource[], slugs: string[]): StateSize {
  const size: StateSize = {
    perTenant: {},
    shared: 0,
    providerCode: 0,
    resourcesPerTenant: {},
    standInCodePerTenant: {},
    codePerType: {},
  };
  for (const resource of resources) {
    const bytes = Buffer.byteLength(JSON.stringify(resource, null, 4));
    const slug = tenantOf(resource.urn, slugs);
    if (slug) {
      size.perTenant[slug] = (size.perTenant[slug] ?? 0) + bytes;
      size.resourcesPerTenant[slug] = (size.resourcesPerTenant[slug] ?? 0) + 1;
    } else {
      size.shared += bytes;
    }
    for (const bag of [resource.inputs, resource.outputs]) {
      const code = bag?.__provider;
      if (typeof code !== "string") continue;
      size.providerCode += Buffer.byteLength(code);
      const type = resource.type.replace("pulumi-nodejs:dynamic/", "");
      size.codePerType[type] = Math.max(size.codePerType[type] ?? 0, Buffer.byteLength(code));
      if (slug && STAND_IN.test(resource.type)) {
        // As exported (escaped, indented JSON).
        size.standInCodePerTenant[slug] =
          (size.standInCodePerTenant[slug] ?? 0) + Buffer.byteLength(JSON.stringify(code));
      }
    }
  }
  return size;
}

/** Replaces every secret value by "[secret]", as the offline inventory does. */
function mask(value: unknown): unknown {
  if (isSecret(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
  }
  return value;
}

const containsSecret = (value: unknown): boolean =>
  isSecret(value) ||
  (Array.isArray(value) ? value.some(containsSecret) : false) ||
  (value !== null && typeof value === "object" && Object.values(value).some(containsSecret));

/**
 * The state's resources as the inventory scripts/lib/mock-run.ts builds offline. Providers
 * stay in: the analyzer sees them too (the mock runtime registers none).
 */
export function inventoryFromState(
  resources: StateResource[],
  stack: string,
  project: string,
): Inventory {
  const inventory: InventoryResource[] = resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => {
      const inputs = (mask(r.inputs ?? {}) as Record<string, unknown>) ?? {};
      const outputs = mask(r.outputs ?? {}) as Record<string, unknown>;
      return {
        urn: r.urn,
        type: r.type,
        name: nameOf(r.urn),
        parent: r.parent?.includes("pulumi:pulumi:Stack") ? undefined : r.parent,
        inputs,
        protect: r.protect ?? false,
        retainOnDelete: r.retainOnDelete ?? false,
        dependsOn: r.dependencies ?? [],
        custom: r.custom,
        ignoreChanges: [],
        deleteBeforeReplace: false,
        additionalSecretOutputs: r.additionalSecretOutputs ?? [],
        secretInputs: Object.entries(r.inputs ?? {})
          .filter(([, v]) => containsSecret(v))
          .map(([k]) => k),
        propertyDependencies: r.propertyDependencies ?? {},
        outputs: Object.fromEntries(Object.entries(outputs).filter(([k]) => !(k in inputs))),
      };
    });
  return { stack, project, resources: inventory, outputs: {} };
}
