/**
 * The server-wide objects of Stalwart 0.16.18 the platform configures, and the difference
 * between what is stored and what the running server uses (stalwartlabs/stalwart@v0.16.18):
 * - `x:SystemSettings` is a singleton (id "singleton", types/src/id.rs:65, :143): /get of a
 *   missing one returns the defaults (jmap/src/registry/get.rs:230-231); create/destroy fail
 *   with `singleton` (set.rs:127-133, jmap-proto/src/error/set.rs:269-272); a write needs
 *   `defaultHostname` and a `defaultDomainId` naming an existing domain (registry/src/schema/
 *   structs_impl.rs:41381-41440: Required, foreign keys -> invalidForeignKey).
 * - `x:Certificate` create/update reads the certificate (File variant: the file, trimmed) and
 *   fills issuer, validity and SANs; unreadable -> invalidProperties on `certificate`
 *   "Failed to read certificate: ..." (jmap/src/registry/mapping/tls.rs:78-106,
 *   registry/src/utils/secret.rs:119-138). The private key is read only when certificates are
 *   loaded, where an expired certificate is deleted from the registry
 *   (common/src/config/server/tls.rs:34-217).
 * - `x:NetworkListener` names are unique (properties_impl.rs:3530-3534); first start inserts
 *   smtp 25, submissions 465, imaps 993, pop3s 995, sieve 4190, https 443 and http 8080 when
 *   none exist (common/src/manager/defaults.rs:459-490).
 * - Nothing written through /set reaches the running server by itself: the DNS records, the
 *   hostname and services come from the loaded core, reloaded by `x:Action ReloadSettings`,
 *   certificates by `ReloadTlsCertificates` (jmap/src/registry/mapping/action.rs:78-104,
 *   common/src/cache/reload.rs:65-158); listeners bind only when the process starts (reload
 *   parses them but never binds: reload.rs:122-126). `restart()` stands for systemd's restart.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { validateProperties, type SetError } from "./object-schema";
import {
  CERTIFICATE_FIELDS,
  NETWORK_LISTENER_FIELDS,
  SYSTEM_SETTINGS_FIELDS,
} from "./server-schema";

export type Obj = Record<string, unknown> & { id: string };

export const SINGLETON_ID = "singleton";

export interface Service {
  cleartext: boolean;
  hostname?: string | null;
}

/** What the running server uses to answer (and to build dnsZoneFile). */
export interface LoadedSettings {
  hostname: string;
  services: Array<[string, Service]>;
  mxs: Array<{ hostname: string | null; priority: number }>;
  defaultDomainId?: string;
}

/** SystemSettings defaults (structs_impl.rs:41470-41530). */
export function defaultSystemSettings(): Obj {
  const services = ["caldav", "carddav", "imap", "jmap", "managesieve", "pop3", "smtp", "webdav"];
  return {
    id: SINGLETON_ID,
    defaultHostname: "",
    defaultDomainId: null,
    defaultCertificateId: null,
    threadPoolSize: null,
    maxConnections: 8192,
    proxyTrustedNetworks: {},
    mailExchangers: { "0": { priority: 10, hostname: null } },
    services: Object.fromEntries(services.map((s) => [s, { cleartext: false, hostname: null }])),
    providerInfo: {},
  };
}

const DEFAULT_LISTENERS: Array<[string, string, number, boolean]> = [
  ["smtp", "smtp", 25, false],
  ["submissions", "smtp", 465, true],
  ["imaps", "imap", 993, true],
  ["pop3s", "pop3", 995, true],
  ["sieve", "manageSieve", 4190, false],
  ["https", "http", 443, true],
  ["http", "http", 8080, false],
];

export interface Hooks {
  newId(): string;
  domainExists(id: string): boolean;
  /** STALWART_HOSTNAME or the OS hostname (store/src/registry/local.rs:20-31). */
  envHostname(): string;
}

export class ServerObjects {
  settings?: Obj;
  readonly certificates = new Map<string, Obj>();
  readonly listeners = new Map<string, Obj>();
  /** Listener names the process bound at its last start, with their ports. */
  bound: Array<{ name: string; port: number; protocol: string; tlsImplicit: boolean }> = [];
  /** Certificate ids the running server loaded. */
  loadedCertificates: string[] = [];
  loaded!: LoadedSettings;
  restarts = 0;

  constructor(private readonly hooks: Hooks) {
    this.loaded = this.loadSettings();
  }

  /** First normal start: default listeners, then bind. */
  firstStart(): void {
    if (this.listeners.size === 0) {
      for (const [name, protocol, port, tlsImplicit] of DEFAULT_LISTENERS) {
        const id = this.hooks.newId();
        this.listeners.set(id, {
          id,
          name,
          protocol,
          bind: { [`[::]:${port}`]: true },
          useTls: true,
          tlsImplicit,
        });
      }
    }
    this.restart();
    this.restarts = 0;
  }

