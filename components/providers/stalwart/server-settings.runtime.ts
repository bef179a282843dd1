/**
 * Dynamic provider for the server-wide Stalwart 0.16 settings of a cell, applied with the
 * recovery admin after the install and before any tenant domain: the platform's default
 * domain, the TLS certificate (File variant, read from the files the TLS sync installs),
 * SystemSettings (hostname, default domain, default certificate, advertised services) and the
 * listener set. Every apply is a convergence: read, change what differs, reload. `read`
 * reports what the server has, so `diff` shows drift; `delete` leaves the server as it is.
 */
import { z } from "zod";
import type { TypeSpec } from "../core/contract";
import { isDnsName } from "../rules";
import {
  applyListeners,
  applySettings,
  ensureCertificate,
  ensurePlatformDomain,
  readListeners,
  readSettings,
  reloadServer,
} from "./server-api";
import { jmapCall, type CallContext, type StalwartConnection } from "./jmap";
import { listenerView, servicesView, type ListenerSpec } from "./server-plan";
import type { Raw } from "./domain-api";

const PROTOCOLS = ["smtp", "lmtp", "http", "imap", "pop3", "manageSieve"] as const;
const hostName = z.string().refine(isDnsName, { message: "is not a host name" });
const absolute = z.string().startsWith("/", "must be an absolute path on the host");

const schema = z.object({
  /** SystemSettings.defaultHostname: MX, SRV and SMTP greeting name, e.g. mail.dezky.eu. */
  hostname: hostName,
  /** The platform's own mail domain (Stalwart's default domain), e.g. dezky.eu. */
  defaultDomain: hostName,
  certificate: z.object({ certificatePath: absolute, privateKeyPath: absolute }),
  /** The complete listener set; others are removed. */
  listeners: z.array(
    z.object({
      name: z.string().min(1),
      bind: z.string().regex(/^(\[[0-9a-f:.]+\]|[\d.]+):\d{1,5}$/i, "bind address"),
      protocol: z.enum(PROTOCOLS),
      useTls: z.boolean(),
      tlsImplicit: z.boolean(),
    }),
  ),
  /** The services advertised in SRV records (and client auto-configuration). */
  services: z.record(z.string(), z.object({ cleartext: z.boolean() })),
  /** Take over a default domain of that name that this program did not create. */
  adopt: z.boolean().optional(),
});

export type ServerSettingsInputs = z.infer<typeof schema>;

export interface ServerSettingsOutputs extends ServerSettingsInputs {
  defaultDomainId: string;
  certificateId: string;
  /** When the listener set last changed (ISO); a restart on the host follows it. */
  listenersChangedAt: string;
}

const MANAGED = ["hostname", "defaultDomain", "certificate", "listeners", "services"] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function context(inputs: ServerSettingsInputs): CallContext {
  return { object: `server settings of ${inputs.hostname}` };
}

/** What the server has, in the shape of the inputs. */
async function readState(
  connection: StalwartConnection,
  inputs: ServerSettingsInputs,
  ids: { defaultDomainId: string; certificateId: string },
): Promise<Partial<ServerSettingsInputs>> {
  const ctx = context(inputs);
  const results = await jmapCall(
    connection,
    [
      ["x:Domain/get", { ids: [ids.defaultDomainId], properties: ["name"] }, "d"],
      ["x:Certificate/get", { ids: [ids.certificateId] }, "c"],
    ],
    ctx,
  );
  const domain = (results.get("d")?.list as Raw[] | undefined)?.[0];
  const cert = (results.get("c")?.list as Raw[] | undefined)?.[0];
  const settings = await readSettings(connection, ctx);
  const listeners = await readListeners(connection, ctx);
  const path = (v: unknown) => (v as { filePath?: string } | undefined)?.filePath ?? "";
  // A missing domain or certificate reads as empty, so diff shows it and the next update
  // recreates it (the server deletes an expired file certificate: config/server/tls.rs:94-103).
  return {
    hostname: String(settings.defaultHostname ?? ""),
    defaultDomain: domain ? String(domain.name) : "",
    certificate: cert
      ? { certificatePath: path(cert.certificate), privateKeyPath: path(cert.privateKey) }
      : { certificatePath: "", privateKeyPath: "" },
    listeners: sortListeners(listeners.map(listenerView)),
    services: servicesView(settings.services),
  };
}

function sortListeners(listeners: ListenerSpec[]): ListenerSpec[] {
  return [...listeners].sort((a, b) => a.name.localeCompare(b.name));
}

async function apply(
  connection: StalwartConnection,
  inputs: ServerSettingsInputs,
  previousChange: string | undefined,
): Promise<ServerSettingsOutputs> {
  const ctx = context(inputs);
  const defaultDomainId = await ensurePlatformDomain(
    connection,
    inputs.defaultDomain,
    !!inputs.adopt,
    ctx,
  );
  const cert = await ensureCertificate(connection, inputs.certificate, ctx);
  const settingsChanged = await applySettings(
    connection,
    {
      hostname: inputs.hostname,
      defaultDomainId,
      certificateId: cert.id,
      services: inputs.services,
    },
    ctx,
  );
  const listenersChanged = await applyListeners(connection, inputs.listeners, ctx);
  if (settingsChanged || cert.changed || listenersChanged || previousChange === undefined) {
    await reloadServer(connection, ctx);
  }
  return {
    ...inputs,
    defaultDomainId,
    certificateId: cert.id,
    listenersChangedAt:
      listenersChanged || previousChange === undefined ? new Date().toISOString() : previousChange,
  };
}

export const serverSettingsType: TypeSpec<
  ServerSettingsInputs,
  ServerSettingsOutputs,
  StalwartConnection
> = {
  type: "stalwart:ServerSettings",
  service: "stalwart-admin",
  schema,
  normalize: (news) => ({
    ...news,
    // One order for comparisons with what the server reports.
    listeners: sortListeners(
      news.listeners.map((l) => ({
        name: l.name,
        bind: l.bind,
        protocol: l.protocol,
        useTls: l.useTls,
        tlsImplicit: l.tlsImplicit,
      })),
    ),
    services: servicesView(news.services),
  }),
  validate(news) {
    const failures = [];
    const names = news.listeners.map((l) => l.name);
    if (new Set(names).size !== names.length) {
      failures.push({ property: "listeners", reason: "listener names must be unique" });
    }
    if (!news.listeners.some((l) => l.protocol === "http")) {
      failures.push({
        property: "listeners",
        reason: "keep an http listener: the management API (this provider's own access) runs on it",
      });
    }
    return failures;
  },
  updates: [...MANAGED],

  async create(op, inputs) {
    const outs = await apply(op.connection, inputs, undefined);
    return { id: `stalwart-settings-${inputs.hostname}`, outs };
  },

  async read(op, _id, props) {
    return { ...props, ...(await readState(op.connection, props, props)) };
  },

  async update(op, _id, olds, news) {
    if (MANAGED.every((k) => same(olds[k], news[k]))) {
      // Only `adopt` changed: nothing to send.
      return { ...olds, ...news };
    }
    return apply(op.connection, news, olds.listenersChangedAt);
  },

  async delete() {
    // The server keeps its settings: the singleton cannot be deleted, and removing the
    // certificate, listeners or default domain would take mail down with the resource.
  },
};
