/**
 * Our own minimal description of the Stalwart 0.16 server objects the platform touches
 * (`x:Certificate`, `x:SystemSettings`, `x:NetworkListener`, `x:Role`, `x:Account` User
 * variant), written from the schema's field list; every property is listed so that a test can
 * compare the names, `serverSet` and `nullable` flags with the official schema at test time
 * (shared/specs/stalwart/v0.16/schema.json.gz, never copied here: it is AGPL).
 */
import type { FieldSpec } from "./object-schema";

const text = (required = false): FieldSpec => ({ kind: "string", required });
const nullableText: FieldSpec = { kind: "string", nullable: true };
const num: FieldSpec = { kind: "number" };
const nullableNum: FieldSpec = { kind: "number", nullable: true };
const bool: FieldSpec = { kind: "boolean" };
const set: FieldSpec = { kind: "set" };
const serverSet = (kind: FieldSpec["kind"]): FieldSpec => ({ kind, serverSet: true });

/** A text read from the object, an environment variable or a file (x:PublicText / x:SecretText). */
function textSource(valueField: "value" | "secret"): FieldSpec {
  return {
    kind: "object",
    variants: {
      Text: { [valueField]: { kind: "text", required: true } },
      EnvironmentVariable: { variableName: text(true) },
      File: { filePath: text(true) },
    },
  };
}

export const CERTIFICATE_FIELDS: Record<string, FieldSpec> = {
  certificate: { ...textSource("value"), required: true },
  privateKey: { ...textSource("secret"), required: true },
  issuer: serverSet("string"),
  notValidAfter: serverSet("utcDateTime"),
  notValidBefore: serverSet("utcDateTime"),
  subjectAlternativeNames: serverSet("set"),
};

/** ServiceProtocol enum (schema `enums.ServiceProtocol`). */
export const SERVICE_PROTOCOLS = [
  "jmap",
  "imap",
  "pop3",
  "smtp",
  "caldav",
  "carddav",
  "webdav",
  "managesieve",
];

export const SYSTEM_SETTINGS_FIELDS: Record<string, FieldSpec> = {
  defaultCertificateId: { kind: "id", nullable: true },
  defaultDomainId: { kind: "id" },
  defaultHostname: text(),
  mailExchangers: {
    kind: "list",
    item: { kind: "object", fields: { hostname: nullableText, priority: num } },
  },
  maxConnections: num,
  providerInfo: { kind: "map", item: text(), keys: [] },
  proxyTrustedNetworks: set,
  services: {
    kind: "map",
    keys: SERVICE_PROTOCOLS,
    item: { kind: "object", fields: { cleartext: bool, hostname: nullableText } },
  },
  threadPoolSize: nullableNum,
};

/** NetworkListenerProtocol enum. */
export const LISTENER_PROTOCOLS = ["smtp", "lmtp", "http", "imap", "pop3", "manageSieve"];

export const NETWORK_LISTENER_FIELDS: Record<string, FieldSpec> = {
  bind: { kind: "set", required: true },
  maxConnections: nullableNum,
  name: { kind: "string", required: true, immutable: true },
  overrideProxyTrustedNetworks: set,
  protocol: { kind: "enum", values: LISTENER_PROTOCOLS },
  socketBacklog: nullableNum,
  socketNoDelay: bool,
  socketReceiveBufferSize: nullableNum,
  socketReuseAddress: bool,
  socketReusePort: bool,
  socketSendBufferSize: nullableNum,
  socketTosV4: nullableNum,
  socketTtl: nullableNum,
  tlsDisableCipherSuites: set,
  tlsDisableProtocols: set,
  tlsIgnoreClientOrder: bool,
  tlsImplicit: bool,
  tlsTimeout: nullableNum,
  useTls: bool,
};

/**
 * The permissions the simulator knows (a subset of the 660 in `enums.Permission`; a test
 * checks that each exists there). A role naming any other one is refused as the server
 * refuses an unknown enum value in a set.
 */
const SYS_OBJECTS = [
  "Domain",
  "DkimSignature",
  "Certificate",
  "NetworkListener",
  "Role",
  "Account",
  "Action",
];
export const KNOWN_PERMISSIONS: string[] = [
  "authenticate",
  ...SYS_OBJECTS.flatMap((o) =>
    ["Get", "Create", "Update", "Destroy", "Query"].map((v) => `sys${o}${v}`),
  ),
  "sysSystemSettingsGet",
  "sysSystemSettingsUpdate",
  "actionReloadSettings",
  "actionReloadTlsCertificates",
  "impersonate",
];

const permissionSet: FieldSpec = { kind: "set", keys: KNOWN_PERMISSIONS };

export const ROLE_FIELDS: Record<string, FieldSpec> = {
  description: text(true),
  disabledPermissions: permissionSet,
  enabledPermissions: permissionSet,
  memberTenantId: { kind: "id", nullable: true },
  roleIds: set,
};

const permissionsList = { disabledPermissions: permissionSet, enabledPermissions: permissionSet };

export const USER_ACCOUNT_FIELDS: Record<string, FieldSpec> = {
  aliases: { kind: "list" },
  createdAt: serverSet("utcDateTime"),
  credentials: {
    kind: "list",
    item: {
      kind: "object",
      variants: {
        Password: {
          secret: { kind: "string", required: true },
          expiresAt: { kind: "utcDateTime", nullable: true },
          allowedIps: set,
          otpAuth: nullableText,
          credentialId: serverSet("string"),
        },
        AppPassword: {},
        ApiKey: {},
      },
    },
  },
  description: nullableText,
  domainId: { kind: "id", required: true },
  emailAddress: serverSet("string"),
  encryptionAtRest: { kind: "object" },
  locale: { kind: "enum", values: ["en_US"] },
  memberGroupIds: set,
  memberTenantId: { kind: "id", nullable: true },
  name: text(true),
  permissions: {
    kind: "object",
    variants: { Inherit: {}, Merge: permissionsList, Replace: permissionsList },
  },
  quotas: { kind: "map", keys: [] },
  roles: {
    kind: "object",
    variants: { User: {}, Admin: {}, Custom: { roleIds: set } },
  },
  timeZone: { kind: "enum", nullable: true, values: ["UTC"] },
  usedDiskQuota: serverSet("number"),
};