  /** systemctl restart: everything is read again and the listeners are bound anew. */
  restart(): void {
    this.restarts++;
    this.loaded = this.loadSettings();
    this.loadCertificates();
    this.bound = [...this.listeners.values()].map((l) => ({
      name: String(l.name),
      port: Number(
        Object.keys(l.bind as object)[0]
          ?.split(":")
          .pop(),
      ),
      protocol: String(l.protocol),
      tlsImplicit: l.tlsImplicit === true,
    }));
  }

  private loadSettings(): LoadedSettings {
    const s = this.settings ?? defaultSystemSettings();
    const mxs = Object.values(s.mailExchangers as Record<string, Record<string, unknown>>).map(
      (m) => ({ hostname: (m.hostname as string | null) ?? null, priority: Number(m.priority) }),
    );
    return {
      hostname: String(s.defaultHostname || this.hooks.envHostname()),
      services: Object.entries(s.services as Record<string, Service>),
      mxs,
      defaultDomainId: (s.defaultDomainId as string | null) ?? undefined,
    };
  }

  /** x:Action ReloadSettings: the running server takes the stored settings. */
  reloadSettings(): SetError[] {
    this.loaded = this.loadSettings();
    const domain = this.settings?.defaultDomainId as string | undefined;
    if (domain && !this.hooks.domainExists(domain)) {
      // config/mailstore/email.rs:93-108.
      return [
        {
          type: "validationFailed",
          description: `Default domain with ID ${domain} not found`,
          objectId: { object: "SystemSettings", id: SINGLETON_ID },
        },
      ];
    }
    return [];
  }

  /** Loads every certificate; returns build errors. Expired ones are deleted (tls.rs:94-103). */
  loadCertificates(): SetError[] {
    const errors: SetError[] = [];
    this.loadedCertificates = [];
    for (const cert of [...this.certificates.values()]) {
      const fail = (description: string) =>
        errors.push({
          type: "validationFailed",
          description,
          objectId: { object: "Certificate", id: cert.id },
        });
      const pem = readSource(cert.certificate, "value");
      if (pem.error !== undefined) {
        fail(`Failed to obtain certificate value: ${pem.error}`);
        continue;
      }
      const parsed = parseCertificate(pem.text);
      if (typeof parsed === "string") {
        fail(`Invalid certificate: ${parsed}`);
        continue;
      }
      Object.assign(cert, parsed);
      if (Date.parse(parsed.notValidAfter) <= Date.now()) {
        this.certificates.delete(cert.id);
        continue;
      }
      const key = readSource(cert.privateKey, "secret");
      if (key.error !== undefined) {
        fail(`Failed to obtain private key secret: ${key.error}`);
        continue;
      }
      try {
        crypto.createPrivateKey(key.text);
      } catch {
        fail("Invalid certificate: No private keys found.");
        continue;
      }
      this.loadedCertificates.push(cert.id);
    }
    return errors;
  }

  // ----- x:SystemSettings -----
  viewSettings(): Obj {
    return structuredClone(this.settings ?? defaultSystemSettings());
  }

  updateSettings(
    patch: Record<string, unknown>,
    certificateExists: (id: string) => boolean,
  ): SetError | undefined {
    const invalid = validateProperties(SYSTEM_SETTINGS_FIELDS, patch, "update");
    if (invalid) return invalid;
    const next = { ...(this.settings ?? defaultSystemSettings()), ...patch };
    if (!next.defaultHostname) return required("defaultHostname");
    if (!next.defaultDomainId) return required("defaultDomainId");
    if (!this.hooks.domainExists(String(next.defaultDomainId))) {
      return {
        type: "invalidForeignKey",
        objectId: { object: "Domain", id: String(next.defaultDomainId) },
      };
    }
    const cert = next.defaultCertificateId as string | null;
    if (cert && !certificateExists(cert)) {
      return { type: "invalidForeignKey", objectId: { object: "Certificate", id: cert } };
    }
    this.settings = next;
    return undefined;
  }

  // ----- x:Certificate -----
  createCertificate(props: Record<string, unknown>): Obj | SetError {
    const invalid = validateProperties(CERTIFICATE_FIELDS, props, "create");
    if (invalid) return invalid;
    const meta = certificateMeta(props.certificate);
    if ("type" in meta) return meta;
    const cert: Obj = { id: this.hooks.newId(), ...props, ...meta };
    this.certificates.set(cert.id, cert);
    return cert;
  }

  updateCertificate(id: string, patch: Record<string, unknown>): SetError | undefined {
    const cert = this.certificates.get(id);
    if (!cert) return { type: "notFound" };
    const invalid = validateProperties(CERTIFICATE_FIELDS, patch, "update");
    if (invalid) return invalid;
    if (patch.certificate !== undefined) {
      const meta = certificateMeta(patch.certificate);
      if ("type" in meta) return meta;
      Object.assign(cert, meta);
    }
    Object.assign(cert, patch);
    return undefined;
  }

