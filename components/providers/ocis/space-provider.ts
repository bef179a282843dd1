/**
 * Dynamic provider for an OCIS project space ("drive") of a tenant. The drive id is the
 * resource id. Names are not unique in OCIS, so the description carries a marker with the
 * tenant slug and space key: that is how a create whose response was lost is found again.
 * Deleting disables the space (DELETE without Purge); only a space whose state says
 * `purgeOnDelete` (set by the Tenant component for an offboarded tenant whose retention date
 * has passed) is purged, and the provider re-checks that rule before purging.
 * OCIS answers 404 both for a missing space and for one the identity may not change
 * (drives.go renders PERMISSION_DENIED as "drive not found"), so a 404 is confirmed with a GET
 * and the caller's role before a space leaves the state (caller.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RetryOptions } from "../http";
import {
  assertGone,
  cachedCaller,
  deniedAsNotFound,
  driveAfter404,
  type CallerCache,
} from "./caller";
import {
  createOnce,
  deleteOrGone,
  expectOk,
  graphClient,
  guard,
  ocisError,
  odataMessage,
  okOrNotFound,
  OCIS_TOKEN_CONFIG_KEY,
  singleShotClient,
  type GraphClient,
  type OcisConnection,
} from "./client";
import type { components } from "./libregraph.gen";
import {
  hasSpaceMarker,
  purgeRefusal,
  sanitizeSpaceName,
  spaceDescription,
  spaceMarker,
} from "./names";

type Drive = components["schemas"]["drive"];

export interface SpaceInputs {
  connection: OcisConnection;
  /** Tenant slug: part of the marker and of error messages. */
  tenant: string;
  /** Stable key of the space within the tenant ("main", or a department slug). */
  key: string;
  /** Display name; sanitised in check to what OCIS accepts. */
  name: string;
  /** Free text shown in OCIS Web; the marker is appended. */
  description?: string;
  /** Quota in bytes; 0 means unlimited. */
  quotaBytes: number;
  /** false = disabled (suspended or offboarded tenant). */
  enabled: boolean;
  /** Purge instead of disable on delete; only with enabled=false and a past retainUntil. */
  purgeOnDelete?: boolean;
  /** ISO date of the end of the retention period (offboarded tenants). */
  retainUntil?: string;
  /** Take over an existing space with the same name that carries no marker. */
  adopt?: boolean;
}

export interface SpaceOutputs extends SpaceInputs {
  driveId: string;
  driveAlias: string;
  webUrl: string;
  webDavUrl: string;
}

/**
 * The inputs that describe the space; a change of any is an in-place update (none needs a new
 * space). `connection` is not among them: a re-minted token never updates a space.
 */
const INPUT_FIELDS: (keyof SpaceInputs)[] = [
  "tenant",
  "key",
  "name",
  "description",
  "quotaBytes",
  "enabled",
  "purgeOnDelete",
  "retainUntil",
  "adopt",
];

interface SpaceProvider extends pulumi.dynamic.ResourceProvider, CallerCache {
  /** Retry settings; tests shorten them. */
  retry?: RetryOptions;
  /** Token from stack config (fresher than the one in the state). */
  configToken?: string;
}

function context(props: { tenant?: string; name?: string; key?: string }, call: string) {
  return {
    service: "OCIS",
    tenant: props.tenant,
    object: `space "${props.name ?? "?"}" (${props.key ?? "?"})`,
    call,
    credentialKey: OCIS_TOKEN_CONFIG_KEY,
  };
}

function outputsOf(inputs: SpaceInputs, drive: Drive): SpaceOutputs {
  return {
    ...inputs,
    driveId: drive.id ?? "",
    driveAlias: drive.driveAlias ?? "",
    webUrl: drive.webUrl ?? "",
    webDavUrl: drive.root?.webDavUrl ?? "",
  };
}

/** The operator's description text of a drive: the description without our marker. */
function descriptionText(drive: Drive, tenant: string, key: string): string | undefined {
  const marker = spaceMarker(tenant, key);
  const text = (drive.description ?? "").replace(marker, "").trim();
  if (!hasSpaceMarker(drive.description, tenant, key)) return drive.description ?? "";
  return text === "" ? undefined : text;
}

