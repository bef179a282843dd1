/**
 * Which path a plan takes and what its PR view reports on (pure), and the stand-ins the fast
 * path gives the stack-wide capacity rule: they must count as the tenants they replace.
 */
import { describe, expect, it } from "vitest";
import { cellLoad } from "../../policies/rules/capacity";
import { toPolicyResources } from "../../policies/inventory-args";
import { tenantSchema } from "../../tenants/schema";
import { benchTenant } from "./bench-tenants";
import {
  changeKind,
  changedSlugs,
  findingFilter,
  planRoute,
  tenantOfResources,
  viewScope,
} from "./plan-scope";
import { standIns } from "./plan-stand-ins";

describe("planRoute", () => {
  it("takes the fast path for tenant files (any stack) and files without effect", () => {
    const change = changeKind([
      "tenants/prod/acme.ts",
      "tenants/dev/old.ts",
      "docs/tenants.md",
      "README.md",
      "test/blast-radius.test.ts",
      "components/tenant/tenant.test.ts",
      ".github/workflows/ci.yml",
      "node_modules",
    ]);
    expect(planRoute(change, "markdown")).toEqual({
      kind: "fast",
      tenantPaths: ["tenants/dev/old.ts", "tenants/prod/acme.ts"],
    });
  });

  it.each([
    ["components/cell.ts"],
    ["stacks/prod.ts"],
    ["stacks/Pulumi.prod.yaml"],
    ["tenants/schema.ts"],
    ["tenants/validate.ts"],
    ["tenants/prod/archive/old.ts"],
    ["policies/rules/capacity.ts"],
    ["package-lock.json"],
    ["scripts/lib/mock-outputs.ts"],
    ["tsconfig.json"],
  ])("plans the whole stack when %s changed", (file) => {
    expect(planRoute(changeKind(["tenants/prod/acme.ts", file]), "markdown")).toEqual({
      kind: "full",
      reason: `${file} changed`,
    });
  });

  it("plans the whole stack for the formats that print it", () => {
    const change = changeKind(["tenants/prod/acme.ts"]);
    expect(planRoute(change, "json")).toEqual({
      kind: "full",
      reason: "--format json prints the whole stack",
    });
    expect(planRoute(change, "text").kind).toBe("full");
  });
});

describe("the PR view's scope", () => {
  it("is the changed tenants of the stack, by every slug they have on either side", () => {
    const change = changeKind(["tenants/prod/old.ts", "tenants/prod/new.ts", "tenants/dev/x.ts"]);
    expect(changedSlugs(change.tenantOnly ? change.tenantPaths : [], "prod")).toEqual([
      "new",
      "old",
    ]);
    const scope = viewScope(change, "prod", ["a", "b", "new"]);
    expect(scope).toEqual({ all: false, slugs: new Set(["new", "old"]), otherTenants: 2 });
  });

  it("is every tenant after any other change", () => {
    expect(viewScope(changeKind(["components/cell.ts"]), "prod", ["a"])).toEqual({ all: true });
  });

  const cell = "prod-fsn1-a";
  const urn = (name: string) => `urn:pulumi:prod::dezky::t::${name}`;
  const resources = [
    { urn: urn("cell"), type: "dezky:cell:Cell", name: cell },
    { urn: urn("host"), type: "hcloud:index/server:Server", name: "host", parent: urn("cell") },
    {
      urn: urn("acme"),
      type: "dezky:tenant:Tenant",
      name: `${cell}-tenant-acme`,
      parent: urn("cell"),
    },
    // A slug that starts like another one: ownership comes from the parent chain, not the name.
    {
      urn: urn("acme-gmbh"),
      type: "dezky:tenant:Tenant",
      name: `${cell}-tenant-acme-gmbh`,
      parent: urn("cell"),
    },
    {
      urn: urn("acme-files"),
      type: "dezky:tenant:TenantFiles",
      name: `${cell}-tenant-acme-files`,
      parent: urn("acme"),
    },
    {
      urn: urn("acme-gmbh-space"),
      type: "pulumi-nodejs:dynamic/ocis:Space",
      name: `${cell}-tenant-acme-gmbh-files-space-main`,
      parent: urn("acme-gmbh"),
    },
  ];

  it("knows each resource's tenant from its parent chain", () => {
    expect(Object.fromEntries(tenantOfResources(resources, cell))).toEqual({
      [urn("acme")]: "acme",
      [urn("acme-files")]: "acme",
      [urn("acme-gmbh")]: "acme-gmbh",
      [urn("acme-gmbh-space")]: "acme-gmbh",
    });
  });

  it("keeps findings on the stack, the cell and the tenants in scope; drops the rest", () => {
    const keep = findingFilter(
      { all: false, slugs: new Set(["acme"]), otherTenants: 1 },
      resources,
      cell,
    );
    expect(keep(undefined)).toBe(true);
    expect(keep(urn("host"))).toBe(true);
    expect(keep(urn("acme-files"))).toBe(true);
    expect(keep(urn("acme-gmbh-space"))).toBe(false);
    expect(keep("urn:dezky:stand-in:other:main")).toBe(false);
    expect(findingFilter({ all: true }, resources, cell)(urn("acme-gmbh-space"))).toBe(true);
  });
});

describe("stand-ins for the capacity rule", () => {
  it("count every tenant once and add up its space quotas as the real spaces do", () => {
    const tenants = [0, 1, 2, 5, 8].map((i) => tenantSchema.parse(benchTenant(i)));
    tenants[1] = { ...tenants[1], renamedFrom: ["former"] };
    const load = cellLoad(toPolicyResources(standIns(tenants)));
    expect(load.tenants).toEqual(
      [tenants[0].slug, "former", tenants[2].slug, tenants[3].slug, tenants[4].slug].sort(),
    );
    const gb = tenants.flatMap((t) => t.spaces).reduce((sum, s) => sum + s.quotaGb, 0);
    expect(load.quotaGb).toBe(Math.round(((gb * 1024 ** 3) / 1e9) * 10) / 10);
  });
});
