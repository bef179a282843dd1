/**
 * The Stalwart calls behind a mail domain: create (adopting our own object after a lost
 * response) with manual DKIM management, and read domain + DKIM signatures in one request.
 * Keys are created and rotated in dkim-rotation.ts, deletes in domain-delete.ts.
 */
import {
  jmapCall,
  setErrorToProviderError,
  type CallContext,
  type SetError,
  type StalwartConnection,
} from "./jmap";
import { providerError } from "../core/errors";
import { readTextTag, withTextTag } from "../core/markers";
import { DKIM_VARIANTS } from "./dkim-slots";

/** The DKIM algorithms every Dezky mail domain signs with. */
export const REQUIRED_DKIM = DKIM_VARIANTS.map((v) => v.type);

/** A DKIM key as outputs expose it (the private key never leaves Stalwart's masked view). */
export interface DkimKey {
  id: string;
  /** Stalwart variant, e.g. "Dkim1RsaSha256". */
  type: string;
  algorithm: "ed25519" | "rsa";
  selector: string;
  /** Base64 public key as published in the `p=` tag. */
  publicKey: string;
  /** Stalwart's rotation stage: only `active` keys sign; every stage is in dnsZoneFile. */
  stage: string;
  /** For `retiring` keys: when the provider removes them (ISO date), else null. */
  nextTransitionAt: string | null;
  /** `<selector>._domainkey.<domain>` */
  dnsName: string;
  /** Pending keys only: a refresh found the record published (the next update activates it). */
  published?: boolean;
}

export type Raw = Record<string, unknown> & { id: string };

export interface DomainState {
  domain?: Raw;
  signatures: Raw[];
}

const MANUAL_DKIM = { "@type": "Manual" };

/** The description stored in Stalwart: the operator's text plus the ownership marker. */
export function markedDescription(description: string | undefined, tenant: string): string {
  return withTextTag(description, { tenant });
}

/** Splits a stored description into the operator's text and the owning tenant, if marked. */
export function readMarker(stored: unknown): { description?: string; owner?: string } {
  const { text, owner } = readTextTag(stored);
  return { description: text, owner: owner?.tenant };
}

/** Output view of the signatures of a domain, Ed25519 first, then by selector. */
export function dkimKeys(signatures: Raw[], domain: string): DkimKey[] {
  return signatures
    .map((s) => ({
      id: s.id,
      type: String(s["@type"]),
      algorithm: String(s["@type"]).includes("Ed25519") ? ("ed25519" as const) : ("rsa" as const),
      selector: String(s.selector),
      publicKey: typeof s.publicKey === "string" ? s.publicKey : "",
      stage: String(s.stage ?? "active"),
      nextTransitionAt: typeof s.nextTransitionAt === "string" ? s.nextTransitionAt : null,
      dnsName: `${String(s.selector)}._domainkey.${domain}`,
    }))
    .sort((a, b) => a.algorithm.localeCompare(b.algorithm) || a.selector.localeCompare(b.selector));
}

/**
 * True when an update has DKIM work to do without any input change: pending keys whose record
 * a refresh found published, or superseded keys whose time is up. Uses only the recorded
 * outputs and the clock (a key still waiting for its record is no work: it changes nothing
 * until the record appears, so it must not show as an update on every deploy).
 */
export function dkimPendingWork(keys: DkimKey[], now: Date): boolean {
  return keys.some(
    (k) =>
      (k.stage === "pending" && k.published === true) ||
      (k.stage === "retiring" &&
        k.nextTransitionAt !== null &&
        Date.parse(k.nextTransitionAt) <= now.getTime()),
  );
}

/** Domain get plus its signatures, one request. */
export async function readDomainState(
  connection: StalwartConnection,
  id: string,
  ctx: CallContext,
): Promise<DomainState> {
  const results = await jmapCall(
    connection,
    [
      ["x:Domain/get", { ids: [id] }, "d"],
      ["x:DkimSignature/query", { filter: { domainId: id } }, "q"],
      [
        "x:DkimSignature/get",
        { "#ids": { resultOf: "q", name: "x:DkimSignature/query", path: "/ids" } },
        "s",
      ],
    ],
    ctx,
  );
  const domain = (results.get("d")?.list as Raw[] | undefined)?.[0];
  return { domain, signatures: (results.get("s")?.list as Raw[] | undefined) ?? [] };
}

