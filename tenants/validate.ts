/**
 * Pure checks of a tenant set: each file against the schema, then across files. Every error
 * names the file, the field and the fix; all errors are reported at once.
 */
import { formatIssues } from "../stacks/schema";
import { type Tenant, tenantSchema } from "./schema";

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

export class TenantValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid tenant files (nothing was deployed):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
    this.name = "TenantValidationError";
  }
}

/** Platform domain per stack, for the checks that involve the stack's domain. */
export type StackDomains = Record<string, string>;

function baseName(file: string): string {
  return file
    .split("/")
    .pop()!
    .replace(/\.(ts|js)$/, "");
}

/** Validates every file and the set as a whole; throws TenantValidationError listing all problems. */
export function validateTenantFiles(
  files: TenantFile[],
  stackDomains: StackDomains,
): ValidTenant[] {
  const problems: string[] = [];
  const valid: ValidTenant[] = [];
  const knownStacks = Object.keys(stackDomains);
  for (const f of files) {
    if (!knownStacks.includes(f.stack)) {
      problems.push(
        `${f.file}: stack: "${f.stack}" is not a stack (known: ${knownStacks.join(", ")}); move the file under tenants/<stack>/ or add the stack`,
      );
      continue;
    }
    if (f.value === undefined) {
      problems.push(
        `${f.file}: (root): has no default export; end the file with export default defineTenant({...})`,
      );
      continue;
    }
    const parsed = tenantSchema.safeParse(f.value);
    if (!parsed.success) {
      problems.push(formatIssues(f.file, parsed.error));
      continue;
    }
    if (parsed.data.slug !== baseName(f.file)) {
      problems.push(
        `${f.file}: slug: "${parsed.data.slug}" must match the file name; rename the file to ${parsed.data.slug}.ts`,
      );
      continue;
    }
    valid.push({ file: f.file, stack: f.stack, tenant: parsed.data });
  }
  problems.push(...crossFileProblems(valid, stackDomains));
  if (problems.length > 0) throw new TenantValidationError(problems);
  return valid;
}

/** Checks that need every tenant at once: unique slugs and domains, domains inside the platform's. */
export function crossFileProblems(tenants: ValidTenant[], stackDomains: StackDomains): string[] {
  const problems: string[] = [];
  const slugOwner = new Map<string, string>();
  const domainOwner = new Map<string, string>();
  const claim = (domain: string, file: string, field: string) => {
    const owner = domainOwner.get(domain);
    if (owner && owner !== file) {
      problems.push(
        `${file}: ${field}: "${domain}" is already claimed by ${owner}; a domain belongs to one tenant`,
      );
    } else {
      domainOwner.set(domain, file);
    }
  };
  for (const { file, stack, tenant } of tenants) {
    const owner = slugOwner.get(tenant.slug);
    if (owner) {
      problems.push(
        `${file}: slug: "${tenant.slug}" is already used by ${owner}; slugs are unique across all stacks`,
      );
    } else {
      slugOwner.set(tenant.slug, file);
    }
    const platform = stackDomains[stack];
    const own = `${tenant.slug}.${platform}`;
    const checkPlatform = (domain: string, field: string) => {
      if (
        (domain === platform || domain.endsWith(`.${platform}`)) &&
        domain !== own &&
        !domain.endsWith(`.${own}`)
      ) {
        problems.push(
          `${file}: ${field}: "${domain}" is inside the platform domain ${platform}; only ${own} and names under it belong to this tenant`,
        );
      }
    };
    tenant.mailDomains.forEach((d, i) => {
      checkPlatform(d.name, `mailDomains.${i}.name`);
      claim(d.name, file, `mailDomains.${i}.name`);
    });
    if (tenant.customDomain) {
      checkPlatform(tenant.customDomain, "customDomain");
      claim(tenant.customDomain, file, "customDomain");
    }
  }
  return problems;
}
