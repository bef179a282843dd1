/**
 * DKIM keys that never sign before receivers can verify them. Stalwart 0.16 signs with the
 * `active` signatures of a domain only (common/src/cache/principals.rs:910-917) and lists
 * every signature, any stage, in the domain's dnsZoneFile (common/src/network/dns/records.rs:
 * 41-56). Domains are created with `dkimManagement: Manual`, so Stalwart generates no key of its
 * own (its task would create them `active` at once: services/src/task_manager/dkim.rs:183-190);
 * every key comes from here, in a fixed slot (dkim-slots.ts):
 * 1. `ensureDkimKeys` creates the missing keys (a new domain's first pair, a rotation's new
 *    pair in the other slot, a key lost outside Pulumi) in stage `pending`: generated here,
 *    sent once as a secret, never kept in state;
 * 2. `activatePublished`, on a later update, sets a pending key `active` once
 *    `<selector>._domainkey.<domain>` TXT resolves to its `p=`, and the algorithm's previous
 *    active keys `retiring` (still published, no longer signing) with `nextTransitionAt` = when
 *    they may go; retiring keys whose time has come are destroyed.
 * This is the sequence Stalwart's own task runs when it manages DNS itself (pending until
 * published and propagated, then active; services/src/task_manager/dkim.rs:215-257,
 * :280-370); with manual DNS it has no way to know, so the provider checks DNS.
 * Retried safely: slot selectors are fixed, so a repeated request finds its keys.
 */
import { generateKeyPair, type KeyObject } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { promisify } from "node:util";
import { timing } from "../core/timing";
import {
  jmapCall,
  setErrorToProviderError,
  type CallContext,
  type Invocation,
  type SetError,
  type StalwartConnection,
} from "./jmap";
import { readDomainState, type DomainState, type Raw } from "./domain-api";
import { planKeys, type KeyPlan } from "./dkim-slots";

/** How long a superseded key stays published (Stalwart's default retireAfter, 7 days). */
export const DKIM_RETIRE_MS = 7 * 24 * 3600 * 1000;

/** Generates PKCS#8 PEM private keys for the planned keys (only those). */
async function generateKeys(plan: KeyPlan): Promise<string[]> {
  const generate = promisify(generateKeyPair);
  // PKCS#8 for both: Stalwart parses Ed25519 PKCS#8 and RSA PKCS#1 or PKCS#8
  // (common/src/config/smtp/auth.rs:143-176, :238-254).
  const pem = (k: KeyObject) => String(k.export({ type: "pkcs8", format: "pem" }));
  return Promise.all(
    plan.create.map(async (k) =>
      pem(
        (k.algorithm === "ed25519"
          ? await generate("ed25519")
          : await generate("rsa", { modulusLength: 2048 })
        ).privateKey,
      ),
    ),
  );
}

/** Ids of duplicate signatures (same selector) to remove after a retried create; keeps the oldest. */
export function duplicateSignatures(signatures: Raw[]): string[] {
  const seen = new Set<string>();
  const extra: string[] = [];
  const sorted = [...signatures].sort(
    (a, b) =>
      String(a.createdAt ?? "").localeCompare(String(b.createdAt ?? "")) ||
      a.id.localeCompare(b.id),
  );
  for (const s of sorted) {
    const sel = String(s.selector);
    if (seen.has(sel)) extra.push(s.id);
    seen.add(sel);
  }
  return extra;
}

/**
 * What to change once some pending keys are published: those become active, the previous
 * active keys of the same variant retire, and retiring keys past their time go. Pure.
 */
export function planActivation(
  signatures: Raw[],
  published: ReadonlySet<string>,
  now: Date,
): { update: Record<string, Record<string, unknown>>; destroy: string[] } {
  const update: Record<string, Record<string, unknown>> = {};
  const activated = signatures.filter(
    (s) => s.stage === "pending" && published.has(String(s.selector)),
  );
  const retireAt = new Date(now.getTime() + DKIM_RETIRE_MS).toISOString();
  for (const key of activated) {
    update[key.id] = { stage: "active" };
    for (const old of signatures) {
      if (old.id !== key.id && old["@type"] === key["@type"] && old.stage === "active") {
        update[old.id] = { stage: "retiring", nextTransitionAt: retireAt };
      }
    }
  }
  const destroy = signatures
    .filter(
      (s) =>
        s.stage === "retiring" &&
        typeof s.nextTransitionAt === "string" &&
        Date.parse(s.nextTransitionAt) <= now.getTime(),
    )
    .map((s) => s.id);
  return { update, destroy };
}

