/**
 * Pure planning for the server-wide Stalwart 0.16 objects (stalwartlabs/stalwart@v0.16.18):
 * which listeners to create, change or remove so the set equals what the cell exposes, and
 * which SystemSettings fields differ. Listener and settings JSON shapes follow the registry
 * schema: sets are `{member: true}`, lists are objects keyed "0", "1", ... (registry/src/types/
 * list.rs:123-157), maps are keyed by enum name (registry/src/jmap/patch.rs:306-357).
 */

/** One listener as the cell wants it (x:NetworkListener fields we set). */
export interface ListenerSpec {
  name: string;
  /** Socket address, e.g. "[::]:587" (IPv6 any, dual-stack on Linux). */
  bind: string;
  protocol: "smtp" | "lmtp" | "http" | "imap" | "pop3" | "manageSieve";
  /** TLS available on the listener (STARTTLS unless implicit). */
  useTls: boolean;
  /** TLS from the first byte; with useTls and not implicit: STARTTLS (or plain HTTP). */
  tlsImplicit: boolean;
}

/** A service advertised in SRV records and client auto-configuration (x:Service). */
export interface ServiceSpec {
  cleartext: boolean;
}

export interface ListenerPlan {
  create: ListenerSpec[];
  update: Array<{ id: string; patch: Partial<ListenerSpec> & { bind?: Record<string, true> } }>;
  destroy: Array<{ id: string; name: string }>;
}

export type Raw = Record<string, unknown> & { id: string };

/** The listener as we compare it: the fields we manage. */
export function listenerView(raw: Raw): ListenerSpec {
  const binds = Object.keys((raw.bind as object) ?? {}).sort();
  return {
    name: String(raw.name),
    bind: binds.join(","),
    protocol: String(raw.protocol ?? "smtp") as ListenerSpec["protocol"],
    useTls: raw.useTls !== false,
    tlsImplicit: raw.tlsImplicit === true,
  };
}

/** The JSON the server takes for a listener. */
export function listenerJson(spec: ListenerSpec): Record<string, unknown> {
  return {
    name: spec.name,
    bind: Object.fromEntries(spec.bind.split(",").map((b) => [b, true])),
    protocol: spec.protocol,
    useTls: spec.useTls,
    tlsImplicit: spec.tlsImplicit,
  };
}

/** Create what is missing, correct what differs (by name), remove what the cell does not expose. */
export function planListeners(existing: Raw[], wanted: ListenerSpec[]): ListenerPlan {
  const plan: ListenerPlan = { create: [], update: [], destroy: [] };
  for (const spec of wanted) {
    const found = existing.find((l) => l.name === spec.name);
    if (!found) {
      plan.create.push(spec);
      continue;
    }
    const have = listenerView(found);
    const patch: Record<string, unknown> = {};
    const json = listenerJson(spec);
    if (have.bind !== [...spec.bind.split(",")].sort().join(",")) patch.bind = json.bind;
    for (const key of ["protocol", "useTls", "tlsImplicit"] as const) {
      if (have[key] !== spec[key]) patch[key] = spec[key];
    }
    if (Object.keys(patch).length) plan.update.push({ id: found.id, patch });
  }
  for (const l of existing) {
    if (!wanted.some((w) => w.name === l.name))
      plan.destroy.push({ id: l.id, name: String(l.name) });
  }
  return plan;
}

export function listenerPlanEmpty(plan: ListenerPlan): boolean {
  return !plan.create.length && !plan.update.length && !plan.destroy.length;
}

export interface SettingsWanted {
  hostname: string;
  defaultDomainId: string;
  certificateId: string;
  services: Record<string, ServiceSpec>;
}

/**
 * The SystemSettings patch that makes the singleton say what we want, or {} when it does.
 * `services` and `mailExchangers` are written whole (a map/list patch replaces the value).
 */
export function settingsPatch(current: Raw, wanted: SettingsWanted): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (current.defaultHostname !== wanted.hostname) patch.defaultHostname = wanted.hostname;
  if (current.defaultDomainId !== wanted.defaultDomainId)
    patch.defaultDomainId = wanted.defaultDomainId;
  if (current.defaultCertificateId !== wanted.certificateId)
    patch.defaultCertificateId = wanted.certificateId;
  const services = Object.fromEntries(
    Object.entries(wanted.services).map(([k, v]) => [
      k,
      { cleartext: v.cleartext, hostname: null },
    ]),
  );
  const have = (current.services ?? {}) as Record<
    string,
    { cleartext?: boolean; hostname?: unknown }
  >;
  const same =
    Object.keys(have).sort().join() === Object.keys(services).sort().join() &&
    Object.entries(services).every(
      ([k, v]) => have[k]?.cleartext === v.cleartext && (have[k]?.hostname ?? null) === null,
    );
  if (!same) patch.services = services;
  // One mail exchanger: the default hostname at priority 10 (the schema default, explicit).
  const mxs = Object.values(
    (current.mailExchangers ?? {}) as Record<string, Record<string, unknown>>,
  );
  if (mxs.length !== 1 || mxs[0].priority !== 10 || (mxs[0].hostname ?? null) !== null) {
    patch.mailExchangers = { "0": { priority: 10, hostname: null } };
  }
  return patch;
}

/** The services as outputs report them (sorted names with their cleartext flag). */
export function servicesView(raw: unknown): Record<string, ServiceSpec> {
  const entries = Object.entries((raw ?? {}) as Record<string, { cleartext?: boolean }>);
  return Object.fromEntries(
    entries
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, { cleartext: v.cleartext === true }]),
  );
}
