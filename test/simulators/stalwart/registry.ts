/**
 * The simulator's state: Stalwart 0.16 registry objects (Domain, DkimSignature here; roles and
 * accounts in principals.ts; settings, certificates and listeners in server-objects.ts) with
 * opaque base32 ids, the set errors 0.16.18 returns, and DKIM keys that the task manager
 * creates a while after a domain with automatic DKIM management is created. Citations are
 * stalwartlabs/stalwart@v0.16.18 paths (docs/conformance/stalwart.md lists them all).
 */
import * as crypto from "node:crypto";
import { promisify } from "node:util";
import {
  DKIM1_FIELDS,
  DKIM_ALGORITHMS,
  DOMAIN_FIELDS,
  sanitizeDomainName,
  validateProperties,
  type SetError,
} from "./object-schema";
import { renderZoneText } from "./zone-text";
import { Principals } from "./principals";
import { ServerObjects, SINGLETON_ID } from "./server-objects";

const generateKeyPair = promisify(crypto.generateKeyPair);
const BASE32 = "abcdefghijklmnopqrstuvwxyz792013";

/** Stalwart's id encoding: 0 -> "a", 1 -> "b", 32 -> "ba". */
export function encodeId(n: number): string {
  let out = "";
  do {
    out = BASE32[n % 32] + out;
    n = Math.floor(n / 32);
  } while (n > 0);
  return out;
}

export type Obj = Record<string, unknown> & { id: string };

export interface RegistryOptions {
  /** Delay before automatic DKIM keys appear. @default 150 */
  dkimDelayMs?: number;
  /**
   * STALWART_HOSTNAME, or the OS hostname when unset (store/src/registry/local.rs:20-31): the
   * default hostname until SystemSettings.defaultHostname is stored (config/network.rs:199-203).
   * @default "debian-host" (an OS hostname: what an unconfigured server would publish)
   */
  envHostname?: string;
  /** Test clock for selector dates. */
  now?: () => Date;
}

const DEFAULT_DKIM = {
  "@type": "Automatic",
  algorithms: { Dkim1Ed25519Sha256: true, Dkim1RsaSha256: true },
  selectorTemplate: "v{version}-{algorithm}-{date-%Y%m%d}",
  rotateAfter: 7776000000,
  retireAfter: 604800000,
  deleteAfter: 2592000000,
};

function publicKeyOf(key: crypto.KeyObject): string {
  const der = crypto.createPublicKey(key).export({ type: "spki", format: "der" });
  // DKIM publishes Ed25519 keys raw (32 bytes), RSA keys as SubjectPublicKeyInfo DER.
  return (key.asymmetricKeyType === "ed25519" ? der.subarray(der.length - 32) : der).toString(
    "base64",
  );
}

export class Registry {
  readonly domains = new Map<string, Obj>();
  readonly signatures = new Map<string, Obj>();
  readonly principals: Principals;
  readonly server: ServerObjects;
  private nextId = 1;
  private timers = new Set<NodeJS.Timeout>();
  private pendingKeys = 0;

  constructor(private readonly options: RegistryOptions = {}) {
    const newId = () => this.newId();
    this.principals = new Principals(newId, (id) => this.domains.get(id)?.name as string);
    this.server = new ServerObjects({
      newId,
      domainExists: (id) => this.domains.has(id),
      envHostname: () => options.envHostname ?? "debian-host",
    });
  }

  /** User accounts (they hold mail, so they block a domain's destroy). */
  get accounts(): Map<string, Obj> {
    return this.principals.accounts;
  }

  /** The first normal start: default roles and listeners (manager/defaults.rs:402-490). */
  firstStart(): void {
    this.principals.insertDefaults();
    this.server.firstStart();
  }

  private newId(): string {
    return encodeId(this.nextId++ * 7 + 3); // opaque and not sequential-looking
  }

