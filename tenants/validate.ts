/**
 * Pure checks of a tenant set: each file against the schema, then across files and stacks.
 * Every problem names the file, the field and the fix; all problems are reported at once.
 */
import { ConfigurationError, formatIssues, problem } from "../stacks/issues";
import { type Tenant, parseTenant, tenantSchema } from "./schema";
import { normalSpaceName } from "./tenant-rules";

/** A tenant file as read from disk, before validation. */
export interface TenantFile {
  /** Path relative to the repository, e.g. tenants/prod/acme.ts. */
  file: string;
  /** The stack folder it sits in. */
  stack: string;
  /** The file's default export. */
  value: unknown;
}

export interface ValidTenant {
  file: string;
  stack: string;
  tenant: Tenant;
}

/** The error of an invalid tenant set (the same class as every configuration problem). */
export { ConfigurationError as TenantValidationError };

/** Platform domain per stack, for the checks that involve the stacks' domains. */
export type StackDomains = Record<string, string>;

export interface ValidateOptions {
  /** Stacks whose environment file exists but is broken: their tenants are not "on an unknown stack". */
  brokenStacks?: string[];
}

function baseName(file: string): string {
  return file
    .split("/")
    .pop()!
    .replace(/\.(ts|js)$/, "");
}

/** Problems of one file alone, or its tenant. */
function checkFile(
  f: TenantFile,
  knownStacks: string[],
  options: ValidateOptions,
): { tenant?: Tenant; problems: string[] } {
  const broken = options.brokenStacks?.includes(f.stack) ?? false;
  if (!knownStacks.includes(f.stack) && !broken) {
    return {
      problems: [
        problem(
          f.file,
          "(file)",
          `tenants/${f.stack}/ is not a stack (known: ${knownStacks.join(", ")}); move the file under tenants/<stack>/ or add stacks/${f.stack}.ts`,
        ),
      ],
    };
  }
  if (f.value === undefined) {
    return {
      problems: [
        problem(
          f.file,
          "(file)",
          "has no default export; end it with export default defineTenant({...})",
        ),
      ],
    };
  }
  const parsed = parseTenant(f.value);
  if (!parsed.success) return { problems: formatIssues(f.file, parsed.error, tenantSchema) };
  if (parsed.data.slug !== baseName(f.file)) {
    return {
      problems: [
        problem(
          f.file,
          "slug",
          `"${parsed.data.slug}" must match the file name; rename the file to ${parsed.data.slug}.ts or set slug: "${baseName(f.file)}"`,
        ),
      ],
    };
  }
  // A tenant of a stack whose environment is broken is checked alone (its domain is unknown).
  return { tenant: broken ? undefined : parsed.data, problems: [] };
}

/** Validates every file and the set as a whole; throws a ConfigurationError listing all problems. */
export function validateTenantFiles(
  files: TenantFile[],
  stackDomains: StackDomains,
  options: ValidateOptions = {},
): ValidTenant[] {
  const problems: string[] = [];
  const valid: ValidTenant[] = [];
  const knownStacks = Object.keys(stackDomains);
  for (const f of files) {
    const checked = checkFile(f, knownStacks, options);
    problems.push(...checked.problems);
    if (checked.tenant) valid.push({ file: f.file, stack: f.stack, tenant: checked.tenant });
  }
  problems.push(...crossFileProblems(valid, stackDomains));
  if (problems.length > 0) throw new ConfigurationError(problems);
  return valid;
}

