/**
 * What the program puts into Pulumi state, from a bench recording (issue 19): the serialized
 * provider code each dynamic resource stores (`__provider`, kept in its inputs and again in
 * its outputs), and an estimate of the checkpoint bytes per tenant: each resource as the
 * engine writes it (URN, type, inputs, outputs = inputs + the mock runtime's outputs, parent,
 * provider reference). The engine suite measures the real state of a deployed tenant.
 * Pure: no Pulumi runtime needed.
 */
import { mockState } from "./mock-outputs";
import {
  type Encoded,
  type Recording,
  REF_TAG,
  type Registration,
  SECRET_TAG,
  STRING_TAG,
} from "./bench-replay";

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/";
const TENANT_TYPE = "dezky:tenant:Tenant";

export interface ProviderCodeBytes {
  type: string;
  resources: number;
  /** Bytes of the `__provider` string (UTF-8); min and max over the type's resources. */
  min: number;
  max: number;
}

export interface StateEstimate {
  providerCode: ProviderCodeBytes[];
  /** Estimated checkpoint bytes of one tenant's resources. */
  tenantBytes: { tenants: number; mean: number; min: number; max: number };
  /** Share of the tenant bytes that is serialized provider code (0..1). */
  providerShare: number;
}

/** A recorded value as plain JSON, as a checkpoint holds it (secrets as the engine's envelope). */
export function plainValue(value: Encoded, strings: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => plainValue(v, strings));
  if (!value || typeof value !== "object") return value;
  if (STRING_TAG in value) return strings[value[STRING_TAG] as number];
  if (SECRET_TAG in value) {
    // The engine stores a secret encrypted in an envelope about as long as the value.
    const inner = JSON.stringify(plainValue(value[SECRET_TAG], strings) ?? null);
    return {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: inner,
    };
  }
  if (REF_TAG in value) return `urn:pulumi:ref:${value[REF_TAG]}`;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v, strings)]));
}

function providerCode(r: Registration, strings: string[]): string | undefined {
  const code = r.inputs.__provider;
  if (code === undefined) return undefined;
  const plain = plainValue(code, strings);
  return typeof plain === "string" ? plain : JSON.stringify(plain);
}

/** The slug of the tenant a registration belongs to (its Tenant ancestor), if any. */
function tenantOf(
  rec: Recording,
  index: number,
  prefix: Map<number, string | undefined>,
): string | undefined {
  if (prefix.has(index)) return prefix.get(index);
  const r = rec.registrations[index];
  const slug =
    r.type === TENANT_TYPE
      ? r.name.slice(r.name.lastIndexOf("-tenant-") + "-tenant-".length)
      : r.parent === undefined
        ? undefined
        : tenantOf(rec, r.parent, prefix);
  prefix.set(index, slug);
  return slug;
}

/** One resource as a checkpoint entry, in bytes (JSON, as the file backend writes it). */
export function checkpointBytes(r: Registration, strings: string[]): number {
  const urn = `urn:pulumi:stack::project::${r.type}::${r.name}`;
  if (r.kind === "component")
    return Buffer.byteLength(JSON.stringify({ urn, custom: false, type: r.type, parent: urn }));
  const inputs = plainValue(r.inputs, strings) as Record<string, unknown>;
  const outputs = { ...inputs, ...mockState(r.type, r.name, inputs).state };
  const entry = {
    urn,
    custom: true,
    id: "0123456789ab",
    type: r.type,
    inputs,
    outputs,
    parent: urn,
    provider: `${urn}::0123456789ab`,
    propertyDependencies: Object.fromEntries(Object.keys(inputs).map((k) => [k, []])),
  };
  return Buffer.byteLength(JSON.stringify(entry));
}

export function estimateState(rec: Recording): StateEstimate {
  const byType = new Map<string, number[]>();
  const perTenant = new Map<string, { bytes: number; code: number }>();
  const prefix = new Map<number, string | undefined>();
  rec.registrations.forEach((r, i) => {
    const code = r.type.startsWith(DYNAMIC_PREFIX) ? providerCode(r, rec.strings) : undefined;
    const codeBytes = code === undefined ? 0 : Buffer.byteLength(code);
    if (code !== undefined) {
      const type = r.type.slice(DYNAMIC_PREFIX.length);
      byType.set(type, [...(byType.get(type) ?? []), codeBytes]);
    }
    const slug = tenantOf(rec, i, prefix);
    if (!slug) return;
    const t = perTenant.get(slug) ?? { bytes: 0, code: 0 };
    t.bytes += checkpointBytes(r, rec.strings);
    t.code += 2 * codeBytes; // inputs and outputs
    perTenant.set(slug, t);
  });
  const tenants = [...perTenant.values()];
  const bytes = tenants.map((t) => t.bytes);
  const total = bytes.reduce((a, b) => a + b, 0);
  return {
    providerCode: [...byType]
      .map(([type, sizes]) => ({
        type,
        resources: sizes.length,
        min: Math.min(...sizes),
        max: Math.max(...sizes),
      }))
      .sort((a, b) => a.type.localeCompare(b.type)),
    tenantBytes: {
      tenants: tenants.length,
      mean: tenants.length ? Math.round(total / tenants.length) : 0,
      min: bytes.length ? Math.min(...bytes) : 0,
      max: bytes.length ? Math.max(...bytes) : 0,
    },
    providerShare: total ? tenants.reduce((a, t) => a + t.code, 0) / total : 0,
  };
}

/** Lines for the bench report. */
export function renderStateEstimate(s: StateEstimate): string[] {
  const code = s.providerCode.map(
    (p) =>
      `  ${p.type}: ${p.min === p.max ? p.min : `${p.min}-${p.max}`} bytes (${p.resources} resources)`,
  );
  return [
    "Serialized provider code per dynamic resource (__provider, stored in inputs and outputs):",
    ...code,
    `State per tenant (estimated checkpoint bytes, ${s.tenantBytes.tenants} tenants): mean ${s.tenantBytes.mean}, min ${s.tenantBytes.min}, max ${s.tenantBytes.max}; provider code ${(s.providerShare * 100).toFixed(1)}% of it`,
  ];
}
