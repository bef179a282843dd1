/**
 * Dynamic provider for a tenant's Authentik group (or a department child group). The name is
 * derived from the tenant slug under the reserved TENANT_GROUP_PREFIX; the attributes carry the
 * tenant slug and the ownership marker, which is how a create whose response was lost finds and
 * adopts its own group. Membership (`users`) is never sent: it is managed at sign-up, not here.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  checkSlug,
  groupAttributes,
  isOwnGroup,
  sameSet,
  tenantGroupName,
  TENANT_GROUP_PREFIX,
} from "./names";
import {
  AuthentikConnection,
  HttpTuning,
  call,
  isFieldConflict,
  isNotFound,
  openSession,
  type Session,
} from "./session";

export interface GroupInputs {
  connection: AuthentikConnection;
  tenant: string;
  department?: string;
  parents?: string[];
  extraAttributes?: Record<string, string>;
  adopt?: boolean;
  http?: HttpTuning;
}

export interface GroupOutputs extends GroupInputs {
  groupId: string;
  numPk: number;
  name: string;
  attributes: Record<string, unknown>;
}

function desired(inputs: GroupInputs) {
  return {
    name: tenantGroupName(inputs.tenant, inputs.department),
    isSuperuser: false,
    parents: inputs.parents ?? [],
    attributes: groupAttributes(inputs.tenant, inputs.department, inputs.extraAttributes),
  };
}

function label(inputs: GroupInputs): string {
  return `group "${tenantGroupName(inputs.tenant, inputs.department)}"`;
}

function outputs(
  inputs: GroupInputs,
  g: {
    pk: string;
    numPk: number;
    name: string;
    parents?: string[];
    attributes?: Record<string, unknown>;
  },
): GroupOutputs {
  return {
    ...inputs,
    groupId: g.pk,
    numPk: g.numPk,
    name: g.name,
    parents: g.parents ?? [],
    attributes: g.attributes ?? {},
  };
}

/** A group with our name exists: adopt it when it is ours (lost response) or `adopt` says so. */
async function takeOver(s: Session, inputs: GroupInputs) {
  const body = desired(inputs);
  const list = await call(s, label(inputs), "GET /api/v3/core/groups/?name=", () =>
    s.core.coreGroupsList({ name: body.name, includeUsers: false }),
  );
  const found = list.results.find((g) => g.name === body.name);
  if (!found) return undefined;
  if (!isOwnGroup(found.attributes, inputs.tenant, inputs.department) && !inputs.adopt) {
    throw new Error(
      `Authentik: tenant "${inputs.tenant}": ${label(inputs)} already exists and was not created by this program ` +
        `(names starting with "${TENANT_GROUP_PREFIX}" are reserved for tenant groups). ` +
        `Rename the hand-made group, or set adopt: true to take it over.`,
    );
  }
  return call(s, label(inputs), `PATCH /api/v3/core/groups/${found.pk}/`, () =>
    s.core.coreGroupsPartialUpdate({
      groupUuid: found.pk,
      patchedGroupRequest: { ...body, attributes: { ...found.attributes, ...body.attributes } },
    }),
  );
}

export const groupProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: GroupInputs, news: GroupInputs) {
    const failures = [
      ["tenant", checkSlug("tenant", news.tenant)],
      [
        "department",
        news.department === undefined ? undefined : checkSlug("department", news.department),
      ],
    ]
      .filter(([, reason]) => reason)
      .map(([property, reason]) => ({ property: property!, reason: reason! }));
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: GroupOutputs, news: GroupInputs) {
    const want = desired(news);
    const changes: string[] = [];
    if (olds.name !== want.name) changes.push(news.department ? "department" : "tenant");
    if (!sameSet(olds.parents, want.parents)) changes.push("parents");
    const have = olds.attributes ?? {};
    const attrsDiffer =
      Object.keys(have).length !== Object.keys(want.attributes).length ||
      Object.entries(want.attributes).some(([k, v]) => have[k] !== v);
    if (attrsDiffer) changes.push("extraAttributes");
    if (JSON.stringify(olds.connection) !== JSON.stringify(news.connection))
      changes.push("connection");
    return { changes: changes.length > 0, replaces: [], deleteBeforeReplace: true };
  },

  async create(inputs: GroupInputs) {
    const s = openSession(inputs.connection, inputs.tenant, inputs.http);
    const body = desired(inputs);
    let group;
    try {
      group = await call(s, label(inputs), "POST /api/v3/core/groups/", () =>
        s.core.coreGroupsCreate({ groupRequest: body }),
      );
    } catch (error) {
      if (!isFieldConflict(error, ["name"])) throw error;
      group = await takeOver(s, inputs);
      if (!group) throw error;
    }
    return { id: group.pk, outs: outputs(inputs, group) };
  },

  async read(id: string, props: GroupOutputs) {
    const s = openSession(props.connection, props.tenant, props.http);
    try {
      const g = await call(s, label(props), `GET /api/v3/core/groups/${id}/`, () =>
        s.core.coreGroupsRetrieve({ groupUuid: id, includeUsers: false }),
      );
      return { id, props: outputs(props, g) };
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} };
      throw error;
    }
  },

  async update(id: string, _olds: GroupOutputs, news: GroupInputs) {
    const s = openSession(news.connection, news.tenant, news.http);
    const g = await call(s, label(news), `PATCH /api/v3/core/groups/${id}/`, () =>
      s.core.coreGroupsPartialUpdate({ groupUuid: id, patchedGroupRequest: desired(news) }),
    );
    return { outs: outputs(news, g) };
  },

  async delete(id: string, props: GroupOutputs) {
    const s = openSession(props.connection, props.tenant, props.http);
    try {
      await call(s, label(props), `DELETE /api/v3/core/groups/${id}/`, () =>
        s.core.coreGroupsDestroy({ groupUuid: id }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};
