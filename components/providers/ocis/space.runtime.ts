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
import { z } from "zod";
import type { Op, TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { isoDate, slugField } from "../core/schema";
import { assertGone, cachedCaller, deniedAsNotFound, driveAfter404 } from "./caller";
import {
  createObject,
  deleteOrGone,
  expectOk,
  graphClient,
  guard,
  ocisError,
  odataMessage,
  okOrNotFound,
  singleShotClient,
  type AnyOcisConnection,
  type GraphClient,
} from "./client";
import { OCIS_CREDENTIAL } from "./connection";
import type { components } from "./libregraph.gen";
import {
  hasSpaceMarker,
  purgeRefusal,
  sanitizeSpaceName,
  spaceDescription,
  spaceMarker,
} from "./names";

type Drive = components["schemas"]["drive"];

const schema = z.object({
  /** Tenant slug: part of the marker and of error messages. */
  tenant: slugField("tenant"),
  /** Stable key of the space within the tenant ("main", or a department slug). */
  key: z.string().min(1, "key must be a non-empty string"),
  /** Display name; sanitised to what OCIS accepts. */
  name: z
    .string()
    .min(1, "name must be a non-empty string")
    .transform((name, ctx) => {
      try {
        return sanitizeSpaceName(name);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Free text shown in OCIS Web; the marker is appended. */
  description: z.string().optional(),
  /** Quota in bytes; 0 means unlimited. */
  quotaBytes: z.number().refine((n) => Number.isSafeInteger(n) && n >= 0, {
    message: "quotaBytes must be an integer >= 0 (0 = unlimited)",
  }),
  /** false = disabled (suspended or offboarded tenant). */
  enabled: z.boolean({ error: "enabled must be true or false" }),
  /** Purge instead of disable on delete; only with enabled=false and a past retainUntil. */
  purgeOnDelete: z.boolean().optional(),
  /** ISO date of the end of the retention period (offboarded tenants). */
  retainUntil: isoDate.optional(),
  /** Take over an existing space with the same name that carries no marker. */
  adopt: z.boolean().optional(),
});

export type SpaceInputs = z.infer<typeof schema>;

export interface SpaceOutputs extends SpaceInputs {
  driveId: string;
  driveAlias: string;
  webUrl: string;
  webDavUrl: string;
}

/**
 * The inputs that describe the space; a change of any is an in-place update (none needs a new
 * space). No connection among them: a re-minted token never updates a space.
 */
const INPUT_FIELDS = [
  "tenant",
  "key",
  "name",
  "description",
  "quotaBytes",
  "enabled",
  "purgeOnDelete",
  "retainUntil",
];

function context(props: { tenant?: string; name?: string; key?: string }, call: string) {
  return {
    service: "OCIS",
    tenant: props.tenant,
    object: `space "${props.name ?? "?"}" (${props.key ?? "?"})`,
    call,
    credential: OCIS_CREDENTIAL,
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

/** Update in place: the space (re)created by an earlier attempt, or adopted, converges here. */
async function converge(
  op: Op<AnyOcisConnection>,
  id: string,
  olds: SpaceOutputs,
  news: SpaceInputs,
) {
  return spaceType.update(op, id, olds, news);
}

export const spaceType: TypeSpec<SpaceInputs, SpaceOutputs, AnyOcisConnection> = {
  type: "ocis:Space",
  service: "ocis",
  schema,
  updates: INPUT_FIELDS,
  validate(inputs) {
    const refusal = purgeRefusal(inputs, new Date());
    return refusal ? [{ property: "purgeOnDelete", reason: `purge refused: ${refusal}` }] : [];
  },

  async create(op, raw) {
    // check already sanitised the name; again here so a create without check stays valid.
    const inputs = { ...raw, name: sanitizeSpaceName(raw.name) };
    const client = graphClient(op.connection);
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
        throw objectError(
          { service: "OCIS", tenant: inputs.tenant, object: `${found.length} spaces` },
          `carry the marker ${spaceMarker(inputs.tenant, inputs.key)} (${found.map((d) => d.id).join(", ")})`,
          "keep one and remove the marker from the others",
        );
      }
      return found[0];
    };

    const existing = await listProjects();
    let drive = ours(existing);
    if (!drive) {
      const sameName = existing.find((d) => d.name === inputs.name);
      if (sameName && !inputs.adopt) {
        throw objectError(
          {
            service: "OCIS",
            tenant: inputs.tenant,
            object: `a space named "${inputs.name}" (${sameName.id})`,
          },
          "exists that this program did not create",
          "set adopt: true on this space to take it over, or rename it",
        );
      }
      drive = sameName;
    }
    if (drive) {
      // Our own earlier create (lost response) or an adoption: converge it to the inputs.
      const outs = await converge(op, drive.id!, readState(inputs, drive), inputs);
      return { id: drive.id!, outs };
    }

    const once = singleShotClient(op.connection);
    const created = await createObject<Drive>(
      context(inputs, "POST /graph/v1.0/drives"),
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
      await disable(client, inputs, result.id!, callerOf(op, client, inputs));
    }
    return { id: result.id!, outs: outputsOf(inputs, result) };
  },

  async read(op, id, props) {
    const client = graphClient(op.connection);
    const drive = await okOrNotFound(
      context(props, `GET /graph/v1.0/drives/${id}`),
      client.GET("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": id } } }),
    );
    if (!drive) {
      await assertGone(id, callerOf(op, client, props), (c) => context(props, c));
      return undefined;
    }
    return { ...outputsOf(props, drive), ...readState(props, drive) };
  },

  async update(op, id, olds, news) {
    const client = graphClient(op.connection);
    const caller = callerOf(op, client, news);
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
    return outputsOf(news, drive);
  },

  async delete(op, id, props) {
    const client = graphClient(op.connection);
    const refusal = purgeRefusal(props, new Date());
    if (props.purgeOnDelete && refusal) {
      throw objectError(
        { service: "OCIS", tenant: props.tenant, object: `space "${props.name}" (${id}):` },
        `purge refused: ${refusal}`,
        "offboard the tenant with a past retainUntil before purging",
      );
    }
    const caller = callerOf(op, client, props);
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

/** The caller behind the connection, fetched at most once per run. */
function callerOf(op: Op<AnyOcisConnection>, client: GraphClient, props: SpaceInputs) {
  return () => cachedCaller(op.cache, op.connection.url, client, (c) => context(props, c));
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