  /** True while automatic DKIM generation is still scheduled or running. */
  get dkimPending(): boolean {
    return this.pendingKeys > 0;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  // ----- Domain -----
  /** The host every MX/SRV/CNAME target names, as loaded (config/network.rs:199-203). */
  defaultHostname(): string {
    return this.server.loaded.hostname;
  }

  createDomain(props: Record<string, unknown>): Obj | SetError {
    const invalid = validateProperties(DOMAIN_FIELDS, props, "create");
    if (invalid) return invalid;
    const name = sanitizeDomainName(String(props.name));
    if (name === undefined) return invalidDomainName();
    const clash = this.checkName(name, undefined);
    if (clash) return clash;
    const domain: Obj = {
      id: this.newId(),
      aliases: {},
      allowRelaying: false,
      catchAllAddress: null,
      certificateManagement: { "@type": "Manual" },
      description: null,
      dkimManagement: DEFAULT_DKIM,
      dnsManagement: { "@type": "Manual" },
      isEnabled: true,
      reportAddressUri: "mailto:postmaster",
      subAddressing: { "@type": "Enabled" },
      ...props,
      name,
      createdAt: new Date().toISOString(),
    };
    const dkim = domain.dkimManagement as Record<string, unknown>;
    if (dkim["@type"] === "Automatic") domain.dkimManagement = { ...DEFAULT_DKIM, ...dkim };
    this.domains.set(domain.id, domain);
    if (dkim["@type"] === "Automatic") this.scheduleDkim(domain.id);
    return domain;
  }

  /** Name or alias clash: primaryKeyViolation naming the existing domain (mapping/domain.rs:64-101). */
  private checkName(name: string, selfId: string | undefined): SetError | undefined {
    for (const d of this.domains.values()) {
      if (d.id === selfId) continue;
      if (d.name === name || Object.keys(d.aliases as object).includes(name)) {
        return {
          type: "primaryKeyViolation",
          properties: ["name"],
          objectId: { object: "Domain", id: d.id },
        } as SetError;
      }
    }
    return undefined;
  }

  updateDomain(id: string, patch: Record<string, unknown>): SetError | undefined {
    const domain = this.domains.get(id);
    if (!domain) return { type: "notFound" };
    const topLevel = Object.fromEntries(Object.entries(patch).filter(([k]) => !k.includes("/")));
    const invalid = validateProperties(DOMAIN_FIELDS, topLevel, "update");
    if (invalid) return invalid;
    for (const key of Object.keys(patch)) {
      if (!(key.split("/")[0] in DOMAIN_FIELDS)) {
        return { type: "invalidPatch", properties: [key], description: "Invalid property" };
      }
    }
    if (typeof patch.name === "string") {
      const name = sanitizeDomainName(patch.name);
      if (name === undefined) return invalidDomainName();
      patch = { ...patch, name };
      const clash = this.checkName(patch.name as string, id);
      if (clash) return clash;
    }
    for (const [key, value] of Object.entries(patch)) {
      const path = key.split("/");
      let target: Record<string, unknown> = domain;
      for (const part of path.slice(0, -1))
        target = (target[part] ??= {}) as Record<string, unknown>;
      target[path[path.length - 1]] = value;
    }
    return undefined;
  }

  /** Objects that link to a domain block its destroy (set.rs:644-697, map_write_error :898-905). */
  destroyDomain(id: string): SetError | undefined {
    if (!this.domains.has(id)) return { type: "notFound" };
    const linked = [
      ...[...this.signatures.values()]
        .filter((s) => s.domainId === id)
        .map((s) => ({ object: "DkimSignature", id: s.id })),
      ...this.principals.accountsOn(id).map((a) => ({ object: "Account", id: a.id })),
      // SystemSettings.defaultDomainId is a foreign key (structs_impl.rs SystemSettings::index).
      ...(this.server.settings?.defaultDomainId === id
        ? [{ object: "SystemSettings", id: SINGLETON_ID }]
        : []),
    ];
    if (linked.length > 0) {
      return {
        type: "objectIsLinked",
        objectId: { object: "Domain", id },
        linkedObjects: linked,
      } as SetError;
    }
    this.domains.delete(id);
    return undefined;
  }

  /** The domain as /get returns it: dnsZoneFile computed on every read. */
  viewDomain(domain: Obj): Obj {
    const keys = [...this.signatures.values()]
      .filter((s) => s.domainId === domain.id)
      .map((s) => ({
        selector: String(s.selector),
        algorithm: String(s["@type"]).includes("Ed25519") ? ("ed25519" as const) : ("rsa" as const),
        publicKey: String(s.publicKey),
      }));
    const dnsZoneFile = renderZoneText({
      domain: String(domain.name),
      serverName: this.defaultHostname(),
      services: this.server.loaded.services,
      mxs: this.server.loaded.mxs,
      reportAddressUri: domain.reportAddressUri as string | null,
      dkim: keys,
    });
    return { ...structuredClone(domain), dnsZoneFile };
  }

  // ----- DKIM -----
  private scheduleDkim(domainId: string): void {
    this.pendingKeys++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.generateAutomaticKeys(domainId).finally(() => this.pendingKeys--);
    }, this.options.dkimDelayMs ?? 150);
    this.timers.add(timer);
  }

  private async generateAutomaticKeys(domainId: string): Promise<void> {
    const domain = this.domains.get(domainId);
    if (!domain) return;
    const dkim = domain.dkimManagement as {
      "@type": string;
      algorithms: object;
      selectorTemplate: string;
    };
    // When it runs, the task gives up on a domain that is no longer automatic
    // (services/src/task_manager/dkim.rs:66-70) and skips algorithms that already have an
    // active key (:119-133).
    if (dkim["@type"] !== "Automatic") return;
    const date = (this.options.now?.() ?? new Date()).toISOString().slice(0, 10).replace(/-/g, "");
    for (const type of Object.keys(dkim.algorithms)) {
      const hasActive = [...this.signatures.values()].some(
        (sig) => sig.domainId === domainId && sig["@type"] === type && sig.stage === "active",
      );
      if (hasActive) continue;
      const ed = type.includes("Ed25519");
      const { privateKey } = ed
        ? await generateKeyPair("ed25519")
        : await generateKeyPair("rsa", { modulusLength: 2048 });
      if (!this.domains.has(domainId)) return;
      const selector = dkim.selectorTemplate
        .replace("{version}", type.startsWith("Dkim2") ? "2" : "1")
        .replace("{algorithm}", ed ? "ed25519" : "rsa")
        .replace("{hash}", "sha256")
        .replace(/\{date-[^}]*\}/, date);
      // With manual DNS the task writes the new key straight into `active`
      // (services/src/task_manager/dkim.rs:183-190, no updater at :216).
      this.storeSignature({ "@type": type, domainId, selector, stage: "active" }, privateKey);
    }
  }

  private storeSignature(props: Record<string, unknown>, key: crypto.KeyObject): Obj {
    // Schema defaults for x:Dkim1Signature: a key created without `stage` is `active` and signs.
    const sig: Obj = {
      id: this.newId(),
      canonicalization: "relaxed/relaxed",
      headers: { Date: true, From: true, "Message-ID": true, Subject: true, To: true },
      report: true,
      stage: "active",
      nextTransitionAt: null,
      ...props,
      privateKey: { "@type": "Text", secret: key.export({ type: "pkcs8", format: "pem" }) },
      publicKey: publicKeyOf(key),
      createdAt: new Date().toISOString(),
    };
    this.signatures.set(sig.id, sig);
    return sig;
  }

  createSignature(props: Record<string, unknown>): Obj | SetError {
    if (!DKIM_ALGORITHMS.includes(String(props["@type"]))) {
      return { type: "invalidPatch", properties: ["@type"], description: "Invalid variant" };
    }
    const invalid = validateProperties(DKIM1_FIELDS, props, "create");
    if (invalid) return invalid;
    if (!this.domains.has(String(props.domainId))) {
      // RegistryWriteResult::InvalidForeignKey -> objectId of the missing target (set.rs:912-914).
      return {
        type: "invalidForeignKey",
        objectId: { object: "Domain", id: String(props.domainId) },
      };
    }
    // The key must build a signer (mapping/dkim.rs:30-37): invalidProperties, no properties.
    const invalidKey = (why: string): SetError => ({
      type: "invalidProperties",
      description: `Failed to validate DKIM signature: ${why}`,
    });
    const secret = (props.privateKey as { "@type"?: string; secret?: string } | undefined) ?? {};
    if (secret["@type"] !== "Text") return invalidKey("private key required");
    let key: crypto.KeyObject;
    try {
      key = crypto.createPrivateKey(String(secret.secret));
    } catch {
      return invalidKey("Invalid PEM format");
    }
    // Ed25519: PKCS#8 only; RSA: PKCS#1 or PKCS#8 (config/smtp/auth.rs:143-176, :238-254).
    const wanted = String(props["@type"]).includes("Ed25519") ? "ed25519" : "rsa";
    if (key.asymmetricKeyType !== wanted) return invalidKey(`not an ${wanted} key`);
    return this.storeSignature(props, key);
  }

  /**
   * The keys that sign the domain's mail: only stage `active` ones are loaded as signers
   * (common/src/cache/principals.rs:910-917). dnsZoneFile lists every stage.
   */
  signingSelectors(domainId: string): string[] {
    return [...this.signatures.values()]
      .filter((s) => s.domainId === domainId && s.stage === "active")
      .map((s) => String(s.selector))
      .sort();
  }

  updateSignature(id: string, patch: Record<string, unknown>): SetError | undefined {
    const sig = this.signatures.get(id);
    if (!sig) return { type: "notFound" };
    const invalid = validateProperties(DKIM1_FIELDS, patch, "update");
    if (invalid) return invalid;
    Object.assign(sig, patch);
    return undefined;
  }

  destroySignature(id: string): SetError | undefined {
    return this.signatures.delete(id) ? undefined : { type: "notFound" };
  }

  /** Secrets come back masked, as Stalwart does. */
  viewSignature(sig: Obj): Obj {
    return { ...structuredClone(sig), privateKey: { "@type": "Text", secret: "****" } };
  }

  // ----- Accounts holding mail (test helper: a customer's mailbox) -----
  addAccount(domainId: string, localPart: string): string {
    if (!this.domains.has(domainId)) throw new Error(`no domain ${domainId}`);
    const id = this.newId();
    this.accounts.set(id, { id, "@type": "User", domainId, name: localPart, credentials: {} });
    return id;
  }
}

function invalidDomainName(): SetError {
  return { type: "invalidPatch", description: "Invalid domain name", properties: ["name"] };
}
