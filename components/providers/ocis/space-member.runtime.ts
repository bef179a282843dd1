/**
 * Dynamic provider for one group's membership of a project space: invite with a space role,
 * change the role in place, remove on delete. The provisioning identity (the space's creator,
 * kept as Manager so the space never loses its last manager) is never touched and never part
 * of a diff: this resource only looks at the permission `g:<groupId>`.
 * Ownership: listed space permissions carry no `invitation` (base.go
 * cs3SpacePermissionsToLibreGraph builds them from the space's grants, which keep no creator in
 * the Graph view), so a grant cannot say who made it. The provider looks before it invites: a
 * grant that exists before its first invite is someone else's (adopt: true takes it over); one
 * that appears after its own invite (a lost response, then 409 on the retry) is its own.
 */
import { z } from "zod";
import type { Op, TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { slugField } from "../core/schema";
import { assertGone, cachedCaller } from "./caller";
import {
  deleteOrGone,
  expectOk,
  graphClient,
  guard,
  ocisError,
  odataMessage,
  okOrNotFound,
  type AnyOcisConnection,
  type GraphClient,
} from "./client";
import { OCIS_CREDENTIAL } from "./connection";
import type { components } from "./libregraph.gen";
import { groupPermissionId, SPACE_ROLE_IDS, spaceRoleName, type SpaceRole } from "./names";

type Permission = components["schemas"]["permission"];

const ROLES = Object.keys(SPACE_ROLE_IDS) as [SpaceRole, ...SpaceRole[]];

const schema = z.object({
  /** Tenant slug, for error messages. */
  tenant: slugField("tenant"),
  /** Drive id of the space: the OcisSpace's `id`. */
  driveId: z.string().min(1, "driveId must be a non-empty string"),
  /** OCIS group id: the OcisGroup's `id`. */
  groupId: z.string().min(1, "groupId must be a non-empty string"),
  /** Space role from the tenant file. */
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` }),
  /** Take over an existing grant of this group that this program did not make. */
  adopt: z.boolean().optional(),
});

export type SpaceMemberInputs = z.infer<typeof schema>;

export interface SpaceMemberOutputs extends SpaceMemberInputs {
  permissionId: string;
  roleId: string;
}

function context(props: Partial<SpaceMemberInputs>, call: string) {
  return {
    service: "OCIS",
    tenant: props.tenant,
    object: `membership of group ${props.groupId ?? "?"} in space ${props.driveId ?? "?"}`,
    call,
    credential: OCIS_CREDENTIAL,
  };
}

function permissionsPath(driveId: string) {
  return { params: { path: { "drive-id": driveId } } };
}

/** The group's permission on the space root; "no-space" when the space is disabled or gone. */
async function findPermission(
  client: GraphClient,
  props: SpaceMemberInputs,
): Promise<Permission | undefined | "no-space"> {
  const list = await okOrNotFound(
    context(props, `GET /graph/v1beta1/drives/${props.driveId}/root/permissions`),
    client.GET("/v1beta1/drives/{drive-id}/root/permissions", permissionsPath(props.driveId)),
  );
  if (!list) return "no-space";
  return (list.value ?? []).find((p) => p.id === groupPermissionId(props.groupId));
}

function outputsOf(inputs: SpaceMemberInputs, permission: Permission): SpaceMemberOutputs {
  const roleId = permission.roles?.[0] ?? "";
  return {
    ...inputs,
    role: (spaceRoleName(roleId) ?? roleId) as SpaceRole,
    permissionId: permission.id ?? groupPermissionId(inputs.groupId),
    roleId,
  };
}

export const spaceMemberType: TypeSpec<SpaceMemberInputs, SpaceMemberOutputs, AnyOcisConnection> = {
  type: "ocis:SpaceMember",
  service: "ocis",
  schema,
  // Another space or group is another grant. Not the connection: a re-minted token never
  // updates a grant.
  replaces: ["driveId", "groupId"],
  updates: ["tenant", "role"],
  deleteBeforeReplace: true,

  async create(op, inputs) {
    const client = graphClient(op.connection);
    const roleId = SPACE_ROLE_IDS[inputs.role];
    const listed = async (): Promise<Permission | undefined> => {
      const found = await findPermission(client, inputs);
      if (found === "no-space") {
        throw ocisError(
          context(inputs, `GET /graph/v1beta1/drives/${inputs.driveId}/root/permissions`),
          undefined,
          "HTTP 404: the space is disabled or gone; restore it (enabled: true) before granting access",
        );
      }
      return found;
    };
    let permission = await listed();
    if (permission && !inputs.adopt) {
      throw objectError(
        { service: "OCIS", tenant: inputs.tenant, object: `group ${inputs.groupId}` },
        `is already a member of space ${inputs.driveId} (not granted by this program)`,
        "set adopt: true to take the grant over",
      );
    }
    if (!permission) {
      const ctx = context(inputs, `POST /graph/v1beta1/drives/${inputs.driveId}/root/invite`);
      const { data, error, response } = await guard(
        ctx,
        client.POST("/v1beta1/drives/{drive-id}/root/invite", {
          ...permissionsPath(inputs.driveId),
          body: {
            recipients: [{ "@libre.graph.recipient.type": "group", objectId: inputs.groupId }],
            roles: [roleId],
          },
        }),
      );
      if (response.status === 409) {
        // Absent before our invite, present now: our own invite whose response was lost.
        permission = await listed();
      } else if (!response.ok) {
        throw ocisError(ctx, response.status, odataMessage(error));
      } else {
        permission = data?.value?.[0];
      }
      if (!permission) throw ocisError(ctx, response.status, "the invite returned no permission");
    }
    if (permission.roles?.[0] !== roleId) {
      permission = await setRole(client, inputs, permission.id!, roleId);
    }
    return { id: permission.id!, outs: outputsOf(inputs, permission) };
  },

  async read(op, id, props) {
    const client = graphClient(op.connection);
    const found = await findPermission(client, props);
    if (found === "no-space") {
      // Disabled spaces hide their permissions: keep what we know while the space exists.
      const drive = await spaceAfter404(op, client, props);
      return drive ? props : undefined;
    }
    if (!found) return undefined;
    return outputsOf(props, found);
  },

  async update(op, id, olds, news) {
    const roleId = SPACE_ROLE_IDS[news.role];
    if (olds.roleId === roleId && olds.role === news.role) {
      return { ...olds, ...news, roleId };
    }
    const permission = await setRole(graphClient(op.connection), news, id, roleId);
    return outputsOf(news, permission);
  },

  async delete(op, id, props) {
    const client = graphClient(op.connection);
    const ctx = context(
      props,
      `DELETE /graph/v1beta1/drives/${props.driveId}/root/permissions/${id}`,
    );
    const result = await deleteOrGone(
      ctx,
      client.DELETE("/v1beta1/drives/{drive-id}/root/permissions/{perm-id}", {
        params: { path: { "drive-id": props.driveId, "perm-id": id } },
      }),
    );
    if (result === "deleted") return;
    // 404: the grant, or the space, is gone - or the space is disabled or hidden from us.
    const found = await findPermission(client, props);
    if (found === "no-space") {
      // Gone with its space, or kept by a disabled space that a purge will remove with it.
      await spaceAfter404(op, client, props);
      return;
    }
    if (found) {
      throw ocisError(
        ctx,
        undefined,
        'HTTP 404, but the grant is still listed on the space: OCIS reports "not allowed" as "not found"; the identity needs the space\'s Manager grant',
      );
    }
  },
};

/** The space of a membership after its permissions answered 404 (gone only if confirmed). */
async function spaceAfter404(
  op: Op<AnyOcisConnection>,
  client: GraphClient,
  props: SpaceMemberInputs,
) {
  const drive = await okOrNotFound(
    context(props, `GET /graph/v1.0/drives/${props.driveId}`),
    client.GET("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": props.driveId } } }),
  );
  if (!drive) {
    const ctx = (c: string) => context(props, c);
    await assertGone(
      props.driveId,
      () => cachedCaller(op.cache, op.connection.url, client, ctx),
      ctx,
    );
  }
  return drive;
}

async function setRole(
  client: GraphClient,
  props: SpaceMemberInputs,
  permId: string,
  roleId: string,
) {
  return expectOk(
    context(props, `PATCH /graph/v1beta1/drives/${props.driveId}/root/permissions/${permId}`),
    client.PATCH("/v1beta1/drives/{drive-id}/root/permissions/{perm-id}", {
      params: { path: { "drive-id": props.driveId, "perm-id": permId } },
      body: { roles: [roleId] },
    }),
  );
}
