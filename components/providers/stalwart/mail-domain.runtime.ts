/**
 * One Stalwart 0.16 mail domain with its DKIM keys: created here, pending until their record is
 * published (dkim-rotation.ts). The DNS records the domain needs are read by its own resource
 * (mail-records.runtime.ts), so an update of the domain (a new description, offboarding's
 * retention date) leaves them known during a preview. The connection is the tenant
 * provisioning account (the `stalwart` ApiConnection), never the recovery admin.
 */
import { z } from "zod";
import type { TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { dnsNameField, isoDate, slugField } from "../core/schema";
import { activatePublished, ensureDkimKeys, publishedSelectors } from "./dkim-rotation";
import { planKeys, slotsCovered } from "./dkim-slots";
import {
  createDomain,
  dkimKeys,
  dkimPendingWork,
  markedDescription,
  readDomainState,
  readMarker,
  updateDomain,
  type DkimKey,
  type DomainState,
} from "./domain-api";
import { deleteDomain } from "./domain-delete";
import { credentialName, type CallContext, type StalwartConnection } from "./jmap";

const schema = z.object({
  /** The mail domain, lower-cased. */
  domain: dnsNameField,
  /** Tenant slug, for error messages and the ownership marker. */
  tenant: slugField("tenant"),
  description: z.string().optional(),
  /**
   * Bump (any new value) to rotate the DKIM keys: new keys are created `pending` in the other
   * slot and become active once their TXT record resolves. A rotation waits while that slot
   * still holds a retiring key (at most 7 days).
   */
  dkimRotation: z.union([z.string(), z.number()]).transform(String).optional(),
  /** DNS servers ("ip" or "ip:port") used to check that DKIM records are published. */
  dnsResolvers: z.array(z.string().min(1)).optional(),
  adopt: z.boolean().optional(),
  allowDelete: z.boolean().optional(),
  retainUntil: isoDate.optional(),
});

export type MailDomainInputs = z.infer<typeof schema>;

export interface MailDomainOutputs extends MailDomainInputs {
  /** Stalwart's opaque id (also the resource id). */
  domainId: string;
  dkim: DkimKey[];
  /** True when the domain existed before and was taken over with `adopt`. */
  adopted: boolean;
  /** The `dkimRotation` value whose keys exist (a rotation can wait for a retiring key). */
  dkimRotationApplied?: string;
}

function context(inputs: MailDomainInputs, connection: StalwartConnection): CallContext {
  return {
    tenant: inputs.tenant,
    object: `mail domain "${inputs.domain}"`,
    credential: credentialName(connection),
  };
}

/** Outputs from the inputs and what Stalwart returned. Pure. */
export function toOutputs(
  inputs: MailDomainInputs,
  id: string,
  state: DomainState,
  adopted: boolean,
  dkimRotationApplied: string | undefined,
): MailDomainOutputs {
  const domain = state.domain!;
  const description = readMarker(domain.description).description;
  return {
    ...inputs,
    domain: String(domain.name),
    description,
    domainId: id,
    dkim: dkimKeys(state.signatures, String(domain.name)),
    adopted,
    dkimRotationApplied,
  };
}

/** A rotation was asked for (a new `dkimRotation`) that has not been carried out yet. */
function rotationDue(olds: Partial<MailDomainOutputs>, news: MailDomainInputs): boolean {
  return news.dkimRotation !== undefined && news.dkimRotation !== olds.dkimRotationApplied;
}

/**
 * DKIM work an update can do now, from the recorded keys and the clock only (diff calls no
 * API): a lost key to replace, a pending key a refresh found published, a retiring key past
 * its time, or a requested rotation whose target slot is free.
 */
export function dkimWorkNow(
  olds: Partial<MailDomainOutputs>,
  news: MailDomainInputs,
  now: Date,
): boolean {
  if (!Array.isArray(olds.dkim)) return false;
  const keys = olds.dkim.map((k) => ({ ...k, "@type": k.type }));
  return (
    !slotsCovered(keys) ||
    dkimPendingWork(olds.dkim, now) ||
    (rotationDue(olds, news) && planKeys(keys, true, now).create.length > 0)
  );
}

/** The keys with `published` set on pending keys whose record resolves. */
async function observePublication(
  keys: DkimKey[],
  domain: string,
  resolvers: string[] | undefined,
): Promise<DkimKey[]> {
  const pending = keys.filter((k) => k.stage === "pending");
  if (pending.length === 0) return keys;
  const published = await publishedSelectors(
    pending.map((k) => ({
      id: k.id,
      selector: k.selector,
      stage: k.stage,
      publicKey: k.publicKey,
    })),
    domain,
    resolvers,
  );
  return keys.map((k) =>
    k.stage === "pending" && published.has(k.selector) ? { ...k, published: true } : k,
  );
}

export const mailDomainType: TypeSpec<MailDomainInputs, MailDomainOutputs, StalwartConnection> = {
  type: "stalwart:MailDomain",
  service: "stalwart",
  schema,
  replaces: ["domain"],
  // Some apply without calling Stalwart (allowDelete, retainUntil, dnsResolvers): they
  // are kept for later operations, delete above all.
  updates: ["tenant", "description", "dkimRotation", "dnsResolvers", "allowDelete", "retainUntil"],
  pending: (olds, news, now) => (dkimWorkNow(olds, news, now) ? ["dkim"] : []),
  // Older versions kept the DNS view here; MailDomainRecords holds it now.
  legacy: ["dnsZoneFile", "dnsRecords"],

  async create(op, inputs) {
    const ctx = context(inputs, op.connection);
    const { id, adopted } = await createDomain(
      op.connection,
      {
        name: inputs.domain,
        description: inputs.description,
        tenant: inputs.tenant,
        adopt: inputs.adopt,
      },
      ctx,
    );
    // The first pair is created pending: nothing signs until its record is published.
    const { state } = await ensureDkimKeys(op.connection, id, false, ctx);
    if (!state.domain) {
      throw objectError(
        { service: "Stalwart", tenant: inputs.tenant, object: `mail domain "${inputs.domain}"` },
        "disappeared right after its create",
        "run pulumi up again",
      );
    }
    return { id, outs: toOutputs(inputs, id, state, adopted, inputs.dkimRotation) };
  },

  async read(op, id, props) {
    const state = await readDomainState(op.connection, id, context(props, op.connection));
    if (!state.domain) return undefined;
    const outs = toOutputs(props, id, state, props.adopted ?? false, props.dkimRotationApplied);
    return { ...outs, dkim: await observePublication(outs.dkim, outs.domain, props.dnsResolvers) };
  },

  async update(op, id, olds, news) {
    const ctx = context(news, op.connection);
    const now = new Date();
    const descriptionChange = olds.description !== news.description || olds.tenant !== news.tenant;
    const waiting = (olds.dkim ?? []).some((k) => k.stage === "pending");
    if (!descriptionChange && !waiting && !dkimWorkNow(olds, news, now)) {
      // Only local settings changed, or a rotation still has to wait for a retiring key.
      return { ...olds, ...news, domain: olds.domain };
    }
    if (descriptionChange) {
      const description = markedDescription(news.description, news.tenant);
      await updateDomain(op.connection, id, { description }, ctx);
    }
    const rotate = rotationDue(olds, news);
    // Replaces lost keys and, when asked, starts the rotation (pending keys in the other slot).
    const { plan } = await ensureDkimKeys(op.connection, id, rotate, ctx);
    const applied = rotate && !plan.blockedUntil ? news.dkimRotation : olds.dkimRotationApplied;
    await activatePublished(op.connection, id, news.domain, news.dnsResolvers, ctx);
    const state = await readDomainState(op.connection, id, ctx);
    if (!state.domain) {
      throw objectError(
        { service: "Stalwart", tenant: news.tenant, object: `mail domain "${news.domain}"` },
        "is gone",
        "run pulumi refresh",
      );
    }
    return toOutputs(news, id, state, olds.adopted ?? false, applied);
  },

  async delete(op, id, props) {
    await deleteDomain(
      op.connection,
      id,
      { allowDelete: props.allowDelete, retainUntil: props.retainUntil },
      context(props, op.connection),
    );
  },
};
