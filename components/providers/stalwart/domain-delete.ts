/**
 * Removing a mail domain never removes mail. Stalwart refuses to destroy a domain that
 * accounts, lists or DKIM signatures still reference (`objectIsLinked`); this module destroys
 * the signatures first (in the same request, before the domain) and treats anything else
 * that links to the domain as customer data: without `allowDelete` the delete is refused,
 * with it the domain and its data are left in place (Pulumi forgets the resource).
 */
import { providerError } from "../core/errors";
import { sleep } from "../core/retry";
import { timing } from "../core/timing";
import {
  jmapCall,
  setErrorToProviderError,
  type CallContext,
  type SetError,
  type StalwartConnection,
} from "./jmap";

export interface DeletePolicy {
  /** The Tenant component's decision that this domain may go (offboarded, retention passed). */
  allowDelete?: boolean;
  /** ISO date: before it, the domain is retained and delete is refused. */
  retainUntil?: string;
}

export type DeleteOutcome = "deleted" | "gone" | "retained";

/** Why a delete must not run now, or undefined. Pure. */
export function retentionBlock(policy: DeletePolicy, now: Date): string | undefined {
  if (!policy.retainUntil) return undefined;
  const until = Date.parse(policy.retainUntil);
  if (Number.isNaN(until)) return `retainUntil "${policy.retainUntil}" is not a date`;
  return now.getTime() < until
    ? `the domain is retained until ${policy.retainUntil}; remove it from the program after that date`
    : undefined;
}

/** Objects other than DKIM signatures that link to the domain: customer data. Pure. */
export function dataLinks(error: SetError): Array<{ object: string; id: string }> {
  return (error.linkedObjects ?? []).filter((o) => o.object !== "DkimSignature");
}

export async function deleteDomain(
  connection: StalwartConnection,
  id: string,
  policy: DeletePolicy,
  ctx: CallContext,
  now: Date = new Date(),
): Promise<DeleteOutcome> {
  const errorCtx = {
    service: "Stalwart",
    tenant: ctx.tenant,
    object: ctx.object,
    call: "POST /jmap/ x:Domain/set destroy",
  };
  const blocked = retentionBlock(policy, now);
  if (blocked) throw providerError(errorCtx, undefined, `refusing to delete: ${blocked}`);
  // A few rounds: Stalwart's DKIM task may still add a key right after the domain was created.
  for (let round = 0; round < 4; round++) {
    if (round > 1) await sleep(timing().pollIntervalMs * round);
    // Round 0 only probes: if accounts or lists link to the domain, its keys must stay.
    const calls: Array<[string, Record<string, unknown>, string]> =
      round === 0
        ? []
        : [
            ["x:DkimSignature/query", { filter: { domainId: id } }, "q"],
            // Signatures carry no mail; they go first so they no longer link to the domain.
            [
              "x:DkimSignature/set",
              { "#destroy": { resultOf: "q", name: "x:DkimSignature/query", path: "/ids" } },
              "s",
            ],
          ];
    calls.push(["x:Domain/set", { destroy: [id] }, "d"]);
    const results = await jmapCall(connection, calls, ctx);
    const domainSet = results.get("d") ?? {};
    if ((domainSet.destroyed as string[] | undefined)?.includes(id)) return "deleted";
    const error = (domainSet.notDestroyed as Record<string, SetError> | undefined)?.[id];
    if (!error || error.type === "notFound") return "gone";
    if (error.type !== "objectIsLinked")
      throw setErrorToProviderError(ctx, "x:Domain/set destroy", error);
    const data = dataLinks(error);
    if (data.length > 0) {
      const what = data.map((o) => `${o.object} ${o.id}`).join(", ");
      if (policy.allowDelete) return "retained";
      throw providerError(
        errorCtx,
        undefined,
        `refusing to delete: the domain still holds mail data (${what}); mailboxes are never deleted by the ` +
          "program. Offboard the tenant (status offboarded with a retain-until date) or move the accounts first",
      );
    }
  }
  throw providerError(
    errorCtx,
    undefined,
    "the domain stayed linked to DKIM signatures after 4 attempts; retry",
  );
}
