/**
 * Dynamic provider for one group's membership of a project space: invite with a space role,
 * change the role in place, remove on delete. The provisioning identity (the space's creator,
 * kept as Manager so the space never loses its last manager) is never touched and never part
 * of a diff: this resource only looks at the permission `g:<groupId>`. Invites answer 409 for
 * an existing member, so a retried invite whose first response was lost is recognised by
 * reading the permission back (invited by us = ours).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RetryOptions } from "../http";
import {
  deleteOrGone,
  expectOk,
  graphClient,
  guard,
  ocisError,
  odataMessage,
  okOrNotFound,
  OCIS_TOKEN_CONFIG_KEY,
  type GraphClient,
  type OcisConnection,
} from "./client";
import type { components } from "./libregraph.gen";
import { groupPermissionId, SPACE_ROLE_IDS, spaceRoleName, type SpaceRole } from "./names";

type Permission = components["schemas"]["permission"];

export interface SpaceMemberInputs {
  connection: OcisConnection;
  /** Tenant slug, for error messages. */
  tenant: string;
  /** Drive id of the space (OcisSpace.driveId). */
  driveId: string;
  /** OCIS group id (OcisGroup.groupId). */
  groupId: string;
  /** Space role from the tenant file. */
  role: SpaceRole;
  /** Take over an existing grant of this group that this program did not make. */
  adopt?: boolean;
}

export interface SpaceMemberOutputs extends SpaceMemberInputs {
  permissionId: string;
  roleId: string;
}

interface SpaceMemberProvider extends pulumi.dynamic.ResourceProvider {
  retry?: RetryOptions;
  configToken?: string;
  /** Provisioner user id per OCIS URL (one GET /me per run). */
  me?: Map<string, string>;
}

function context(props: Partial<SpaceMemberInputs>, call: string) {
  return {
    service: "OCIS",
    tenant: props.tenant,
    object: `membership of group ${props.groupId ?? "?"} in space ${props.driveId ?? "?"}`,
    call,
    credentialKey: OCIS_TOKEN_CONFIG_KEY,
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

export const spaceMemberProvider: SpaceMemberProvider = {
  async configure(req) {
    this.configToken = req.config.get("ocisServiceToken");
  },

  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const field of ["tenant", "driveId", "groupId"] as const) {
      if (typeof news[field] !== "string" || news[field] === "") {
        failures.push({ property: field, reason: `${field} must be a non-empty string` });
      }
    }
    if (!Object.keys(SPACE_ROLE_IDS).includes(news.role)) {
      failures.push({
        property: "role",
        reason: `role must be one of ${Object.keys(SPACE_ROLE_IDS).join(", ")}`,
      });
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds: SpaceMemberOutputs, news: SpaceMemberInputs) {
    const replaces = (["driveId", "groupId"] as const).filter((k) => olds[k] !== news[k]);
    const changed = (["connection", "tenant", "role", "adopt"] as const).filter(
      (k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
    );
    return {
      changes: replaces.length + changed.length > 0,
      replaces,
      deleteBeforeReplace: replaces.length > 0,
    };
  },

  async create(inputs: SpaceMemberInputs) {
    const conn = { url: inputs.connection.url, token: this.configToken ?? inputs.connection.token };
    const client = graphClient(conn, this.retry);
    const me = await provisionerId(this, client, inputs);
    const roleId = SPACE_ROLE_IDS[inputs.role];
    const adoptable = async (): Promise<Permission | undefined> => {
      const found = await findPermission(client, inputs);
      if (found === "no-space") {
        throw ocisError(
          context(inputs, `GET /graph/v1beta1/drives/${inputs.driveId}/root/permissions`),
          undefined,
          "HTTP 404: the space is disabled or gone; restore it (enabled: true) before granting access",
        );
      }
      if (!found) return undefined;
      const ours = found.invitation?.invitedBy?.user?.id === me;
      if (!ours && !inputs.adopt) {
        throw new Error(
          `OCIS: tenant "${inputs.tenant}": group ${inputs.groupId} is already a member of space ${inputs.driveId} (not granted by this program); set adopt: true to take the grant over`,
        );
      }
      return found;
    };
    let permission = await adoptable();
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
        // Already a member: our own invite whose response was lost, or a concurrent grant.
        permission = await adoptable();
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

  async read(id: string, props: SpaceMemberOutputs) {
    const conn = { url: props.connection.url, token: this.configToken ?? props.connection.token };
    const client = graphClient(conn, this.retry);
    const found = await findPermission(client, props);
    if (found === "no-space") {
      // Disabled spaces hide their permissions: keep what we know while the space exists.
      const drive = await okOrNotFound(
        context(props, `GET /graph/v1.0/drives/${props.driveId}`),
        client.GET("/v1.0/drives/{drive-id}", { params: { path: { "drive-id": props.driveId } } }),
      );
      return drive ? { id, props } : { id: "", props: {} };
    }
    if (!found) return { id: "", props: {} };
    return { id, props: outputsOf(props, found) };
  },

  async update(id: string, olds: SpaceMemberOutputs, news: SpaceMemberInputs) {
    const conn = { url: news.connection.url, token: this.configToken ?? news.connection.token };
    const roleId = SPACE_ROLE_IDS[news.role];
    if (olds.roleId === roleId && olds.role === news.role) {
      return { outs: { ...olds, ...news, roleId } };
    }
    const permission = await setRole(graphClient(conn, this.retry), news, id, roleId);
    return { outs: outputsOf(news, permission) };
  },

  async delete(id: string, props: SpaceMemberOutputs) {
    const conn = { url: props.connection.url, token: this.configToken ?? props.connection.token };
    await deleteOrGone(
      context(props, `DELETE /graph/v1beta1/drives/${props.driveId}/root/permissions/${id}`),
      graphClient(conn, this.retry).DELETE(
        "/v1beta1/drives/{drive-id}/root/permissions/{perm-id}",
        {
          params: { path: { "drive-id": props.driveId, "perm-id": id } },
        },
      ),
    );
  },
};

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

/** The provisioning identity's user id, cached per OCIS URL for the run. */
async function provisionerId(
  provider: SpaceMemberProvider,
  client: GraphClient,
  props: SpaceMemberInputs,
): Promise<string> {
  provider.me ??= new Map();
  const cached = provider.me.get(props.connection.url);
  if (cached) return cached;
  const me = await expectOk(context(props, "GET /graph/v1.0/me"), client.GET("/v1.0/me"));
  provider.me.set(props.connection.url, me.id ?? "");
  return me.id ?? "";
}
