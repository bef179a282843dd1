/**
 * The recovery admin's calls that configure a Stalwart 0.16 server the way the cell needs it
 * (stalwartlabs/stalwart@v0.16.18, cited per call; docs/conformance/stalwart.md):
 * - the platform's default domain: SystemSettings needs `defaultDomainId` naming an existing
 *   domain (registry/src/schema/structs_impl.rs:41381-41440), as the official bootstrap does
 *   (jmap/src/registry/mapping/bootstrap.rs:388-452); manual DKIM and DNS, nothing to publish;
 * - the certificate as an `x:Certificate` with File sources: the server reads the files on
 *   create (jmap/src/registry/mapping/tls.rs:78-106) and again whenever certificates are
 *   loaded (common/src/config/server/tls.rs:34-152), which is what a certificate renewed
 *   outside Stalwart needs: our TLS sync rewrites the files and restarts the server;
 * - SystemSettings (singleton id "singleton", types/src/id.rs:65) hostname, default domain,
 *   default certificate, advertised services;
 * - the listener set;
 * - `x:Action` ReloadTlsCertificates and ReloadSettings, because a /set alone does not reach
 *   the running server (jmap/src/registry/mapping/action.rs:78-104, common/src/cache/
 *   reload.rs:65-158). Listener changes bind only on a restart (reload.rs:122-126).
 */
import { providerError } from "../core/errors";
import { sleep } from "../core/retry";
import { timing } from "../core/timing";
import { textTag } from "../core/markers";
import { findDomainByName, updateDomain, type Raw } from "./domain-api";
import {
  jmapCall,
  setErrorToProviderError,
  type CallContext,
  type SetError,
  type StalwartConnection,
} from "./jmap";
import {
  listenerJson,
  listenerPlanEmpty,
  planListeners,
  settingsPatch,
  type ListenerSpec,
  type SettingsWanted,
} from "./server-plan";

/** Marks objects the platform (not a tenant) owns: `[dezky:platform]` (core/markers.ts). */
export const PLATFORM_MARKER = textTag({ platform: true });
/** The form older versions wrote, still recognised. */
export const LEGACY_PLATFORM_MARKER = "[dezky-platform]";

/** Whether a description says the platform owns the object (current or older form). */
export function isPlatformMarked(description: unknown): boolean {
  return description === PLATFORM_MARKER || description === LEGACY_PLATFORM_MARKER;
}
export const SINGLETON = "singleton";

function setResult(
  results: Map<string, Record<string, unknown>>,
  id: string,
): Record<string, unknown> {
  return results.get(id) ?? {};
}

function firstError(set: Record<string, unknown>): SetError | undefined {
  for (const field of ["notCreated", "notUpdated", "notDestroyed"]) {
    const errors = Object.values((set[field] as Record<string, SetError> | undefined) ?? {});
    if (errors.length) return errors[0];
  }
  return undefined;
}

/** Finds or creates the platform domain; a same-named domain not ours needs `adopt`. */
export async function ensurePlatformDomain(
  connection: StalwartConnection,
  name: string,
  adopt: boolean,
  ctx: CallContext,
): Promise<string> {
  const existing = await findDomainByName(connection, name, ctx);
  if (existing) {
    if (isPlatformMarked(existing.description)) {
      if (existing.description !== PLATFORM_MARKER) {
        await updateDomain(connection, existing.id, { description: PLATFORM_MARKER }, ctx);
      }
      return existing.id;
    }
    if (!adopt) {
      throw providerError(
        { service: "Stalwart", object: ctx.object, call: "POST /jmap/ x:Domain/query" },
        undefined,
        `domain ${name} already exists in Stalwart (id ${existing.id}) and was not created by this program; set adopt on the server settings to use it as the default domain`,
      );
    }
    await updateDomain(connection, existing.id, { description: PLATFORM_MARKER }, ctx);
    return existing.id;
  }
  const results = await jmapCall(
    connection,
    [
      [
        "x:Domain/set",
        {
          create: {
            d: {
              name,
              description: PLATFORM_MARKER,
              dkimManagement: { "@type": "Manual" },
              dnsManagement: { "@type": "Manual" },
              certificateManagement: { "@type": "Manual" },
            },
          },
        },
        "c",
      ],
    ],
    ctx,
  );
  const set = setResult(results, "c");
  const created = (set.created as Record<string, { id: string }> | undefined)?.d;
  if (created) return created.id;
  const error = firstError(set) ?? { type: "unknown" };
  // A create whose response was lost and was retried: the domain is ours.
  if (error.type === "primaryKeyViolation")
    return ensurePlatformDomain(connection, name, adopt, ctx);
  throw setErrorToProviderError(ctx, "x:Domain/set create", error);
}

