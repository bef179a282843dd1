/**
 * Dynamic provider for one Stalwart 0.16 mail domain with its automatic DKIM keys and the DNS
 * records it needs. Credentials arrive as the secret input `connection`; nothing secret or
 * heavy is captured in the serialized closure.
 */
import type * as pulumi from "@pulumi/pulumi";
import { parseZoneFile, type DnsRecord } from "./zone-file";
import type { CallContext, StalwartConnection, StalwartTimeouts } from "./jmap";
import {
  createDomain,
  dkimCovered,
  dkimKeys,
  dkimPendingWork,
  markedDescription,
  readDomainState,
  readMarker,
  updateDomain,
  waitForDkim,
  type DkimKey,
  type DomainState,
} from "./domain-api";
import { activatePublished, rotateDkim } from "./dkim-rotation";
import { deleteDomain } from "./domain-delete";

export interface MailDomainInputs {
  connection: StalwartConnection;
  /** Tenant slug, for error messages and the ownership marker. */
  tenant: string;
  /** The mail domain, lower-cased by check. */
  domain: string;
  description?: string;
  /**
   * Bump (any new value) to rotate the DKIM keys: new keys are created `pending` and become
   * active once their TXT record resolves (checked on each later update).
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
  };
}

/** Outputs from the inputs and what Stalwart returned. Pure. */
export function toOutputs(
  inputs: MailDomainInputs,
  id: string,
  state: DomainState,
  adopted: boolean,
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
  };
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
    // Keys lost outside Pulumi (drift seen by refresh) are restored by an update; pending keys
    // are activated by one once their record is published.
    const dkim = Array.isArray(olds.dkim) ? olds.dkim : undefined;
    const dkimWork =
      !!dkim &&
      (!dkimCovered(dkim.map((k) => ({ ...k, "@type": k.type }))) ||
        dkimPendingWork(dkim, new Date()));
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
    const state = await waitForDkim(inputs.connection, id, ctx);
    return { id, outs: toOutputs(inputs, id, state, adopted) };
  },

  async read(id: string, props: MailDomainOutputs) {
    const state = await readDomainState(props.connection, id, context(props));
    if (!state.domain) return { id: "", props: {} };
    return { id, props: toOutputs(props, id, state, props.adopted ?? false) };
  },

  async update(id: string, olds: MailDomainOutputs, news: MailDomainInputs) {
    const ctx = context(news);
    const apiChange =
      API_FIELDS.some((k) => !same(olds[k], news[k])) || !same(olds.tenant, news.tenant);
    const keys = olds.dkim ?? [];
    const dkimWork =
      !dkimCovered(keys.map((k) => ({ ...k, "@type": k.type }))) ||
      dkimPendingWork(keys, new Date());
    if (!apiChange && !dkimWork) {
      // Only local settings (e.g. the connection) changed: nothing to send to Stalwart.
      return { outs: { ...olds, ...news, domain: olds.domain } };
    }
    if (!same(olds.description, news.description) || !same(olds.tenant, news.tenant)) {
      await updateDomain(
        news.connection,
        id,
        { description: markedDescription(news.description, news.tenant) },
        ctx,
      );
    }
    if (news.dkimRotation !== undefined && !same(olds.dkimRotation, news.dkimRotation)) {
      await rotateDkim(news.connection, id, news.dkimRotation, ctx);
    }
    let state = await readDomainState(news.connection, id, ctx);
    if (!state.domain)
      throw new Error(
        `Stalwart: tenant "${news.tenant}": mail domain "${news.domain}" is gone; run pulumi refresh`,
      );
    if (!dkimCovered(state.signatures)) {
      // A key was removed outside Pulumi: a fresh pending pair, active once published.
      await rotateDkim(news.connection, id, `${news.dkimRotation ?? ""}restore`, ctx);
    }
    await activatePublished(news.connection, id, news.domain, news.dnsResolvers, ctx);
    state = await readDomainState(news.connection, id, ctx);
    return { outs: toOutputs(news, id, state, olds.adopted ?? false) };
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
