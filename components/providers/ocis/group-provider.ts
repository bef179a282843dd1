/**
 * Dynamic provider for the OCIS group of a tenant. Groups from the IdP appear in OCIS only when
 * a member first logs in, so the group is created up front with the exact display name of the
 * tenant's Authentik group (login-time sync matches by display name). Lookups are exact
 * (GET /groups/{name} resolves a cn or id; the display name is compared again), never the
 * substring `$search`. The description carries a marker so a lost create is recognised.
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
import { groupMarker } from "./names";

type Group = components["schemas"]["group"];

export interface GroupInputs {
  connection: OcisConnection;
  /** Tenant slug, for the marker and error messages. */
  tenant: string;
  /** Exact display name of the tenant's Authentik group. */
  displayName: string;
  /** Take over an existing group of that name that carries no marker. */
  adopt?: boolean;
}

export interface GroupOutputs extends GroupInputs {
  groupId: string;
}

interface GroupProvider extends pulumi.dynamic.ResourceProvider {
  retry?: RetryOptions;
  configToken?: string;
}

const INPUT_FIELDS: (keyof GroupInputs)[] = ["connection", "tenant", "displayName", "adopt"];

function context(props: { tenant?: string; displayName?: string }, call: string) {
  return {
    service: "OCIS",
    tenant: props.tenant,
    object: `group "${props.displayName ?? "?"}"`,
    call,
    credentialKey: OCIS_TOKEN_CONFIG_KEY,
  };
}

/** The group with exactly this display name, or undefined. */
async function findExact(client: GraphClient, props: GroupInputs): Promise<Group | undefined> {
  const group = await okOrNotFound(
    context(props, `GET /graph/v1.0/groups/${props.displayName}`),
    client.GET("/v1.0/groups/{group-id}", { params: { path: { "group-id": props.displayName } } }),
  );
  return group?.displayName === props.displayName ? group : undefined;
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
    const marker = groupMarker(inputs.tenant);
    const existing = await findExact(client, inputs);
    if (existing) {
      if (!(existing.description ?? "").includes(marker)) {
        if (!inputs.adopt) {
          throw new Error(
            `OCIS: tenant "${inputs.tenant}": group "${inputs.displayName}" (${existing.id}) exists but was not created by this program (perhaps synced at a user's login); set adopt: true to take it over`,
          );
        }
        await expectOk(
          context(inputs, `PATCH /graph/v1.0/groups/${existing.id}`),
          client.PATCH("/v1.0/groups/{group-id}", {
            params: { path: { "group-id": existing.id! } },
            body: { description: `${existing.description ?? ""} ${marker}`.trim() },
          }),
        );
      }
      return { id: existing.id!, outs: { ...inputs, groupId: existing.id! } };
    }
    const once = singleShotClient(conn, this.retry);
    const created = await createOnce<Group>(
      context(inputs, "POST /graph/v1.0/groups"),
      this.retry ?? {},
      async () => {
        const found = await findExact(client, inputs);
        return found && (found.description ?? "").includes(marker) ? found : undefined;
      },
      () =>
        once.POST("/v1.0/groups", {
          body: { displayName: inputs.displayName, description: marker },
        }),
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