export interface CertificatePaths {
  certificatePath: string;
  privateKeyPath: string;
}

/** Certificates whose certificate is read from `path` (our natural key). */
async function certificatesAt(
  connection: StalwartConnection,
  path: string,
  ctx: CallContext,
): Promise<Raw[]> {
  const results = await jmapCall(
    connection,
    [
      ["x:Certificate/query", {}, "q"],
      [
        "x:Certificate/get",
        { "#ids": { resultOf: "q", name: "x:Certificate/query", path: "/ids" } },
        "g",
      ],
    ],
    ctx,
  );
  const list = (setResult(results, "g").list as Raw[] | undefined) ?? [];
  return list
    .filter((c) => (c.certificate as { filePath?: string } | undefined)?.filePath === path)
    .sort((a, b) => a.id.localeCompare(b.id));
}

const fileSource = (path: string) => ({ "@type": "File", filePath: path });

/**
 * Registers (or corrects) the File certificate. The file is written by the TLS sync shortly
 * after the install; until it exists the create fails "Failed to read certificate", which is
 * retried until `certificateReadyMs`.
 */
export async function ensureCertificate(
  connection: StalwartConnection,
  paths: CertificatePaths,
  ctx: CallContext,
): Promise<{ id: string; changed: boolean }> {
  const t = timing();
  const deadline = Date.now() + t.certificateReadyMs;
  let interval = t.pollIntervalMs;
  for (;;) {
    const found = await certificatesAt(connection, paths.certificatePath, ctx);
    if (found.length > 1) {
      // A create retried after a lost response: keep the first, remove the copies.
      await jmapCall(
        connection,
        [["x:Certificate/set", { destroy: found.slice(1).map((c) => c.id) }, "x"]],
        ctx,
      );
    }
    const mine = found[0];
    if (mine) {
      const key = (mine.privateKey as { "@type"?: string; filePath?: string } | undefined) ?? {};
      if (key["@type"] === "File" && key.filePath === paths.privateKeyPath) {
        return { id: mine.id, changed: found.length > 1 };
      }
      const results = await jmapCall(
        connection,
        [
          [
            "x:Certificate/set",
            { update: { [mine.id]: { privateKey: fileSource(paths.privateKeyPath) } } },
            "u",
          ],
        ],
        ctx,
      );
      const error = firstError(setResult(results, "u"));
      if (error) throw setErrorToProviderError(ctx, "x:Certificate/set update", error);
      return { id: mine.id, changed: true };
    }
    const results = await jmapCall(
      connection,
      [
        [
          "x:Certificate/set",
          {
            create: {
              c: {
                certificate: fileSource(paths.certificatePath),
                privateKey: fileSource(paths.privateKeyPath),
              },
            },
          },
          "c",
        ],
      ],
      ctx,
    );
    const set = setResult(results, "c");
    const created = (set.created as Record<string, { id: string }> | undefined)?.c;
    if (created) {
      // Certificates have no unique key: a create retried after a lost response made a copy.
      const copies = (await certificatesAt(connection, paths.certificatePath, ctx)).filter(
        (c) => c.id !== created.id,
      );
      if (copies.length) {
        await jmapCall(
          connection,
          [["x:Certificate/set", { destroy: copies.map((c) => c.id) }, "x"]],
          ctx,
        );
      }
      return { id: created.id, changed: true };
    }
    const error = firstError(set) ?? { type: "unknown" };
    const missingFile =
      error.type === "invalidProperties" && /Failed to read/.test(error.description ?? "");
    if (!missingFile || Date.now() + interval > deadline) {
      throw setErrorToProviderError(
        ctx,
        "x:Certificate/set create",
        error,
        missingFile
          ? `${paths.certificatePath} is written by the stalwart-tls-sync job and installed by stalwart-tls.path on the host; check both`
          : undefined,
      );
    }
    await sleep(interval);
    interval = Math.min(interval * 2, t.maxDelayMs);
  }
}

