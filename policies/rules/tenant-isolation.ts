/**
 * Tenant isolation: open-source Authentik has no tenants, so isolation is by group. Every tenant
 * application is bound to a group of its own tenant and no other; every OCIS space membership
 * grants a group of the space's tenant; group names carry the reserved prefix `dezky-<tenant>`.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { referenced } from "./references";
import { isRole, type Role } from "./types";
import { str } from "./util";

export const GROUP_PREFIX = "dezky-";

const of = (resources: PolicyResource[], role: Role) =>
  resources.filter((r) => isRole(r.type, role));
const tenantOf = (r: PolicyResource) => str(r.props, "tenant");

/** A tenant group name must be `dezky-<tenant>` or `dezky-<tenant>--<department>`. */
export function groupNameProblem(
  name: string | undefined,
  tenant: string | undefined,
): string | undefined {
  if (name === undefined) return undefined;
  if (!name.startsWith(GROUP_PREFIX))
    return `group name "${name}" lacks the reserved prefix ${GROUP_PREFIX}`;
  if (
    tenant &&
    name !== `${GROUP_PREFIX}${tenant}` &&
    !name.startsWith(`${GROUP_PREFIX}${tenant}--`)
  ) {
    return `group name "${name}" is not ${GROUP_PREFIX}${tenant} or ${GROUP_PREFIX}${tenant}--<department>`;
  }
  return undefined;
}

/** Every isolation problem in the stack, with the URN it concerns. */
export function isolationProblems(
  resources: PolicyResource[],
): Array<{ urn: string; message: string }> {
  const out: Array<{ urn: string; message: string }> = [];
  const add = (r: PolicyResource, message: string) =>
    out.push({ urn: r.urn, message: `${r.name}: ${message}` });
  const akGroups = of(resources, "authentikGroup");
  const apps = of(resources, "authentikApplication");
  const ocisGroups = of(resources, "ocisGroup");
  const spaces = of(resources, "ocisSpace");

  for (const group of [...akGroups, ...ocisGroups]) {
    if (!tenantOf(group)) add(group, "group has no tenant");
    const name = str(group.props, "displayName") ?? str(group.props, "name");
    const problem = groupNameProblem(name, tenantOf(group));
    if (problem) add(group, problem);
  }
  for (const app of apps) {
    const group = referenced(app, "accessGroup", akGroups);
    if (!group)
      add(
        app,
        "application is not bound to a tenant group (accessGroup); it would be open to every user",
      );
    else if (tenantOf(group) !== tenantOf(app)) {
      add(
        app,
        `application of tenant ${tenantOf(app)} is bound to group ${group.name} of tenant ${tenantOf(group)}`,
      );
    }
  }
  for (const binding of of(resources, "authentikPolicyBinding")) {
    const group = referenced(binding, "group", akGroups);
    const app = referenced(binding, "target", apps) ?? referenced(binding, "application", apps);
    const tenant = tenantOf(app ?? binding);
    if (group && tenantOf(group) !== tenant) {
      add(
        binding,
        `binds group ${group.name} (tenant ${tenantOf(group)}) to an application of tenant ${tenant}`,
      );
    }
  }
  for (const member of of(resources, "ocisSpaceMember")) {
    const group = referenced(member, "groupId", ocisGroups);
    const space = referenced(member, "driveId", spaces);
    const tenant = tenantOf(space ?? member);
    if (!group) add(member, "space membership grants no known tenant group (groupId)");
    else if (tenantOf(group) !== tenant) {
      add(
        member,
        `space of tenant ${tenant} is granted to group ${group.name} of tenant ${tenantOf(group)}`,
      );
    }
    if (space && tenantOf(member) && tenantOf(member) !== tenantOf(space)) {
      add(
        member,
        `membership of tenant ${tenantOf(member)} targets space ${space.name} of tenant ${tenantOf(space)}`,
      );
    }
  }
  return out;
}

export const tenantIsolation: StackValidationPolicy = {
  name: "tenant-isolation",
  description:
    "Tenant applications and OCIS spaces are granted only to groups of the same tenant; group names carry the dezky- prefix.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateStack: (args, report) => {
    for (const { urn, message } of isolationProblems(args.resources)) report(`${message}.`, urn);
  },
};