/** Finds a domain id by its (lower-case) name; exact match on Stalwart's keyword index. */
export async function findDomainByName(
  connection: StalwartConnection,
  name: string,
  ctx: CallContext,
): Promise<Raw | undefined> {
  const results = await jmapCall(
    connection,
    [
      ["x:Domain/query", { filter: { name } }, "q"],
      ["x:Domain/get", { "#ids": { resultOf: "q", name: "x:Domain/query", path: "/ids" } }, "g"],
    ],
    ctx,
  );
  return (results.get("g")?.list as Raw[] | undefined)?.find((d) => d.name === name);
}

export interface CreateDomainInput {
  name: string;
  description?: string;
  tenant: string;
  adopt?: boolean;
}

/**
 * Creates the domain with manual DKIM (we create every key, pending until published: with
 * `Automatic` Stalwart's task would create its first keys `active` before any record exists,
 * services/src/task_manager/dkim.rs:183-190) and manual DNS. On `primaryKeyViolation` (the name
 * exists) it adopts the domain when our marker names this tenant (a retry after a lost
 * response) or when `adopt` is set, and switches it to manual DKIM; anything else is a clear
 * error.
 */
export async function createDomain(
  connection: StalwartConnection,
  input: CreateDomainInput,
  ctx: CallContext,
): Promise<{ id: string; adopted: boolean }> {
  const description = markedDescription(input.description, input.tenant);
  const results = await jmapCall(
    connection,
    [
      [
        "x:Domain/set",
        {
          create: {
            d: {
              name: input.name,
              description,
              aliases: {},
              certificateManagement: { "@type": "Manual" },
              dkimManagement: MANUAL_DKIM,
              dnsManagement: { "@type": "Manual" },
              subAddressing: { "@type": "Enabled" },
            },
          },
        },
        "c",
      ],
    ],
    ctx,
  );
  const set = results.get("c") ?? {};
  const created = (set.created as Record<string, { id: string }> | undefined)?.d;
  if (created) return { id: created.id, adopted: false };
  const error = (set.notCreated as Record<string, SetError> | undefined)?.d ?? { type: "unknown" };
  if (error.type !== "primaryKeyViolation") {
    throw setErrorToProviderError(ctx, "x:Domain/set create", error);
  }
  const existing = await findDomainByName(connection, input.name, ctx);
  if (!existing) {
    // The name collides with another domain's alias: nothing we may adopt.
    throw setErrorToProviderError(
      ctx,
      "x:Domain/set create",
      error,
      "the name is in use as an alias of another domain",
    );
  }
  const owner = readMarker(existing.description).owner;
  if (owner !== input.tenant && !input.adopt) {
    throw providerError(
      {
        service: "Stalwart",
        tenant: ctx.tenant,
        object: ctx.object,
        call: "POST /jmap/ x:Domain/set create",
      },
      undefined,
      `domain ${input.name} already exists in Stalwart (id ${existing.id}) and was not created by this program` +
        (owner ? ` (it is marked for tenant "${owner}")` : "") +
        "; set adopt: true on this tenant's mail domain to take it over",
    );
  }
  const patch: Record<string, unknown> = {};
  if (existing.description !== description) patch.description = description;
  const dkim = existing.dkimManagement as { "@type"?: string } | undefined;
  if (dkim?.["@type"] !== "Manual") patch.dkimManagement = MANUAL_DKIM;
  if (Object.keys(patch).length > 0) await updateDomain(connection, existing.id, patch, ctx);
  return { id: existing.id, adopted: owner !== input.tenant };
}

export async function updateDomain(
  connection: StalwartConnection,
  id: string,
  patch: Record<string, unknown>,
  ctx: CallContext,
): Promise<void> {
  const results = await jmapCall(
    connection,
    [["x:Domain/set", { update: { [id]: patch } }, "u"]],
    ctx,
  );
  const error = (results.get("u")?.notUpdated as Record<string, SetError> | undefined)?.[id];
  if (error) throw setErrorToProviderError(ctx, "x:Domain/set update", error);
}
