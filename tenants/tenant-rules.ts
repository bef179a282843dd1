/**
 * Rules inside one tenant file that a field-by-field schema cannot express: plan quotas,
 * lifecycle fields, reserved and duplicate names. Pure; the schema turns them into issues.
 */
import { zoneNameProblem } from "@dezky/providers/rules";
import { PLANS, type PlanName } from "./plans";

/** The parsed fields these rules read. */
export interface TenantFacts {
  plan: PlanName;
  status: "active" | "suspended" | "offboarded";
  retainUntil?: string;
  purge: boolean;
  mailDomains: Array<{ name: string; dns: "hetzner" | "external" }>;
  customDomain?: string;
  departments: Array<{ slug: string }>;
  spaces: Array<{ key: string; name: string; quotaGb: number; grantTo: string }>;
  admins: string[];
  slug: string;
  renamedFrom: string[];
}

export interface PathProblem {
  path: (string | number)[];
  message: string;
}

/** Indexes of entries whose key appeared before, with the first index. */
function repeats(keys: string[]): Array<{ index: number; first: number }> {
  const first = new Map<string, number>();
  const found: Array<{ index: number; first: number }> = [];
  keys.forEach((k, index) => {
    const seen = first.get(k);
    if (seen === undefined) first.set(k, index);
    else found.push({ index, first: seen });
  });
  return found;
}

function lifecycleProblems(t: TenantFacts): PathProblem[] {
  const problems: PathProblem[] = [];
  if (t.status === "offboarded" && !t.retainUntil) {
    problems.push({
      path: ["retainUntil"],
      message: `is required when status is offboarded; set the date until which data is kept (at least ${PLANS[t.plan].minRetentionDays} days ahead on the ${t.plan} plan)`,
    });
  }
  if (t.status !== "offboarded" && t.retainUntil) {
    problems.push({
      path: ["retainUntil"],
      message: `is only for offboarded tenants (this one is ${t.status}); remove it`,
    });
  }
  if (t.purge && t.status !== "offboarded") {
    problems.push({
      path: ["purge"],
      message:
        "is only allowed for an offboarded tenant; set status: offboarded with retainUntil first, and purge in a later change after that date",
    });
  }
  return problems;
}

function quotaProblems(t: TenantFacts): PathProblem[] {
  const plan = PLANS[t.plan];
  const problems: PathProblem[] = [];
  const total = t.spaces.reduce((sum, s) => sum + s.quotaGb, 0);
  if (total > plan.storageGb) {
    problems.push({
      path: ["spaces"],
      message: `quotas add up to ${total} GB, over the ${t.plan} plan's ${plan.storageGb} GB; lower a quota or change plan`,
    });
  }
  if (t.spaces.length > plan.maxSpaces) {
    problems.push({
      path: ["spaces"],
      message: `has ${t.spaces.length} spaces, the ${t.plan} plan allows ${plan.maxSpaces}; remove spaces or change plan`,
    });
  }
  if (t.mailDomains.length > plan.maxMailDomains) {
    problems.push({
      path: ["mailDomains"],
      message: `has ${t.mailDomains.length} domains, the ${t.plan} plan allows ${plan.maxMailDomains}; remove domains or change plan`,
    });
  }
  return problems;
}

function nameProblems(t: TenantFacts): PathProblem[] {
  const problems: PathProblem[] = [];
  t.renamedFrom.forEach((former, i) => {
    if (former === t.slug || t.renamedFrom.indexOf(former) !== i) {
      problems.push({
        path: ["renamedFrom", i],
        message: `"${former}" is ${former === t.slug ? "the current slug" : "listed twice"}; list each former slug once, oldest first`,
      });
    }
  });
  const departments = new Set(t.departments.map((d) => d.slug));
  t.departments.forEach((d, i) => {
    if (d.slug === "all") {
      problems.push({
        path: ["departments", i, "slug"],
        message: `"all" is reserved (grantTo: "all" means the whole tenant); name the department differently, such as everyone`,
      });
    }
  });
  for (const { index, first } of repeats(t.departments.map((d) => d.slug))) {
    problems.push({
      path: ["departments", index, "slug"],
      message: `"${t.departments[index].slug}" is also departments.${first}; department slugs are unique in a tenant, rename or remove one`,
    });
  }
  if (!t.spaces.some((s) => s.key === "main")) {
    problems.push({ path: ["spaces"], message: 'needs a space with key "main"; add it' });
  }
  t.spaces.forEach((s, i) => {
    if (s.grantTo !== "all" && !departments.has(s.grantTo)) {
      problems.push({
        path: ["spaces", i, "grantTo"],
        message: `names department "${s.grantTo}", which is not in departments; add it there or grant to "all"`,
      });
    }
  });
  for (const { index } of repeats(t.spaces.map((s) => s.key))) {
    problems.push({
      path: ["spaces", index, "key"],
      message: `"${t.spaces[index].key}" is used twice; space keys must be unique, rename one`,
    });
  }
  for (const { index } of repeats(t.spaces.map((s) => normalSpaceName(s.name)))) {
    problems.push({
      path: ["spaces", index, "name"],
      message: `"${t.spaces[index].name}" names another space too; OCIS space names are unique in a cell, rename one`,
    });
  }
  for (const { index } of repeats(t.mailDomains.map((d) => d.name))) {
    problems.push({
      path: ["mailDomains", index, "name"],
      message: `"${t.mailDomains[index].name}" is listed twice; remove one`,
    });
  }
  for (const { index } of repeats(t.admins.map((a) => a.toLowerCase()))) {
    problems.push({
      path: ["admins", index],
      message: `"${t.admins[index]}" is listed twice; remove one`,
    });
  }
  const mailIndex = t.mailDomains.findIndex((d) => d.name === t.customDomain);
  if (t.customDomain && mailIndex >= 0) {
    problems.push({
      path: ["customDomain"],
      message: `"${t.customDomain}" is also mailDomains.${mailIndex}; its CNAME would hide the MX records, use a name under it such as cloud.${t.customDomain}`,
    });
  }
  return problems;
}

/** How OCIS compares space names: whitespace runs are one space, ends trimmed. */
export function normalSpaceName(name: string): string {
  return name.replace(/\s+/g, " ").trim();
}

/** Problems inside one tenant. */
/** A domain whose DNS we manage becomes a Hetzner Cloud DNS zone: only registrable domains. */
function managedZoneProblems(t: TenantFacts): PathProblem[] {
  return t.mailDomains.flatMap((d, index) => {
    const problem = d.dns === "hetzner" ? zoneNameProblem(d.name) : undefined;
    return problem
      ? [
          {
            path: ["mailDomains", index, "name"],
            message: `${problem}; or keep dns: "external" and have the customer publish the records in their own zone`,
          },
        ]
      : [];
  });
}

export function tenantSelfProblems(t: TenantFacts): PathProblem[] {
  return [
    ...lifecycleProblems(t),
    ...quotaProblems(t),
    ...nameProblems(t),
    ...managedZoneProblems(t),
  ];
}
