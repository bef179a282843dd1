/**
 * Dynamic provider for the OCIS group of a tenant. Groups from the IdP appear in OCIS only when
 * a member first logs in, so the group is created up front with the exact display name of the
 * tenant's Authentik group (login-time sync matches by display name).
 *
 * What OCIS 7.1 gives to work with (owncloud/ocis services/graph/pkg/identity/ldap_group.go):
 * a group is a name and an id. A `description` sent on create is dropped (groupToLDAPAttrValues
 * writes cn, member, owncloudUUID only), so no marker can be stored on the group; names are
 * unique (the name is the LDAP RDN: a second create is 409 "group already exists"); and
 * GET /groups/{name} is unreliable (getLDAPGroupByNameOrID filters a non-UUID by the *user*
 * name attribute). So lookups use `$search` (substring on name or id) and compare the display
 * name exactly, and ownership follows the provider's own steps: a group that exists before the
 * first create attempt is someone else's (adopt: true takes it over); one that appears after
 * an attempt whose response was lost is this provider's.
 *
 * Rights: POST, PATCH and DELETE /groups sit behind requireAdmin (Accounts.ReadWrite), which
 * only the OCIS Admin role carries (services/graph/pkg/service/v0/service.go; settings defaults).
 */
import { z } from "zod";
import type { TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { slugField } from "../core/schema";
import {
  createObject,
  deleteOrGone,
  expectOk,
  graphClient,
  okOrNotFound,
  singleShotClient,
  type AnyOcisConnection,
  type GraphClient,
} from "./client";
import { OCIS_CREDENTIAL } from "./connection";
import type { components } from "./libregraph.gen";

type Group = components["schemas"]["group"];

const schema = z.object({
  /** Tenant slug, for error messages. */
  tenant: slugField("tenant"),
  /** Exact display name of the tenant's Authentik group. */
  displayName: z.string().min(1, "displayName must be a non-empty string"),
  /** Take over an existing group of that name that this program did not create. */
  adopt: z.boolean().optional(),
});

export type GroupInputs = z.infer<typeof schema>;

export interface GroupOutputs extends GroupInputs {
  groupId: string;
}

function context(props: { tenant?: string; displayName?: string }, call: string) {
  return {
    service: "OCIS",
    tenant: props.tenant,
    object: `group "${props.displayName ?? "?"}"`,
    call,
    credential: OCIS_CREDENTIAL,
  };
}

/** The group with exactly this display name (case-insensitive, as LDAP compares cn), or undefined. */
async function findByName(client: GraphClient, props: GroupInputs): Promise<Group | undefined> {
  const search = `"${props.displayName}"`;
  const list = await expectOk(
    context(props, `GET /graph/v1.0/groups?$search=${search}`),
    client.GET("/v1.0/groups", { params: { query: { $search: search } } }),
  );
  const wanted = props.displayName.toLowerCase();
  return (list.value ?? []).find((g) => (g.displayName ?? "").toLowerCase() === wanted);
}

export const ocisGroupType: TypeSpec<GroupInputs, GroupOutputs, AnyOcisConnection> = {
  type: "ocis:Group",
  service: "ocis",
  schema,
  // Not the connection: a re-minted token never updates a group.
  updates: ["tenant", "displayName"],

  async create(op, inputs) {
    const client = graphClient(op.connection);
    const existing = await findByName(client, inputs);
    if (existing) {
      if (!inputs.adopt) {
        throw objectError(
          {
            service: "OCIS",
            tenant: inputs.tenant,
            object: `group "${inputs.displayName}" (${existing.id})`,
          },
          "exists but was not created by this program (perhaps synced at a user's login)",
          "set adopt: true to take it over",
        );
      }
      return { id: existing.id!, outs: { ...inputs, groupId: existing.id! } };
    }
    const once = singleShotClient(op.connection);
    const created = await createObject<Group>(
      context(inputs, "POST /graph/v1.0/groups"),
      // Absent before the first attempt, present now: made by an attempt whose answer was lost.
      () => findByName(client, inputs),
      () => once.POST("/v1.0/groups", { body: { displayName: inputs.displayName } }),
    );
    return { id: created.value.id!, outs: { ...inputs, groupId: created.value.id! } };
  },

  async read(op, id, props) {
    const group = await okOrNotFound(
      context(props, `GET /graph/v1.0/groups/${id}`),
      graphClient(op.connection).GET("/v1.0/groups/{group-id}", {
        params: { path: { "group-id": id } },
      }),
    );
    if (!group) return undefined;
    return { ...props, groupId: id, displayName: group.displayName ?? "" };
  },

  async update(op, id, olds, news) {
    if (olds.displayName !== news.displayName) {
      await expectOk(
        context(news, `PATCH /graph/v1.0/groups/${id}`),
        graphClient(op.connection).PATCH("/v1.0/groups/{group-id}", {
          params: { path: { "group-id": id } },
          body: { displayName: news.displayName },
        }),
      );
    }
    return { ...news, groupId: id };
  },

  /** A 404 here is "gone": group routes deny with 403 (requireAdmin), never with 404. */
  async delete(op, id, props) {
    await deleteOrGone(
      context(props, `DELETE /graph/v1.0/groups/${id}`),
      graphClient(op.connection).DELETE("/v1.0/groups/{group-id}", {
        params: { path: { "group-id": id } },
      }),
    );
  },
};
