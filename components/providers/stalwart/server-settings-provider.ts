/**
 * Dynamic provider for the server-wide Stalwart 0.16 settings of a cell, applied with the
 * recovery admin after the install and before any tenant domain: the platform's default
 * domain, the TLS certificate (File variant, read from the files the TLS sync installs),
 * SystemSettings (hostname, default domain, default certificate, advertised services) and the
 * listener set. Every apply is a convergence: read, change what differs, reload. `read`
 * reports what the server has, so `diff` shows drift; `delete` leaves the server as it is.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  applyListeners,
  applySettings,
  ensureCertificate,
  ensurePlatformDomain,
  readListeners,
  readSettings,
  reloadServer,
  type CertificatePaths,
} from "./server-api";
import { jmapCall, type CallContext, type StalwartConnection, type StalwartTimeouts } from "./jmap";
import { listenerView, servicesView, type ListenerSpec, type ServiceSpec } from "./server-plan";
import type { Raw } from "./domain-api";

export interface ServerSettingsInputs {
  /** The recovery admin (only it may write server settings). */
  connection: StalwartConnection;
  /** SystemSettings.defaultHostname: MX, SRV and SMTP greeting name, e.g. mail.dezky.eu. */
  hostname: string;
  /** The platform's own mail domain (Stalwart's default domain), e.g. dezky.eu. */
  defaultDomain: string;
  certificate: CertificatePaths;
  /** The complete listener set; others are removed. */
  listeners: ListenerSpec[];
  /** The services advertised in SRV records (and client auto-configuration). */
  services: Record<string, ServiceSpec>;
  /** Take over a default domain of that name that this program did not create. */
  adopt?: boolean;
  timeouts?: StalwartTimeouts;
}

export interface ServerSettingsOutputs extends ServerSettingsInputs {
  defaultDomainId: string;
  certificateId: string;
  /** When the listener set last changed (ISO); a restart on the host follows it. */
  listenersChangedAt: string;
}

const LOCAL_ONLY = ["connection", "timeouts", "adopt"];
const HOST_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PROTOCOLS = ["smtp", "lmtp", "http", "imap", "pop3", "manageSieve"];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function context(inputs: ServerSettingsInputs): CallContext {
  return { object: `server settings of ${inputs.hostname}`, timeouts: inputs.timeouts };
}

/** What the server has, in the shape of the inputs. */
async function readState(
  inputs: ServerSettingsInputs,
  ids: { defaultDomainId: string; certificateId: string },
): Promise<Partial<ServerSettingsInputs>> {
  const ctx = context(inputs);
  const results = await jmapCall(
    inputs.connection,
    [
      ["x:Domain/get", { ids: [ids.defaultDomainId], properties: ["name"] }, "d"],
      ["x:Certificate/get", { ids: [ids.certificateId] }, "c"],
    ],
    ctx,
  );
  const domain = (results.get("d")?.list as Raw[] | undefined)?.[0];
  const cert = (results.get("c")?.list as Raw[] | undefined)?.[0];
  const settings = await readSettings(inputs.connection, ctx);
  const listeners = await readListeners(inputs.connection, ctx);
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
  inputs: ServerSettingsInputs,
  previousChange: string | undefined,
): Promise<ServerSettingsOutputs> {
  const ctx = context(inputs);
  const defaultDomainId = await ensurePlatformDomain(
    inputs.connection,
    inputs.defaultDomain,
    !!inputs.adopt,
    ctx,
  );
  const cert = await ensureCertificate(inputs.connection, inputs.certificate, ctx);
  const settingsChanged = await applySettings(
    inputs.connection,
    {
      hostname: inputs.hostname,
      defaultDomainId,
      certificateId: cert.id,
      services: inputs.services,
    },
    ctx,
  );
  const listenersChanged = await applyListeners(inputs.connection, inputs.listeners, ctx);
  if (settingsChanged || cert.changed || listenersChanged || previousChange === undefined) {
    await reloadServer(inputs.connection, ctx);
  }
  return {
    ...inputs,
    defaultDomainId,
    certificateId: cert.id,
    listenersChangedAt:
      listenersChanged || previousChange === undefined ? new Date().toISOString() : previousChange,
  };
}

export const serverSettingsProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: ServerSettingsInputs, news: ServerSettingsInputs) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const key of ["hostname", "defaultDomain"] as const) {
      if (typeof news[key] !== "string" || !HOST_RE.test(news[key])) {
        failures.push({ property: key, reason: `"${String(news[key])}" is not a host name` });
      }
    }
    for (const key of ["certificatePath", "privateKeyPath"] as const) {
      if (!news.certificate?.[key]?.startsWith("/")) {
        failures.push({
          property: `certificate.${key}`,
          reason: "must be an absolute path on the host",
        });
      }
    }
    const listeners = Array.isArray(news.listeners) ? news.listeners : [];
    const names = listeners.map((l) => l.name);
    if (new Set(names).size !== names.length) {
      failures.push({ property: "listeners", reason: "listener names must be unique" });
    }
    for (const l of listeners) {
      if (!PROTOCOLS.includes(l.protocol) || !/^(\[[0-9a-f:.]+\]|[\d.]+):\d{1,5}$/i.test(l.bind)) {
        failures.push({
          property: "listeners",
          reason: `listener ${l.name}: protocol or bind address`,
        });
      }
    }
    if (!listeners.some((l) => l.protocol === "http")) {
      failures.push({
        property: "listeners",
        reason: "keep an http listener: the management API (this provider's own access) runs on it",
      });
    }
    // One order for comparisons with what the server reports.
    const inputs = {
      ...news,
      certificate: {
        certificatePath: news.certificate?.certificatePath,
        privateKeyPath: news.certificate?.privateKeyPath,
      },
      listeners: sortListeners(
        listeners.map((l) => ({
          name: l.name,
          bind: l.bind,
          protocol: l.protocol,
          useTls: l.useTls,
          tlsImplicit: l.tlsImplicit,
        })),
      ),
      services: servicesView(news.services),
    };
    return { inputs, failures };
  },

  async diff(_id: string, olds: ServerSettingsOutputs, news: ServerSettingsInputs) {
    const managed = ["hostname", "defaultDomain", "certificate", "listeners", "services"] as const;
    const changed = managed.filter((k) => !same(olds[k], news[k]));
    const local = LOCAL_ONLY.filter(
      (k) => !same(olds[k as keyof ServerSettingsInputs], news[k as keyof ServerSettingsInputs]),
    );
    return {
      changes: changed.length > 0 || local.length > 0,
      replaces: [],
      deleteBeforeReplace: false,
    };
  },

  async create(inputs: ServerSettingsInputs) {
    const outs = await apply(inputs, undefined);
    return { id: `stalwart-settings-${inputs.hostname}`, outs };
  },

  async read(id: string, props: ServerSettingsOutputs) {
    return { id, props: { ...props, ...(await readState(props, props)) } };
  },

  async update(_id: string, olds: ServerSettingsOutputs, news: ServerSettingsInputs) {
    const managed = ["hostname", "defaultDomain", "certificate", "listeners", "services"] as const;
    if (managed.every((k) => same(olds[k], news[k]))) {
      // Only the connection or timeouts changed: nothing to send.
      return { outs: { ...olds, ...news } };
    }
    return { outs: await apply(news, olds.listenersChangedAt) };
  },

  async delete() {
    // The server keeps its settings: the singleton cannot be deleted, and removing the
    // certificate, listeners or default domain would take mail down with the resource.
  },
};
