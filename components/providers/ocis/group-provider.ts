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
import type * as pulumi from "@pulumi/pulumi";
import type { RetryOptions } from "../http";
import {
  createOnce,
  deleteOrGone,
  expectOk,
  graphClient,
  okOrNotFound,
  OCIS_TOKEN_CONFIG_KEY,
  singleShotClient,
  type GraphClient,
  type OcisConnection,
} from "./client";
import type { components } from "./libregraph.gen";

type Group = components["schemas"]["group"];

export interface GroupInputs {
  connection: OcisConnection;
  /** Tenant slug, for error messages. */
  tenant: string;
  /** Exact display name of the tenant's Authentik group. */
  displayName: string;
  /** Take over an existing group of that name that this program did not create. */
  adopt?: boolean;
}

export interface GroupOutputs extends GroupInputs {
  groupId: string;
}

interface GroupProvider extends pulumi.dynamic.ResourceProvider {
  retry?: RetryOptions;
  configToken?: string;
}

/** Not `connection`: a re-minted token never updates a group. */
const INPUT_FIELDS: (keyof GroupInputs)[] = ["tenant", "displayName", "adopt"];

function context(props: { tenant?: string; displayName?: string }, call: string) {
  return {
    service: "OCIS",
    tenant: props.tenant,
    object: `group "${props.displayName ?? "?"}"`,
    call,
    credentialKey: OCIS_TOKEN_CONFIG_KEY,
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

export const groupProvider: GroupProvider = {
  async configure(req) {
    this.configToken = req.config.get("ocisServiceToken");
  },

  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const field of ["tenant", "displayName"] as const) {
      if (typeof news[field] !== "string" || news[field] === "") {
        failures.push({ property: field, reason: `${field} must be a non-empty string` });
      }
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds: GroupOutputs, news: GroupInputs) {
    const changed = INPUT_FIELDS.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: GroupInputs) {
    const conn = { url: inputs.connection.url, token: this.configToken ?? inputs.connection.token };
    const client = graphClient(conn, this.retry);
    const existing = await findByName(client, inputs);
    if (existing) {
      if (!inputs.adopt) {
        throw new Error(
          `OCIS: tenant "${inputs.tenant}": group "${inputs.displayName}" (${existing.id}) exists but was not created by this program (perhaps synced at a user's login); set adopt: true to take it over`,
        );
      }
      return { id: existing.id!, outs: { ...inputs, groupId: existing.id! } };
    }
    const once = singleShotClient(conn, this.retry);
    const created = await createOnce<Group>(
      context(inputs, "POST /graph/v1.0/groups"),
      this.retry ?? {},
      // Absent before the first attempt, present now: made by an attempt whose answer was lost.
      () => findByName(client, inputs),
      () => once.POST("/v1.0/groups", { body: { displayName: inputs.displayName } }),
    );
    return { id: created.value.id!, outs: { ...inputs, groupId: created.value.id! } };
  },

  async read(id: string, props: GroupOutputs) {
    const conn = { url: props.connection.url, token: this.configToken ?? props.connection.token };
    const group = await okOrNotFound(
      context(props, `GET /graph/v1.0/groups/${id}`),
      graphClient(conn, this.retry).GET("/v1.0/groups/{group-id}", {
        params: { path: { "group-id": id } },
      }),
    );
    if (!group) return { id: "", props: {} };
    return { id, props: { ...props, groupId: id, displayName: group.displayName ?? "" } };
  },

  async update(id: string, olds: GroupOutputs, news: GroupInputs) {
    if (olds.displayName !== news.displayName) {
      const conn = { url: news.connection.url, token: this.configToken ?? news.connection.token };
      await expectOk(
        context(news, `PATCH /graph/v1.0/groups/${id}`),
        graphClient(conn, this.retry).PATCH("/v1.0/groups/{group-id}", {
          params: { path: { "group-id": id } },
          body: { displayName: news.displayName },
        }),
      );
    }
    return { outs: { ...news, groupId: id } };
  },

  /** A 404 here is "gone": group routes deny with 403 (requireAdmin), never with 404. */
  async delete(id: string, props: GroupOutputs) {
    const conn = { url: props.connection.url, token: this.configToken ?? props.connection.token };
    await deleteOrGone(
      context(props, `DELETE /graph/v1.0/groups/${id}`),
      graphClient(conn, this.retry).DELETE("/v1.0/groups/{group-id}", {
        params: { path: { "group-id": id } },
      }),
    );
  },
};
