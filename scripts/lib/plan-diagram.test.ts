import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import type { PlanDiff, ResourceChange } from "./plan-diff";
import { commentMarker, renderMarkdownPlan } from "./plan-markdown";
import {
  cellArea,
  label,
  MAX_TENANTS,
  renderPlanDiagram,
  tenantArea,
  tenantOf,
} from "./plan-diagram";
import type { TenantRow } from "./plan-render";

const CELL = "dezky:cell:Cell";
const TENANT = `${CELL}$dezky:tenant:Tenant`;
/** A change with the URN shape the program registers (type chain of parents, then name). */
const change = (chain: string, type: string, name: string): ResourceChange => ({
  urn: `urn:pulumi:prod::dezky::${chain}$${type}::${name}`,
  type,
  name,
  changes: [],
  replaceReasons: [],
  protect: false,
  retainOnDelete: false,
});
const row = (slug: string): TenantRow => ({
  slug,
  displayName: slug,
  plan: "business",
  status: "active",
  mailDomains: [],
  spaces: 1,
  storageGb: 100,
  retainUntil: null,
  purge: false,
  quotas: { main: 100 },
});
const empty = (): PlanDiff => ({
  stack: "prod",
  tenants: { added: [], removed: [], changed: [] },
  resources: { create: [], update: [], replace: [], delete: [] },
});

/** A new tenant `acme` (identity, files, mail, DNS) and a Stalwart update on the platform. */
function addTenant(): PlanDiff {
  const d = empty();
  d.tenants.added.push(row("acme"));
  d.resources.create.push(
    change(
      `${TENANT}$dezky:tenant:TenantIdentity`,
      "pulumi-nodejs:dynamic/authentik:Group",
      "prod-tenant-acme-identity-group",
    ),
    change(
      `${TENANT}$dezky:tenant:TenantIdentity`,
      "pulumi-nodejs:dynamic/authentik:Application",
      "prod-tenant-acme-identity-app",
    ),
    change(
      `${TENANT}$dezky:tenant:TenantFiles`,
      "pulumi-nodejs:dynamic/ocis:Space",
      "prod-tenant-acme-files-space-main",
    ),
    change(
      `${TENANT}$dezky:tenant:TenantMail`,
      "pulumi-nodejs:dynamic/stalwart:MailDomain",
      "prod-tenant-acme-mail-acme-de",
    ),
    change(
      `${TENANT}$dezky:tenant:TenantMail`,
      "hcloud:index/zoneRrset:ZoneRrset",
      "prod-tenant-acme-mail-acme-de-mx",
    ),
    change(TENANT, "hcloud:index/zoneRrset:ZoneRrset", "prod-tenant-acme-subdomain-a"),
    change(CELL, "dezky:tenant:Tenant", "prod-tenant-acme"),
  );
  d.resources.update.push(
    change(
      `${CELL}$dezky:platform:Platform$dezky:platform:Stalwart`,
      "command:remote:Command",
      "prod-stalwart-config",
    ),
  );
  return d;
}

/** Mermaid's own parser (the library GitHub renders with); it needs a DOM for its sanitizer. */
async function mermaidParse(block: string): Promise<string> {
  const g = globalThis as { window?: unknown };
  g.window ??= new JSDOM("").window;
  const { default: mermaid } = await import("mermaid");
  const source = block.replace(/^```mermaid\n/, "").replace(/\n```$/, "");
  const result = await mermaid.parse(source);
  return result ? result.diagramType : "invalid";
}

