/**
 * Our own minimal description of the Stalwart 0.16 registry objects the provider touches
 * (`x:Domain`, `x:DkimSignature`), written from shared/reference/stalwart-api.md §3.2-3.3.
 * Stalwart's schema.json.gz is AGPL and stays out of the repository; a test compares this
 * description with it at test time when /work/shared is present.
 */

export type FieldKind =
  | "string"
  | "text"
  | "boolean"
  | "number"
  | "id"
  | "utcDateTime"
  | "set"
  | "object"
  | "enum"
  | "list"
  | "map";

export interface FieldSpec {
  kind: FieldKind;
  nullable?: boolean;
  /** Computed by the server: a client may not set it. */
  serverSet?: boolean;
  /** For "object": allowed `@type` variants and their own fields (none = no extra fields). */
  variants?: Record<string, Record<string, FieldSpec>>;
  /** For "enum": the allowed values. */
  values?: string[];
  required?: boolean;
  /** `update: immutable` in the schema: set on create only ("Cannot modify read-only property"). */
  immutable?: boolean;
  /** For "list" (JSON object keyed "0", "1", ...) and "map": the value of each entry. */
  item?: FieldSpec;
  /** For "map": the allowed keys (an enum); for "set": the allowed members, when checked. */
  keys?: string[];
  /** For "object" without variants: its own fields. */
  fields?: Record<string, FieldSpec>;
}

const DURATION: FieldSpec = { kind: "number" };

export const DKIM_ALGORITHMS = [
  "Dkim1Ed25519Sha256",
  "Dkim1RsaSha256",
  "Dkim2Ed25519Sha256",
  "Dkim2RsaSha256",
];

export const DOMAIN_FIELDS: Record<string, FieldSpec> = {
  name: { kind: "string", required: true },
  aliases: { kind: "set" },
  allowRelaying: { kind: "boolean" },
  catchAllAddress: { kind: "string", nullable: true },
  certificateManagement: {
    kind: "object",
    variants: {
      Manual: {},
      Automatic: {
        acmeProviderId: { kind: "id", required: true },
        subjectAlternativeNames: { kind: "set" },
      },
    },
  },
  createdAt: { kind: "utcDateTime", serverSet: true },
  description: { kind: "string", nullable: true },
  directoryId: { kind: "id", nullable: true },
  dkimManagement: {
    kind: "object",
    variants: {
      Manual: {},
      Automatic: {
        algorithms: { kind: "set" },
        selectorTemplate: { kind: "string" },
        rotateAfter: DURATION,
        retireAfter: DURATION,
        deleteAfter: DURATION,
      },
    },
  },
  dnsManagement: {
    kind: "object",
    variants: {
      Manual: {},
      Automatic: {
        dnsServerId: { kind: "id", required: true },
        origin: { kind: "string", nullable: true },
        publishRecords: { kind: "set" },
      },
    },
  },
  dnsZoneFile: { kind: "text", serverSet: true },
  isEnabled: { kind: "boolean" },
  logo: { kind: "string", nullable: true },
  memberTenantId: { kind: "id", nullable: true },
  reportAddressUri: { kind: "string", nullable: true },
  subAddressing: {
    kind: "object",
    variants: { Enabled: {}, Disabled: {}, Custom: { customRule: { kind: "object" } } },
  },
};

/** Fields shared by the DKIM1 variants (the ones this project uses). */
export const DKIM1_FIELDS: Record<string, FieldSpec> = {
  domainId: { kind: "id", required: true },
  selector: { kind: "string", required: true },
  privateKey: {
    kind: "object",
    variants: {
      Text: { secret: { kind: "text", required: true } },
      EnvironmentVariable: { variableName: { kind: "string", required: true } },
      File: { filePath: { kind: "string", required: true } },
    },
  },
  publicKey: { kind: "text", serverSet: true },
  stage: { kind: "enum", values: ["active", "pending", "retiring", "retired"] },
  nextTransitionAt: { kind: "utcDateTime", nullable: true },
  createdAt: { kind: "utcDateTime", serverSet: true },
  memberTenantId: { kind: "id", nullable: true },
  auid: { kind: "string", nullable: true },
  canonicalization: {
    kind: "enum",
    values: ["relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed"],
  },
  expire: { kind: "number", nullable: true },
  headers: { kind: "set" },
  report: { kind: "boolean" },
  thirdParty: { kind: "string", nullable: true },
  thirdPartyHash: { kind: "enum", nullable: true, values: ["sha256", "sha1"] },
};

/** A set-error as Stalwart puts it in notCreated/notUpdated (jmap-proto/src/error/set.rs:21-48). */
export interface SetError {
  type: string;
  description?: string;
  properties?: string[];
  objectId?: { object: string; id: string };
  linkedObjects?: Array<{ object: string; id: string }>;
  validationErrors?: Array<{ type: string; property: string }>;
}

