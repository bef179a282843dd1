/**
 * Authentik group of a tenant (or a department child group). The name is derived from the
 * tenant slug under the reserved TENANT_GROUP_PREFIX; the attributes carry the ownership labels
 * (core/markers.ts), which is how a create whose response was lost finds and adopts its own
 * group. Membership (`users`) is never sent: it is managed at sign-up, not here.
 * The id is the group's UUID.
 */
import { z } from "zod";
import { objectError } from "../core/errors";
import type { TypeSpec } from "../core/contract";
import { slugField } from "../core/schema";
import { call, isFieldConflict, isNotFound, openSession, type Session } from "./client";
import type { AuthentikConnection } from "./connection";
import {
  groupAttributes,
  isOwnGroup,
  sameSet,
  takeOverAttributes,
  tenantGroupName,
  TENANT_GROUP_PREFIX,
} from "./names";

const schema = z.object({
  tenant: slugField("tenant"),
  department: slugField("department").optional(),
  /** Parent group UUIDs (the tenant group's id for a department group). */
  parents: z.array(z.string().min(1)).optional(),
  /** Extra attributes besides the ownership labels. */
  extraAttributes: z.record(z.string(), z.string()).optional(),
  adopt: z.boolean().optional(),
});

export type GroupInputs = z.infer<typeof schema>;

export interface GroupOutputs extends GroupInputs {
  groupId: string;
  numPk: number;
  /** Observed: the name, parents and attributes Authentik holds. */
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

interface ApiGroup {
  pk: string;
  numPk: number;
  name: string;
  parents?: string[];
  attributes?: Record<string, unknown>;
}

function outputs(inputs: GroupInputs, g: ApiGroup): GroupOutputs {
  return {
    ...inputs,
    groupId: g.pk,
    numPk: g.numPk,
    name: g.name,
    parents: g.parents ?? [],
    attributes: g.attributes ?? {},
  };
}

/** What differs between the group Authentik holds (olds) and what `news` asks for. */
export function groupDrift(olds: GroupOutputs, news: GroupInputs): string[] {
  const want = desired(news);
  const changes: string[] = [];
  if (olds.name !== want.name) changes.push(news.department ? "department" : "tenant");
  if (!sameSet(olds.parents, want.parents)) changes.push("parents");
  const have = olds.attributes ?? {};
  const differ =
    Object.keys(have).length !== Object.keys(want.attributes).length ||
    Object.entries(want.attributes).some(([k, v]) => have[k] !== v);
  if (differ) changes.push("extraAttributes");
  return changes;
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
    throw objectError(
      { service: "Authentik", tenant: inputs.tenant, object: label(inputs) },
      `already exists and was not created by this program (names starting with "${TENANT_GROUP_PREFIX}" are reserved for tenant groups)`,
      "rename the hand-made group, or set adopt: true to take it over",
    );
  }
  return call(s, label(inputs), `PATCH /api/v3/core/groups/${found.pk}/`, () =>
    s.core.coreGroupsPartialUpdate({
      groupUuid: found.pk,
      patchedGroupRequest: {
        ...body,
        attributes: takeOverAttributes(found.attributes, body.attributes),
      },
    }),
  );
}

export const authentikGroupType: TypeSpec<GroupInputs, GroupOutputs, AuthentikConnection> = {
  type: "authentik:Group",
  service: "authentik",
  schema,
  updates: ["tenant", "department", "extraAttributes"],
  pending: (olds, news) => groupDrift(olds, news),
  deleteBeforeReplace: true,

  async create(op, inputs) {
    const s = openSession(op.connection, inputs.tenant);
    let group: ApiGroup | undefined;
    try {
      group = await call(s, label(inputs), "POST /api/v3/core/groups/", () =>
        s.core.coreGroupsCreate({ groupRequest: desired(inputs) }),
      );
    } catch (error) {
      if (!isFieldConflict(error, ["name"])) throw error;
      group = await takeOver(s, inputs);
      if (!group) throw error;
    }
    return { id: group.pk, outs: outputs(inputs, group) };
  },

  async read(op, id, props) {
    const s = openSession(op.connection, props.tenant);
    try {
      const g = await call(s, label(props), `GET /api/v3/core/groups/${id}/`, () =>
        s.core.coreGroupsRetrieve({ groupUuid: id, includeUsers: false }),
      );
      return outputs(props, g);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async update(op, id, _olds, news) {
    const s = openSession(op.connection, news.tenant);
    const g = await call(s, label(news), `PATCH /api/v3/core/groups/${id}/`, () =>
      s.core.coreGroupsPartialUpdate({ groupUuid: id, patchedGroupRequest: desired(news) }),
    );
    return outputs(news, g);
  },

  async delete(op, id, props) {
    const s = openSession(op.connection, props.tenant);
    try {
      await call(s, label(props), `DELETE /api/v3/core/groups/${id}/`, () =>
        s.core.coreGroupsDestroy({ groupUuid: id }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};