describe("renderPlanDiagram", () => {
  it("draws the tenant, its areas with counts, and the platform part that changes", () => {
    expect(renderPlanDiagram(addTenant())).toBe(
      [
        "```mermaid",
        "flowchart LR",
        '  cell(["cell prod"])',
        '  n1["tenant acme<br/>added"]',
        '  n2["DNS<br/>2 to create"]',
        '  n3["files<br/>1 to create"]',
        '  n4["identity<br/>2 to create"]',
        '  n5["mail<br/>1 to create"]',
        '  n6["platform<br/>1 to update"]',
        "  cell --> n1",
        "  n1 --> n2",
        "  n1 --> n3",
        "  n1 --> n4",
        "  n1 --> n5",
        "  cell --> n6",
        "  classDef create fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
        "  classDef update fill:#fff8c5,stroke:#9a6700,color:#1f2328",
        "  classDef replace fill:#ffe2cc,stroke:#bc4c00,color:#1f2328",
        "  classDef delete fill:#ffebe9,stroke:#cf222e,color:#1f2328",
        "  class n1,n2,n3,n4,n5 create",
        "  class n6 update",
        "```",
      ].join("\n"),
    );
  });

  it("is a flowchart Mermaid parses", async () => {
    expect(await mermaidParse(renderPlanDiagram(addTenant()))).toBe("flowchart-v2");
  });

  it("the parser check is real: a broken block fails it", async () => {
    const broken = renderPlanDiagram(addTenant()).replace('n1["tenant acme', 'n1["tenant "acme');
    await expect(mermaidParse(broken)).rejects.toThrow(/Parse error/);
  });

  it("colours a node by its strongest change and counts every kind", () => {
    const d = empty();
    d.tenants.changed.push({ slug: "weber", fields: [] });
    const group = change(
      `${TENANT}$dezky:tenant:TenantFiles`,
      "pulumi-nodejs:dynamic/ocis:Group",
      "prod-tenant-weber-files-group",
    );
    d.resources.update.push(group);
    d.resources.delete.push({ ...group, name: "prod-tenant-weber-files-space-old" });
    const out = renderPlanDiagram(d);
    expect(out).toContain('n2["files<br/>1 to update, 1 to delete"]');
    expect(out).toContain("  class n2 delete");
    expect(out).toContain("  class n1 update");
  });

  it("draws at most MAX_TENANTS tenants and sums the rest into one node", async () => {
    const d = empty();
    for (let i = 0; i < 30; i++) {
      const slug = `t${String(i).padStart(2, "0")}`;
      d.tenants.changed.push({ slug, fields: [] });
      d.resources.update.push(
        change(
          `${TENANT}$dezky:tenant:TenantIdentity`,
          "pulumi-nodejs:dynamic/authentik:Group",
          `prod-tenant-${slug}-identity-group`,
        ),
      );
    }
    const out = renderPlanDiagram(d);
    expect(out.match(/tenant t\d\d/g)).toHaveLength(MAX_TENANTS);
    expect(out).toContain(
      `["${30 - MAX_TENANTS} more tenant(s)<br/>${30 - MAX_TENANTS} to update"]`,
    );
    expect(await mermaidParse(out)).toBe("flowchart-v2");
  });

  it("nothing changed: no diagram", () => {
    expect(renderPlanDiagram(empty())).toBe("");
  });

  it("escapes what Mermaid would read as syntax", async () => {
    expect(label(['a "quoted" <b>', "#1"])).toBe('"a #quot;quoted#quot; #lt;b#gt;<br/>#35;1"');
    const d = empty();
    d.resources.update.push(
      change(`${CELL}$dezky:host:CloudHost`, "hcloud:index/server:Server", 'x"y'),
    );
    expect(await mermaidParse(renderPlanDiagram(d))).toBe("flowchart-v2");
  });
});

describe("classifying resources", () => {
  it("finds the tenant by the longest matching slug", () => {
    const r = change(TENANT, "x:y:Z", "prod-tenant-alt-verein-identity");
    expect(tenantOf(r, "prod", ["alt", "alt-verein"])).toBe("alt-verein");
    expect(
      tenantOf(change(CELL, "x:y:Z", "prod-tenant-alt-verein"), "prod", ["alt-verein"]),
    ).toBeUndefined();
  });

  it("puts mail DNS records under DNS, and cell parts under their module", () => {
    expect(
      tenantArea(
        change(`${TENANT}$dezky:tenant:TenantMail`, "hcloud:index/zoneRrset:ZoneRrset", "n"),
      ),
    ).toBe("DNS");
    expect(tenantArea(change(TENANT, "pulumi-nodejs:dynamic/stalwart:MailDomain", "n"))).toBe(
      "mail",
    );
    expect(
      cellArea(
        change(
          `${CELL}$dezky:storage:CellStorage$dezky:storage:HostBackup`,
          "command:remote:Command",
          "n",
        ),
      ),
    ).toBe("storage");
    expect(cellArea(change(CELL, "hcloud:index/sshKey:SshKey", "n"))).toBe("hcloud");
  });
});

describe("the PR comment", () => {
  it("shows the diagram under the summary", () => {
    const diff = addTenant();
    const doc = { stack: "prod", resources: [], tenants: [], outputs: {} };
    const md = renderMarkdownPlan({
      base: "main",
      before: doc,
      after: doc,
      diff,
      cost: { rows: [], beforeEur: 0, afterEur: 0, diffEur: 0 },
      policies: "none",
      production: true,
      destructive: [],
    });
    expect(md.startsWith(commentMarker("prod"))).toBe(true);
    const at = md.indexOf("#### What this change touches\n```mermaid\nflowchart LR\n");
    expect(at).toBeGreaterThan(md.indexOf("to create"));
    expect(at).toBeLessThan(md.indexOf("#### Tenants"));
  });
});