export const spaceProvider: SpaceProvider = {
  async configure(req) {
    this.configToken = req.config.get("ocisServiceToken");
  },

  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const inputs = { ...news } as SpaceInputs;
    for (const field of ["tenant", "key", "name"] as const) {
      if (typeof inputs[field] !== "string" || inputs[field] === "") {
        failures.push({ property: field, reason: `${field} must be a non-empty string` });
      }
    }
    if (typeof inputs.name === "string" && inputs.name !== "") {
      try {
        inputs.name = sanitizeSpaceName(inputs.name);
      } catch (error) {
        failures.push({ property: "name", reason: (error as Error).message });
      }
    }
    if (!Number.isSafeInteger(inputs.quotaBytes) || inputs.quotaBytes < 0) {
      failures.push({
        property: "quotaBytes",
        reason: "quotaBytes must be an integer >= 0 (0 = unlimited)",
      });
    }
    if (typeof inputs.enabled !== "boolean") {
      failures.push({ property: "enabled", reason: "enabled must be true or false" });
    }
    const refusal = purgeRefusal(inputs, new Date());
    if (refusal) failures.push({ property: "purgeOnDelete", reason: `purge refused: ${refusal}` });
    return { inputs, failures };
  },

  async diff(_id, olds: SpaceOutputs, news: SpaceInputs) {
    const changed = INPUT_FIELDS.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(raw: SpaceInputs) {
    // check already sanitised the name; again here so a create without check stays valid.
    const inputs = { ...raw, name: sanitizeSpaceName(raw.name) };
    const conn = { url: inputs.connection.url, token: this.configToken ?? inputs.connection.token };
    const client = graphClient(conn, this.retry);
    const listCtx = context(inputs, "GET /graph/v1.0/drives?$filter=driveType eq 'project'");
    const listProjects = async (): Promise<Drive[]> =>
      (
        await expectOk(
          listCtx,
          client.GET("/v1.0/drives", { params: { query: { $filter: "driveType eq 'project'" } } }),
        )
      ).value ?? [];
    const ours = (drives: Drive[]): Drive | undefined => {
      const found = drives.filter((d) => hasSpaceMarker(d.description, inputs.tenant, inputs.key));
      if (found.length > 1) {
        throw new Error(
          `OCIS: tenant "${inputs.tenant}": ${found.length} spaces carry the marker ${spaceMarker(inputs.tenant, inputs.key)} (${found.map((d) => d.id).join(", ")}); keep one and remove the marker from the others`,
        );
      }
      return found[0];
    };

    const existing = await listProjects();
    let drive = ours(existing);
    if (!drive) {
      const sameName = existing.find((d) => d.name === inputs.name);
      if (sameName && !inputs.adopt) {
        throw new Error(
          `OCIS: tenant "${inputs.tenant}": a space named "${inputs.name}" (${sameName.id}) exists that this program did not create; set adopt: true on this space to take it over, or rename it`,
        );
      }
      drive = sameName;
    }
    if (drive) {
      // Our own earlier create (lost response) or an adoption: converge it to the inputs.
      const { outs } = await this.update!(drive.id!, readState(inputs, drive), inputs);
      return { id: drive.id!, outs };
    }

    const once = singleShotClient(conn, this.retry);
    const created = await createOnce<Drive>(
      context(inputs, "POST /graph/v1.0/drives"),
      this.retry ?? {},
      async () => ours(await listProjects()),
      () =>
        once.POST("/v1.0/drives", {
          body: {
            name: inputs.name,
            description: spaceDescription(inputs.tenant, inputs.key, inputs.description),
            quota: { total: inputs.quotaBytes },
          },
        }),
    );
    let result = created.value;
    if (!created.adopted && result.quota?.total !== inputs.quotaBytes) {
      result = await expectOk(
        context(inputs, "GET /graph/v1.0/drives/{id}"),
        client.GET("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": result.id! } } }),
      );
    }
    if (!inputs.enabled) {
      await disable(client, inputs, result.id!, callerOf(this, conn.url, client, inputs));
    }
    return { id: result.id!, outs: outputsOf(inputs, result) };
  },

  async read(id: string, props: SpaceOutputs) {
    const conn = { url: props.connection.url, token: this.configToken ?? props.connection.token };
    const client = graphClient(conn, this.retry);
    const drive = await okOrNotFound(
      context(props, `GET /graph/v1.0/drives/${id}`),
      client.GET("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": id } } }),
    );
    if (!drive) {
      await assertGone(id, callerOf(this, conn.url, client, props), (c) => context(props, c));
      return { id: "", props: {} };
    }
    const observed = { ...outputsOf(props, drive), ...readState(props, drive) };
    return { id, props: observed };
  },

  async update(id: string, olds: SpaceOutputs, news: SpaceInputs) {
    const conn = { url: news.connection.url, token: this.configToken ?? news.connection.token };
    const client = graphClient(conn, this.retry);
    const caller = callerOf(this, conn.url, client, news);
    if (!olds.enabled && news.enabled) {
      await changeOk(
        client,
        news,
        id,
        caller,
        context(news, `PATCH /graph/v1.0/drives/${id} (Restore: T)`),
        "restore it",
        client.PATCH("/v1.0/drives/{drive-id}", {
          params: { path: { "drive-id": id } },
          headers: { Restore: "T" },
          body: {},
        }),
      );
    }
    const patch: components["schemas"]["driveUpdate"] = {};
    if (olds.name !== news.name) patch.name = news.name;
    const oldDescription = spaceDescription(olds.tenant, olds.key, olds.description);
    const newDescription = spaceDescription(news.tenant, news.key, news.description);
    if (oldDescription !== newDescription) patch.description = newDescription;
    if (olds.quotaBytes !== news.quotaBytes) patch.quota = { total: news.quotaBytes };
    let drive: Drive | undefined;
    if (Object.keys(patch).length > 0) {
      drive = await changeOk(
        client,
        news,
        id,
        caller,
        context(news, `PATCH /graph/v1.0/drives/${id} (${Object.keys(patch).join(", ")})`),
        `change its ${Object.keys(patch).join(", ")}`,
        client.PATCH("/v1.0/drives/{drive-id}", {
          params: { path: { "drive-id": id } },
          body: patch,
        }),
      );
    }
    if (olds.enabled && !news.enabled) await disable(client, news, id, caller);
    drive ??= await expectOk(
      context(news, `GET /graph/v1.0/drives/${id}`),
      client.GET("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": id } } }),
    );
    return { outs: outputsOf(news, drive) };
  },

  async delete(id: string, props: SpaceOutputs) {
    const conn = { url: props.connection.url, token: this.configToken ?? props.connection.token };
    const client = graphClient(conn, this.retry);
    const refusal = purgeRefusal(props, new Date());
    if (props.purgeOnDelete && refusal) {
      throw new Error(
        `OCIS: tenant "${props.tenant}": space "${props.name}" (${id}): purge refused: ${refusal}`,
      );
    }
    const caller = callerOf(this, conn.url, client, props);
    const gone = await disable(client, props, id, caller);
    if (gone || !props.purgeOnDelete) return;
    const ctx = context(props, `DELETE /graph/v1.0/drives/${id} (Purge: T)`);
    const purged = await deleteOrGone(
      ctx,
      client.DELETE("/v1.0/drives/{drive-id}", {
        params: { path: { "drive-id": id } },
        headers: { Purge: "T" },
      }),
    );
    if (purged === "gone") {
      const still = await driveAfter404(client, id, caller, (c) => context(props, c));
      if (still) throw deniedAsNotFound(ctx, await caller().catch(() => undefined), "purge it");
    }
  },
};

