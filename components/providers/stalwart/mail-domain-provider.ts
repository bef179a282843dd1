/**
 * Dynamic provider for one Stalwart 0.16 mail domain with its DKIM keys (created here, pending
 * until their record is published: dkim-rotation.ts) and the DNS records it needs. Credentials
 * arrive as the secret input `connection` (the tenant provisioning account, not the recovery
 * admin); nothing secret or heavy is captured in the serialized closure.
 */
import type * as pulumi from "@pulumi/pulumi";
import { parseZoneFile, type DnsRecord } from "./zone-file";
import {
  credentialName,
  type CallContext,
  type StalwartConnection,
  type StalwartTimeouts,
} from "./jmap";
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
import { activatePublished, ensureDkimKeys } from "./dkim-rotation";
import { planKeys, slotsCovered } from "./dkim-slots";
import { deleteDomain } from "./domain-delete";

export interface MailDomainInputs {
  connection: StalwartConnection;
  /** Tenant slug, for error messages and the ownership marker. */
  tenant: string;
  /** The mail domain, lower-cased by check. */
  domain: string;
  description?: string;
  /**
   * Bump (any new value) to rotate the DKIM keys: new keys are created `pending` in the other
   * slot and become active once their TXT record resolves (checked on each later update). A
   * rotation waits while that slot still holds a retiring key (at most 7 days).
   */
  dkimRotation?: string;
  /** DNS servers ("ip" or "ip:port") used to check that DKIM records are published. */
  dnsResolvers?: string[];
  adopt?: boolean;
  allowDelete?: boolean;
  retainUntil?: string;
  timeouts?: StalwartTimeouts;
}

export interface MailDomainOutputs extends MailDomainInputs {
  /** Stalwart's opaque id (also the resource id). */
  domainId: string;
  dkim: DkimKey[];
  dnsZoneFile: string;
  dnsRecords: DnsRecord[];
  /** True when the domain existed before and was taken over with `adopt`. */
  adopted: boolean;
  /** The `dkimRotation` value whose keys exist (a rotation can wait for a retiring key). */
  dkimRotationApplied?: string;
}

/** Inputs whose change is applied in place without calling Stalwart. */
const LOCAL_ONLY = [
  "connection",
  "adopt",
  "allowDelete",
  "retainUntil",
  "timeouts",
  "dnsResolvers",
] as const;
const API_FIELDS = ["description", "dkimRotation"] as const;

