/**
 * DKIM rotation on request. With manual DNS, Stalwart creates a domain's automatic keys once
 * and does not rotate them, so a rotation creates a fresh Ed25519 + RSA pair (keys generated
 * here, sent once as a secret and never kept in state), moves the previous active keys to
 * `retiring` (still published, no longer signing) and destroys keys retired by the rotation
 * before. Retried safely: selectors are derived from the rotation token, so a repeated
 * request finds its keys instead of adding more.
 */
import {
  jmapCall,
  setErrorToProviderError,
  type CallContext,
  type SetError,
  type StalwartConnection,
} from "./jmap";
import { readDomainState, rotationSelector, type Raw } from "./domain-api";

interface NewKey {
  type: string;
  selector: string;
  pem: string;
}

async function generateKeys(token: string, now: Date): Promise<NewKey[]> {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  const { promisify } = require("node:util") as typeof import("node:util");
  const generate = promisify(crypto.generateKeyPair);
  const ed = await generate("ed25519");
  const rsa = await generate("rsa", { modulusLength: 2048 });
  const pem = (k: import("node:crypto").KeyObject) =>
    String(k.export({ type: "pkcs8", format: "pem" }));
  return [
    {
      type: "Dkim1Ed25519Sha256",
      selector: rotationSelector("ed25519", token, now),
      pem: pem(ed.privateKey),
    },
    {
      type: "Dkim1RsaSha256",
      selector: rotationSelector("rsa", token, now),
      pem: pem(rsa.privateKey),
    },
  ];
}

/** Plans which signatures to retire and destroy: a pure function of the current set. */
export function planRotation(
  signatures: Raw[],
  newSelectors: string[],
): { retire: string[]; destroy: string[]; missing: string[] } {
  const present = new Set(signatures.map((s) => String(s.selector)));
  const others = signatures.filter((s) => !newSelectors.includes(String(s.selector)));
  return {
    retire: others.filter((s) => s.stage === "active" || s.stage === "pending").map((s) => s.id),
    destroy: others.filter((s) => s.stage === "retiring" || s.stage === "retired").map((s) => s.id),
    missing: newSelectors.filter((sel) => !present.has(sel)),
  };
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

/** Rotates the DKIM keys of domain `id`; `token` is the operator's `dkimRotation` value. */
export async function rotateDkim(
  connection: StalwartConnection,
  id: string,
  token: string,
  ctx: CallContext,
  now: Date = new Date(),
): Promise<void> {
  const keys = await generateKeys(token, now);
  const state = await readDomainState(connection, id, ctx);
  const plan = planRotation(
    state.signatures,
    keys.map((k) => k.selector),
  );
  const create = Object.fromEntries(
    keys
      .filter((k) => plan.missing.includes(k.selector))
      .map((k, i) => [
        `k${i}`,
        {
          "@type": k.type,
          domainId: id,
          selector: k.selector,
          stage: "active",
          privateKey: { "@type": "Text", secret: k.pem },
        },
      ]),
  );
  const update = Object.fromEntries(plan.retire.map((sid) => [sid, { stage: "retiring" }]));
  const results = await jmapCall(
    connection,
    [["x:DkimSignature/set", { create, update, destroy: plan.destroy }, "r"]],
    ctx,
  );
  const set = results.get("r") ?? {};
  for (const field of ["notCreated", "notUpdated", "notDestroyed"]) {
    for (const error of Object.values((set[field] as Record<string, SetError> | undefined) ?? {})) {
      if (error.type !== "notFound")
        throw setErrorToProviderError(ctx, "x:DkimSignature/set", error);
    }
  }
  // A lost response retried by the HTTP layer may have created a key twice.
  const after = await readDomainState(connection, id, ctx);
  const extra = duplicateSignatures(after.signatures);
  if (extra.length > 0) {
    await jmapCall(connection, [["x:DkimSignature/set", { destroy: extra }, "x"]], ctx);
  }
}