/** What the drive says about the managed fields, in input terms. */
function readState(inputs: SpaceInputs, drive: Drive): SpaceOutputs {
  return {
    ...outputsOf(inputs, drive),
    name: drive.name ?? "",
    description: descriptionText(drive, inputs.tenant, inputs.key),
    quotaBytes: drive.quota?.total ?? 0,
    enabled: drive.root?.deleted?.state !== "trashed",
  };
}

/** The caller behind a connection, fetched at most once per run and URL. */
function callerOf(provider: SpaceProvider, url: string, client: GraphClient, props: SpaceInputs) {
  return () => cachedCaller(provider, url, client, (c) => context(props, c));
}

/**
 * Disables a space (idempotent). Returns true when the space no longer exists; a 404 for a
 * space that still exists and is enabled is a rights problem, never "gone".
 */
async function disable(
  client: GraphClient,
  props: SpaceInputs,
  id: string,
  caller: () => ReturnType<typeof cachedCaller>,
): Promise<boolean> {
  const ctx = context(props, `DELETE /graph/v1.0/drives/${id}`);
  const result = await deleteOrGone(
    ctx,
    client.DELETE("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": id } } }),
  );
  if (result === "deleted") return false;
  const still = await driveAfter404(client, id, caller, (c) => context(props, c));
  if (!still) return true;
  if (still.root?.deleted?.state === "trashed") return false; // already disabled: done
  throw deniedAsNotFound(ctx, await caller().catch(() => undefined), "disable it");
}

/** A PATCH that must succeed; a 404 for a space that exists is reported as the rights problem. */
async function changeOk(
  client: GraphClient,
  props: SpaceInputs,
  id: string,
  caller: () => ReturnType<typeof cachedCaller>,
  ctx: ReturnType<typeof context>,
  what: string,
  call: Promise<{ data?: Drive; error?: unknown; response: Response }>,
): Promise<Drive> {
  const { data, error, response } = await guard(ctx, call);
  if (response.ok) return data as Drive;
  if (response.status === 404) {
    const still = await okOrNotFound(
      context(props, `GET /graph/v1.0/drives/${id}`),
      client.GET("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": id } } }),
    );
    if (still) throw deniedAsNotFound(ctx, await caller().catch(() => undefined), what);
    throw ocisError(
      ctx,
      404,
      `the space is gone (${odataMessage(error) ?? "not found"}); run pulumi refresh`,
    );
  }
  throw ocisError(ctx, response.status, odataMessage(error));
}