/** Throws on any set error except notFound (a key already gone is fine). */
function assertSet(ctx: CallContext, result: Record<string, unknown> | undefined): void {
  for (const field of ["notCreated", "notUpdated", "notDestroyed"]) {
    const errors = (result?.[field] as Record<string, SetError> | undefined) ?? {};
    for (const error of Object.values(errors)) {
      if (error.type !== "notFound")
        throw setErrorToProviderError(ctx, "x:DkimSignature/set", error);
    }
  }
}

/**
 * Creates the keys the slot plan asks for, in stage `pending` (non-signing): a new domain's
 * first pair, a lost key's replacement, and with `rotate` a new pair in the other slot.
 * Returns the plan (a rotation can be blocked by a key that is still retiring) and the
 * domain's state afterwards.
 */
export async function ensureDkimKeys(
  connection: StalwartConnection,
  id: string,
  rotate: boolean,
  ctx: CallContext,
  now: Date = new Date(),
): Promise<{ plan: KeyPlan; state: DomainState }> {
  const state = await readDomainState(connection, id, ctx);
  const plan = planKeys(state.signatures, rotate, now);
  if (plan.create.length === 0) return { plan, state };
  const secrets = await generateKeys(plan);
  const create = Object.fromEntries(
    plan.create.map((k, i) => [
      `k${i}`,
      {
        "@type": k.type,
        domainId: id,
        selector: k.selector,
        // Explicit: a DkimSignature created without a stage defaults to `active` (schema).
        stage: "pending",
        nextTransitionAt: null,
        privateKey: { "@type": "Text", secret: secrets[i] },
      },
    ]),
  );
  // The slot's old key goes first (its own method call: within one /set Stalwart creates
  // before it destroys, jmap/src/registry/set.rs:269-697), then the new key takes its name.
  const calls: Invocation[] = plan.destroyFirst.length
    ? [["x:DkimSignature/set", { destroy: plan.destroyFirst }, "d"]]
    : [];
  calls.push(["x:DkimSignature/set", { create }, "r"]);
  const results = await jmapCall(connection, calls, ctx);
  assertSet(ctx, results.get("d"));
  assertSet(ctx, results.get("r"));
  // A lost response retried by the HTTP layer may have created a key twice.
  const after = await readDomainState(connection, id, ctx);
  const extra = duplicateSignatures(after.signatures);
  if (extra.length === 0) return { plan, state: after };
  await jmapCall(connection, [["x:DkimSignature/set", { destroy: extra }, "x"]], ctx);
  return {
    plan,
    state: { ...after, signatures: after.signatures.filter((s) => !extra.includes(s.id)) },
  };
}

/** Parses a DKIM TXT value into its tags. Pure. */
export function dkimTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) tags[part.slice(0, eq).trim()] = part.slice(eq + 1).replace(/\s+/g, "");
  }
  return tags;
}

/** Selectors of pending keys whose TXT record resolves to exactly their public key. */
export async function publishedSelectors(
  signatures: Raw[],
  domain: string,
  resolvers: string[] | undefined,
): Promise<Set<string>> {
  const resolver = new Resolver({ timeout: timing().dnsTimeoutMs, tries: 2 });
  if (resolvers?.length) resolver.setServers(resolvers);
  const published = new Set<string>();
  for (const key of signatures.filter((s) => s.stage === "pending")) {
    const name = `${String(key.selector)}._domainkey.${domain}`;
    try {
      const records = await resolver.resolveTxt(name);
      if (records.some((chunks) => dkimTags(chunks.join("")).p === key.publicKey)) {
        published.add(String(key.selector));
      }
    } catch {
      // Not resolvable (yet): the key stays pending and the old one keeps signing.
    }
  }
  return published;
}

/** Activates published pending keys, retires what they replace, removes expired keys. */
export async function activatePublished(
  connection: StalwartConnection,
  id: string,
  domain: string,
  resolvers: string[] | undefined,
  ctx: CallContext,
  now: Date = new Date(),
): Promise<void> {
  const state = await readDomainState(connection, id, ctx);
  const published = await publishedSelectors(state.signatures, domain, resolvers);
  const plan = planActivation(state.signatures, published, now);
  if (Object.keys(plan.update).length === 0 && plan.destroy.length === 0) return;
  const args: Record<string, unknown> = {};
  if (Object.keys(plan.update).length > 0) args.update = plan.update;
  if (plan.destroy.length > 0) args.destroy = plan.destroy;
  const results = await jmapCall(connection, [["x:DkimSignature/set", args, "a"]], ctx);
  assertSet(ctx, results.get("a"));
}