/** Is `name` equal to `domain` or a name under it? */
function isWithin(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/** The Authentik/OCIS group names of a tenant (components/providers/authentik/names.ts). */
export function groupNames(tenant: Tenant): string[] {
  // External names keep the first slug a tenant had (components/tenant/shared.ts externalSlug).
  const slug = tenant.renamedFrom[0] ?? tenant.slug;
  return [`dezky-${slug}`, ...tenant.departments.map((d) => `dezky-${slug}--${d.slug}`)];
}

/** Checks that need every tenant at once: unique names and domains, platform domains kept. */
export function crossFileProblems(tenants: ValidTenant[], stackDomains: StackDomains): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  /** Claims a unique name; a second claim is a problem naming the first owner. */
  const claim = (kind: string, value: string, file: string, field: string, fix: string) => {
    const owner = owners.get(`${kind}:${value}`);
    if (owner && owner !== file) {
      problems.push(problem(file, field, `"${value}" is also ${kind} ${owner}; ${fix}`));
      return false;
    }
    owners.set(`${kind}:${value}`, file);
    return true;
  };
  const platforms = Object.entries(stackDomains);
  // Current slugs first, so a clash with a former slug is reported on the former one.
  const slugFree = new Map(
    tenants.map(({ file, tenant }) => [
      file,
      claim(
        "the slug of",
        tenant.slug,
        file,
        "slug",
        "slugs are unique across all stacks, choose another",
      ),
    ]),
  );
  for (const { file, stack, tenant } of tenants) {
    // A former slug (renamedFrom) stays its tenant's: its subdomain still receives mail.
    const formersFree = tenant.renamedFrom.map((former, i) =>
      claim(
        "the slug of",
        former,
        file,
        `renamedFrom.${i}`,
        "a former slug stays reserved for its tenant, choose another",
      ),
    );
    // Group names follow from the slug; checked apart in case the naming rule ever changes.
    if (slugFree.get(file) && formersFree.every(Boolean))
      groupNames(tenant).forEach((group, i) =>
        claim(
          "a group name of",
          group,
          file,
          i === 0 ? "slug" : `departments.${i - 1}.slug`,
          "group names are unique in Authentik and OCIS, rename the department or the tenant",
        ),
      );
    tenant.spaces.forEach((s, i) =>
      claim(
        `a space name on stack ${stack}, in`,
        normalSpaceName(s.name),
        file,
        `spaces.${i}.name`,
        "OCIS space names are unique in a cell, prefix it with the tenant's name",
      ),
    );
    const own = `${tenant.slug}.${stackDomains[stack]}`;
    for (const [otherStack, domain] of platforms) {
      if (otherStack !== stack && isWithin(domain, own)) {
        problems.push(
          problem(
            file,
            "slug",
            `"${tenant.slug}" makes ${own}, ${domain === own ? "" : `which holds ${domain}, `}the platform domain of stack ${otherStack}; choose another slug`,
          ),
        );
      }
    }
    const checkDomain = (domain: string, field: string) => {
      for (const [otherStack, platform] of platforms) {
        if (isWithin(domain, platform) && !isWithin(domain, own)) {
          problems.push(
            problem(
              file,
              field,
              `"${domain}" is inside the platform domain ${platform} of stack ${otherStack}; only ${own} and names under it belong to this tenant`,
            ),
          );
          return;
        }
      }
      claim("claimed by", domain, file, field, "a domain belongs to one tenant");
    };
    tenant.mailDomains.forEach((d, i) => checkDomain(d.name, `mailDomains.${i}.name`));
    if (tenant.customDomain) checkDomain(tenant.customDomain, "customDomain");
  }
  problems.push(...nestedDomainProblems(tenants));
  return problems;
}

/** A domain under another tenant's domain would let one customer claim the other's names. */
function nestedDomainProblems(tenants: ValidTenant[]): string[] {
  // Names claimed twice are reported once, above; they own nothing here.
  const claims = new Map<string, string[]>();
  for (const { file, tenant } of tenants) {
    for (const name of [...tenant.mailDomains.map((d) => d.name), tenant.customDomain]) {
      if (name) claims.set(name, [...(claims.get(name) ?? []), file]);
    }
  }
  const owner = new Map(
    [...claims].filter(([, files]) => new Set(files).size === 1).map(([n, [f]]) => [n, f]),
  );
  const problems: string[] = [];
  for (const { file, tenant } of tenants) {
    const named = [
      ...tenant.mailDomains.map((d, i) => ({ name: d.name, field: `mailDomains.${i}.name` })),
      ...(tenant.customDomain ? [{ name: tenant.customDomain, field: "customDomain" }] : []),
    ];
    for (const { name, field } of named) {
      const labels = name.split(".");
      for (let i = 1; i < labels.length - 1; i++) {
        const parent = labels.slice(i).join(".");
        const other = owner.get(parent);
        if (other && other !== file) {
          problems.push(
            problem(
              file,
              field,
              `"${name}" is under ${parent}, a domain of ${other}; a domain and the names under it belong to one tenant`,
            ),
          );
          break;
        }
      }
    }
  }
  return problems;
}