const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function context(inputs: MailDomainInputs): CallContext {
  return {
    tenant: inputs.tenant,
    object: `mail domain "${inputs.domain}"`,
    timeouts: inputs.timeouts,
    credential: credentialName(inputs.connection),
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
  const dnsZoneFile = typeof domain.dnsZoneFile === "string" ? domain.dnsZoneFile : "";
  const description = readMarker(domain.description).description;
  return {
    ...inputs,
    domain: String(domain.name),
    ...(description === undefined ? { description: undefined } : { description }),
    domainId: id,
    dkim: dkimKeys(state.signatures, String(domain.name)),
    dnsZoneFile,
    dnsRecords: parseZoneFile(dnsZoneFile),
    adopted,
    ...(dkimRotationApplied === undefined ? {} : { dkimRotationApplied }),
  };
}

/** A rotation was asked for (a new `dkimRotation`) that has not been carried out yet. */
function rotationDue(olds: Partial<MailDomainOutputs>, news: MailDomainInputs): boolean {
  return news.dkimRotation !== undefined && news.dkimRotation !== olds.dkimRotationApplied;
}

/**
 * DKIM work an update can do now, from the recorded keys and the clock only (diff calls no
 * API): a lost key to replace, a pending key to activate, a retiring key past its time, or a
 * requested rotation whose target slot is free.
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

export const mailDomainProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: MailDomainInputs, news: MailDomainInputs) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const domain = typeof news.domain === "string" ? news.domain.trim().toLowerCase() : "";
    if (!DOMAIN_RE.test(domain)) {
      failures.push({
        property: "domain",
        reason: `"${String(news.domain)}" is not a domain name`,
      });
    }
    if (typeof news.tenant !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(news.tenant)) {
      failures.push({ property: "tenant", reason: "tenant must be the tenant slug" });
    }
    if (news.retainUntil !== undefined && Number.isNaN(Date.parse(news.retainUntil))) {
      failures.push({ property: "retainUntil", reason: "retainUntil must be an ISO date" });
    }
    const inputs: MailDomainInputs = { ...news, domain };
    if (news.dkimRotation !== undefined && news.dkimRotation !== null) {
      inputs.dkimRotation = String(news.dkimRotation);
    }
    return { inputs, failures };
  },

  async diff(_id: string, olds: MailDomainOutputs, news: MailDomainInputs) {
    const replaces = same(olds.domain, news.domain) ? [] : ["domain"];
    const changed = [...LOCAL_ONLY, ...API_FIELDS, "tenant"].filter(
      (k) => !same(olds[k as keyof MailDomainInputs], news[k as keyof MailDomainInputs]),
    );
    // Keys lost outside Pulumi (drift seen by refresh) are replaced by an update; pending keys
    // are activated by one once their record is published.
    const dkimWork = dkimWorkNow(olds, news, new Date());
    return {
      changes: replaces.length > 0 || changed.length > 0 || dkimWork,
      replaces,
      deleteBeforeReplace: false,
    };
  },

  async create(inputs: MailDomainInputs) {
    const ctx = context(inputs);
    const { id, adopted } = await createDomain(
      inputs.connection,
      {
        name: inputs.domain,
        description: inputs.description,
        tenant: inputs.tenant,
        adopt: inputs.adopt,
      },
      ctx,
    );
    // The first pair is created pending: nothing signs until its record is published.
    const { state } = await ensureDkimKeys(inputs.connection, id, false, ctx);
    if (!state.domain) {
      throw new Error(
        `Stalwart: tenant "${inputs.tenant}": mail domain "${inputs.domain}" disappeared right after its create; run pulumi up again`,
      );
    }
    return { id, outs: toOutputs(inputs, id, state, adopted, inputs.dkimRotation) };
  },

  async read(id: string, props: MailDomainOutputs) {
    const state = await readDomainState(props.connection, id, context(props));
    if (!state.domain) return { id: "", props: {} };
    return {
      id,
      props: toOutputs(props, id, state, props.adopted ?? false, props.dkimRotationApplied),
    };
  },

  async update(id: string, olds: MailDomainOutputs, news: MailDomainInputs) {
    const ctx = context(news);
    const descriptionChange =
      !same(olds.description, news.description) || !same(olds.tenant, news.tenant);
    if (!descriptionChange && !dkimWorkNow(olds, news, new Date())) {
      // Only local settings (e.g. the connection) changed, or a rotation still has to wait.
      return { outs: { ...olds, ...news, domain: olds.domain } };
    }
    if (descriptionChange) {
      await updateDomain(
        news.connection,
        id,
        { description: markedDescription(news.description, news.tenant) },
        ctx,
      );
    }
    const rotate = rotationDue(olds, news);
    // Replaces lost keys and, when asked, starts the rotation (pending keys in the other slot).
    const { plan } = await ensureDkimKeys(news.connection, id, rotate, ctx);
    const applied = rotate && !plan.blockedUntil ? news.dkimRotation : olds.dkimRotationApplied;
    await activatePublished(news.connection, id, news.domain, news.dnsResolvers, ctx);
    const state = await readDomainState(news.connection, id, ctx);
    if (!state.domain)
      throw new Error(
        `Stalwart: tenant "${news.tenant}": mail domain "${news.domain}" is gone; run pulumi refresh`,
      );
    return { outs: toOutputs(news, id, state, olds.adopted ?? false, applied) };
  },

  async delete(id: string, props: MailDomainOutputs) {
    await deleteDomain(
      props.connection,
      id,
      { allowDelete: props.allowDelete, retainUntil: props.retainUntil },
      context(props),
    );
  },
};