  destroyCertificate(id: string): SetError | undefined {
    if (!this.certificates.has(id)) return { type: "notFound" };
    if (this.settings?.defaultCertificateId === id) {
      return {
        type: "objectIsLinked",
        objectId: { object: "Certificate", id },
        linkedObjects: [{ object: "SystemSettings", id: SINGLETON_ID }],
      };
    }
    this.certificates.delete(id);
    return undefined;
  }

  viewCertificate(cert: Obj): Obj {
    const view = structuredClone(cert);
    const key = view.privateKey as Record<string, unknown> | undefined;
    if (key?.["@type"] === "Text") key.secret = "****";
    return view;
  }

  // ----- x:NetworkListener -----
  createListener(props: Record<string, unknown>): Obj | SetError {
    const invalid = validateProperties(NETWORK_LISTENER_FIELDS, props, "create");
    if (invalid) return invalid;
    const bad = badBind(props.bind);
    if (bad) return bad;
    const clash = [...this.listeners.values()].find((l) => l.name === props.name);
    if (clash) {
      return {
        type: "primaryKeyViolation",
        properties: ["name"],
        objectId: { object: "NetworkListener", id: clash.id },
      };
    }
    const listener: Obj = {
      id: this.hooks.newId(),
      protocol: "smtp",
      useTls: true,
      tlsImplicit: false,
      ...props,
    };
    this.listeners.set(listener.id, listener);
    return listener;
  }

  updateListener(id: string, patch: Record<string, unknown>): SetError | undefined {
    const listener = this.listeners.get(id);
    if (!listener) return { type: "notFound" };
    const invalid = validateProperties(NETWORK_LISTENER_FIELDS, patch, "update");
    if (invalid) return invalid;
    const bad = patch.bind === undefined ? undefined : badBind(patch.bind);
    if (bad) return bad;
    Object.assign(listener, patch);
    return undefined;
  }

  destroyListener(id: string): SetError | undefined {
    return this.listeners.delete(id) ? undefined : { type: "notFound" };
  }
}

function required(property: string): SetError {
  return { type: "validationFailed", validationErrors: [{ type: "Required", property }] };
}

/** A listener needs at least one valid socket address (structs_impl.rs:29967-29990). */
function badBind(bind: unknown): SetError | undefined {
  const addresses = Object.keys((bind as object) ?? {});
  const valid = (a: string) => /^(\[[0-9a-f:.]+\]|\d{1,3}(\.\d{1,3}){3}):\d{1,5}$/i.test(a);
  if (addresses.length === 0 || !addresses.every(valid)) {
    return {
      type: "validationFailed",
      validationErrors: [{ type: addresses.length ? "Invalid" : "MinItems", property: "bind" }],
    };
  }
  return undefined;
}

/** Reads a PublicText/SecretText source the way the server does. */
function readSource(source: unknown, field: "value" | "secret"): { text: string; error?: string } {
  const s = (source ?? {}) as Record<string, string>;
  if (s["@type"] === "Text") return { text: s[field] ?? "" };
  if (s["@type"] === "EnvironmentVariable") {
    const value = process.env[s.variableName ?? ""];
    return value
      ? { text: value }
      : { text: "", error: `Environment variable '${s.variableName}' not found` };
  }
  const path = (s.filePath ?? "").trim();
  if (!path) return { text: "", error: "File path cannot be empty" };
  try {
    const content = fs.readFileSync(path, "utf8").trimEnd();
    return content ? { text: content } : { text: "", error: `Secret in file '${path}' is empty` };
  } catch (error) {
    return { text: "", error: `Failed to read secret from file '${path}': ${String(error)}` };
  }
}

interface CertificateMeta {
  issuer: string;
  notValidAfter: string;
  notValidBefore: string;
  subjectAlternativeNames: Record<string, true>;
}

function parseCertificate(pem: string): CertificateMeta | string {
  try {
    const x509 = new crypto.X509Certificate(pem);
    const sans = (x509.subjectAltName ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.startsWith("DNS:"))
      .map((s) => s.slice(4));
    return {
      issuer: x509.issuer.replace(/\n/g, ", "),
      notValidAfter: new Date(x509.validTo).toISOString(),
      notValidBefore: new Date(x509.validFrom).toISOString(),
      subjectAlternativeNames: Object.fromEntries(sans.map((s) => [s, true as const])),
    };
  } catch (error) {
    return String(error);
  }
}

function certificateMeta(source: unknown): CertificateMeta | SetError {
  const pem = readSource(source, "value");
  const parsed = pem.error === undefined ? parseCertificate(pem.text) : pem.error;
  if (typeof parsed === "string") {
    return {
      type: "invalidProperties",
      properties: ["certificate"],
      description: `Failed to read certificate: ${parsed}`,
    };
  }
  return parsed;
}
