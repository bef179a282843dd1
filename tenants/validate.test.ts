import { describe, expect, it } from "vitest";
import type { TenantInput } from "./schema";
import { type TenantFile, TenantValidationError, validateTenantFiles } from "./validate";

const DOMAINS = { dev: "dev.dezky.eu", prod: "dezky.eu" };

function tenant(slug: string, extra: Partial<TenantInput> = {}): TenantInput {
  return {
    slug,
    displayName: `Tenant ${slug}`,
    plan: "starter",
    branding: { primaryColor: "#112233", logoUrl: "https://example.com/logo.png" },
    spaces: [{ key: "main", name: `Main ${slug}`, quotaGb: 50 }],
    admins: ["admin@example.com"],
    ...extra,
  };
}

function file(stack: string, value: TenantInput, name = value.slug): TenantFile {
  return { file: `tenants/${stack}/${name}.ts`, stack, value };
}

/** The problems reported for a set of files (fails the test if none are). */
function problems(files: TenantFile[]): string[] {
  try {
    validateTenantFiles(files, DOMAINS);
  } catch (error) {
    if (error instanceof TenantValidationError) return error.problems;
    throw error;
  }
  throw new Error("expected the tenant set to be rejected");
}

describe("tenant validation", () => {
  it("accepts a valid set and applies defaults", () => {
    const [valid] = validateTenantFiles([file("prod", tenant("acme"))], DOMAINS);
    expect(valid.tenant.status).toBe("active");
    expect(valid.tenant.spaces[0]).toMatchObject({ grantTo: "all", role: "editor" });
  });

  it("rejects a duplicate slug across stacks, naming both files", () => {
    expect(problems([file("prod", tenant("acme")), file("dev", tenant("acme"))])).toEqual([
      'tenants/dev/acme.ts: slug: "acme" is also the slug of tenants/prod/acme.ts; slugs are unique across all stacks, choose another',
    ]);
  });

  it("rejects a mail domain claimed by two tenants", () => {
    const a = tenant("acme", { mailDomains: [{ name: "acme.de" }] });
    const b = tenant("beta", { mailDomains: [{ name: "acme.de" }] });
    expect(problems([file("prod", a), file("prod", b)])).toEqual([
      'tenants/prod/beta.ts: mailDomains.0.name: "acme.de" is also claimed by tenants/prod/acme.ts; a domain belongs to one tenant',
    ]);
  });

  it("rejects a custom domain that is another tenant's mail domain", () => {
    const a = tenant("acme", { mailDomains: [{ name: "acme.de" }] });
    const b = tenant("beta", { customDomain: "acme.de" });
    expect(problems([file("prod", a), file("prod", b)])).toEqual([
      'tenants/prod/beta.ts: customDomain: "acme.de" is also claimed by tenants/prod/acme.ts; a domain belongs to one tenant',
    ]);
  });

  it("rejects a reserved slug", () => {
    expect(problems([file("prod", tenant("auth"))])).toEqual([
      "tenants/prod/auth.ts: slug: is reserved for a platform host name; choose another slug",
    ]);
  });

  it("rejects an invalid DNS name", () => {
    expect(
      problems([file("prod", tenant("acme", { mailDomains: [{ name: "Acme_Mail.de." }] }))]),
    ).toEqual([
      "tenants/prod/acme.ts: mailDomains.0.name: is not a valid lower-case DNS name; write it like example.de (no scheme, no trailing dot)",
    ]);
  });

  it("rejects a domain inside the platform domain that is not the tenant's own", () => {
    expect(
      problems([file("prod", tenant("acme", { mailDomains: [{ name: "files.dezky.eu" }] }))]),
    ).toEqual([
      'tenants/prod/acme.ts: mailDomains.0.name: "files.dezky.eu" is inside the platform domain dezky.eu of stack prod; only acme.dezky.eu and names under it belong to this tenant',
    ]);
  });

  it("rejects an unknown plan", () => {
    expect(problems([file("prod", tenant("acme", { plan: "platinum" as "starter" }))])).toEqual([
      "tenants/prod/acme.ts: plan: is not a plan; use one of starter, business, enterprise",
    ]);
  });

  it("rejects quotas over the plan", () => {
    const t = tenant("acme", {
      spaces: [
        { key: "main", name: "Main", quotaGb: 80 },
        { key: "extra", name: "Extra", quotaGb: 40 },
      ],
    });
    expect(problems([file("prod", t)])).toEqual([
      "tenants/prod/acme.ts: spaces: quotas add up to 120 GB, over the starter plan's 100 GB; lower a quota or change plan",
    ]);
  });

  it("rejects a tenant on a stack that does not exist", () => {
    expect(problems([file("qa", tenant("acme"))])).toEqual([
      "tenants/qa/acme.ts: (file): tenants/qa/ is not a stack (known: dev, prod); move the file under tenants/<stack>/ or add stacks/qa.ts",
    ]);
  });

  it("rejects a file whose name is not its slug", () => {
    expect(problems([file("prod", tenant("acme"), "acme-gmbh")])).toEqual([
      'tenants/prod/acme-gmbh.ts: slug: "acme" must match the file name; rename the file to acme.ts or set slug: "acme-gmbh"',
    ]);
  });

  it("rejects offboarding without a retention date and purge without offboarding", () => {
    expect(
      problems([
        file("prod", tenant("acme", { status: "offboarded" })),
        file("prod", tenant("beta", { purge: true })),
      ]),
    ).toEqual([
      "tenants/prod/acme.ts: retainUntil: is required when status is offboarded; set the date until which data is kept (at least 30 days ahead on the starter plan)",
      "tenants/prod/beta.ts: purge: is only allowed for an offboarded tenant; set status: offboarded with retainUntil first, and purge in a later change after that date",
    ]);
  });

  it("rejects a space granted to an unknown department", () => {
    const t = tenant("acme", {
      spaces: [
        { key: "main", name: "Main", quotaGb: 10 },
        { key: "hr", name: "HR", quotaGb: 10, grantTo: "hr" },
      ],
    });
    expect(problems([file("prod", t)])).toEqual([
      'tenants/prod/acme.ts: spaces.1.grantTo: names department "hr", which is not in departments; add it there or grant to "all"',
    ]);
  });

  it("reports every problem of every file at once", () => {
    const found = problems([file("prod", tenant("auth")), file("qa", tenant("acme"))]);
    expect(found).toHaveLength(2);
  });
});