/** Reads SystemSettings and brings it to what we want; true when something was written. */
export async function applySettings(
  connection: StalwartConnection,
  wanted: SettingsWanted,
  ctx: CallContext,
): Promise<boolean> {
  const current = await readSettings(connection, ctx);
  const patch = settingsPatch(current, wanted);
  if (Object.keys(patch).length === 0) return false;
  const results = await jmapCall(
    connection,
    [["x:SystemSettings/set", { update: { [SINGLETON]: patch } }, "u"]],
    ctx,
  );
  const error = firstError(setResult(results, "u"));
  if (error) throw setErrorToProviderError(ctx, "x:SystemSettings/set update", error);
  return true;
}

export async function readSettings(connection: StalwartConnection, ctx: CallContext): Promise<Raw> {
  const results = await jmapCall(
    connection,
    [["x:SystemSettings/get", { ids: [SINGLETON] }, "g"]],
    ctx,
  );
  return ((setResult(results, "g").list as Raw[] | undefined) ?? [])[0] ?? { id: SINGLETON };
}

export async function readListeners(
  connection: StalwartConnection,
  ctx: CallContext,
): Promise<Raw[]> {
  const results = await jmapCall(connection, [["x:NetworkListener/get", {}, "g"]], ctx);
  return (setResult(results, "g").list as Raw[] | undefined) ?? [];
}

/** Makes the listener set equal `wanted`; true when something was written (restart needed). */
export async function applyListeners(
  connection: StalwartConnection,
  wanted: ListenerSpec[],
  ctx: CallContext,
): Promise<boolean> {
  const plan = planListeners(await readListeners(connection, ctx), wanted);
  if (listenerPlanEmpty(plan)) return false;
  const args: Record<string, unknown> = {};
  if (plan.create.length)
    args.create = Object.fromEntries(plan.create.map((l, i) => [`l${i}`, listenerJson(l)]));
  if (plan.update.length) args.update = Object.fromEntries(plan.update.map((u) => [u.id, u.patch]));
  if (plan.destroy.length) args.destroy = plan.destroy.map((d) => d.id);
  const results = await jmapCall(connection, [["x:NetworkListener/set", args, "s"]], ctx);
  const set = setResult(results, "s");
  const error = firstError(set);
  // A retried create after a lost response meets its own listener (unique name): converged.
  if (error && error.type !== "primaryKeyViolation" && error.type !== "notFound") {
    throw setErrorToProviderError(ctx, "x:NetworkListener/set", error);
  }
  return true;
}

/** Makes the running server load the stored certificates and settings. */
export async function reloadServer(
  connection: StalwartConnection,
  ctx: CallContext,
): Promise<void> {
  const results = await jmapCall(
    connection,
    [
      [
        "x:Action/set",
        { create: { t: { "@type": "ReloadTlsCertificates" }, s: { "@type": "ReloadSettings" } } },
        "a",
      ],
    ],
    ctx,
  );
  const error = firstError(setResult(results, "a"));
  if (error) throw setErrorToProviderError(ctx, "x:Action/set create (reload)", error);
}