function typeOk(spec: FieldSpec, value: unknown): boolean {
  switch (spec.kind) {
    case "string":
    case "text":
    case "id":
    case "utcDateTime":
      // String patches refuse "" ("Invalid value for property.": registry/src/jmap/patch.rs:195-212).
      return typeof value === "string" && value !== "";
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number" && Number.isFinite(value) && value >= 0;
    case "enum":
      return typeof value === "string" && (spec.values ?? []).includes(value);
    case "set":
    case "object":
    case "list":
    case "map":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

/**
 * Every patch failure is `invalidPatch` with the JSON-pointer path in `properties`
 * (From<PatchError> for SetError: jmap-proto/src/error/set.rs:328-339): unknown property
 * ("Invalid property", e.g. registry/src/schema/structs_impl.rs `impl RegistryJsonPropertyPatch
 * for Domain`), server-set property ("Cannot modify server set property": patch.rs:123-128),
 * wrong type or empty string.
 */
function patchError(path: string, description: string): SetError {
  return { type: "invalidPatch", description, properties: [path] };
}

/**
 * Validates the properties of a create (or the top-level keys of an update) against a field
 * description; returns the first error the way Stalwart reports it, or undefined.
 */
export function validateProperties(
  fields: Record<string, FieldSpec>,
  props: Record<string, unknown>,
  mode: "create" | "update",
  path = "",
): SetError | undefined {
  for (const [key, value] of Object.entries(props)) {
    if (key === "@type") continue;
    const spec = fields[key];
    const where = `${path}${key}`;
    if (!spec) return patchError(where, "Invalid property");
    if (spec.serverSet) return patchError(where, "Cannot modify server set property");
    if (value === null) {
      // Option<T> accepts null (patch.rs:153-169); anything else does not.
      if (spec.nullable) continue;
      return patchError(where, "Invalid value for property.");
    }
    if (!typeOk(spec, value)) return patchError(where, `Invalid value for ${spec.kind} property`);
    if (spec.immutable && mode === "update") {
      // JsonPointerPatch::assert_read_only (registry/src/jmap/patch.rs:112-121).
      return patchError(where, "Cannot modify read-only property");
    }
    if (spec.kind === "set" && Object.values(value as object).some((v) => v !== true)) {
      return patchError(where, "Invalid set value");
    }
    if (spec.kind === "set" && spec.keys) {
      const bad = Object.keys(value as object).find((k) => !spec.keys!.includes(k));
      if (bad !== undefined) return patchError(`${where}/${bad}`, "Invalid value for set item");
    }
    if ((spec.kind === "list" || spec.kind === "map") && spec.item) {
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        // Lists are keyed by index (registry/src/types/list.rs:123-139), maps by enum name.
        const keyOk = spec.kind === "list" ? /^\d+$/.test(key) : (spec.keys ?? []).includes(key);
        if (!keyOk) return patchError(where, "Invalid key for object property");
        const nested = validateProperties(
          { [key]: spec.item },
          { [key]: entry },
          "create",
          `${where}/`,
        );
        if (nested) return nested;
      }
    }
    if (spec.variants) {
      const variantName = (value as Record<string, unknown>)["@type"];
      const variant = typeof variantName === "string" ? spec.variants[variantName] : undefined;
      if (!variant) return patchError(`${where}/@type`, "Invalid variant");
      const nested = validateProperties(
        variant,
        value as Record<string, unknown>,
        "create",
        `${where}/`,
      );
      if (nested) return nested;
    }
    if (spec.fields) {
      const nested = validateProperties(
        spec.fields,
        value as Record<string, unknown>,
        "create",
        `${where}/`,
      );
      if (nested) return nested;
    }
  }
  if (mode === "create") {
    // Missing required values fail object validation at write time: validationFailed with
    // {"type":"Required","property":...} (registry/src/types/error.rs:14-23, set.rs map_write_error).
    for (const [key, spec] of Object.entries(fields)) {
      if (spec.required && !(key in props)) {
        return {
          type: "validationFailed",
          validationErrors: [{ type: "Required", property: key }],
        };
      }
    }
  }
  return undefined;
}

/**
 * Stalwart 0.16's domain-name rule (utils/src/lib.rs:377-430, used by the Domain name
 * validator registry/src/types/string.rs:37-39): lower-cased, labels of letters, digits, "-"
 * or "_", a dot required, and a public-suffix TLD or one of the reserved private ones.
 */
const PRIVATE_TLDS = [
  "test",
  "localhost",
  "local",
  "internal",
  "lan",
  "home",
  "corp",
  "intranet",
  "private",
  "localdomain",
];
/**
 * A handful of public suffixes. The real server uses the full Public Suffix List; a name
 * with a TLD missing here is refused (stricter than the server, never looser).
 */
const PUBLIC_TLDS = ["eu", "de", "com", "org", "net", "at", "ch", "fr", "nl", "io"];

/** The sanitized name Stalwart stores, or undefined when it refuses it ("Invalid domain name"). */
export function sanitizeDomainName(raw: string): string | undefined {
  const name = raw.replace(/\s+/g, "").toLowerCase();
  if (!/^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z]{2,63}$/.test(name)) return undefined;
  if (name.length > 253) return undefined;
  const tld = name.slice(name.lastIndexOf(".") + 1);
  return PRIVATE_TLDS.includes(tld) || PUBLIC_TLDS.includes(tld) ? name : undefined;
}

export function isValidDomainName(name: string): boolean {
  return sanitizeDomainName(name) === name;
}
