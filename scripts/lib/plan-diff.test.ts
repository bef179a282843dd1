import { describe, expect, it } from "vitest";
import { costDiff, monthlyCost } from "./cost";
import { destructiveChanges, diffPlans, diffValues } from "./plan-diff";
import { commentMarker, renderDnsRecords, renderMarkdownPlan } from "./plan-markdown";
import type { PlanDocument, TenantRow } from "./plan-render";
import { replaceReasons } from "./plan-replace";

type R = PlanDocument["resources"][number];
const res = (
  name: string,
  type: string,
  inputs: Record<string, unknown>,
  over: Partial<R> = {},
): R => ({
  urn: `urn:pulumi:prod::dezky::${type}::${name}`,
  type,
  name,
  inputs,
  protect: false,
  retainOnDelete: false,
  dependsOn: [],
  custom: true,
  ...over,
});
const tenant = (slug: string, over: Partial<TenantRow> = {}): TenantRow => ({
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
  ...over,
});
const doc = (
  resources: R[],
  tenants: TenantRow[],
  outputs: Record<string, unknown> = {},
): PlanDocument => ({
  stack: "prod",
  resources,
  tenants,
  outputs,
});

const SERVER = "hcloud:index/server:Server";
const SPACE = "pulumi-nodejs:dynamic/ocis:Space";
const DOMAIN = "pulumi-nodejs:dynamic/stalwart:MailDomain";

describe("diffValues", () => {
  it("reports leaf paths", () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: "x" })).toEqual([
      { path: "b.c[1]", before: 2, after: 3 },
      { path: "d", before: undefined, after: "x" },
    ]);
  });
});

describe("replaceReasons", () => {
  it("knows replace-triggering inputs per type and treats everything else as update", () => {
    expect(replaceReasons(SERVER, ["location", "serverType", "labels.x"])).toEqual(["location"]);
    expect(replaceReasons(SERVER, ["serverType"])).toEqual([]);
    expect(replaceReasons("hcloud:index/zone:Zone", ["name", "ttl"])).toEqual(["name"]);
    expect(replaceReasons(DOMAIN, ["domain", "dkimRotation"])).toEqual(["domain"]);
    expect(replaceReasons(SPACE, ["quotaBytes", "name"])).toEqual([]);
    expect(replaceReasons("random:index/randomPassword:RandomPassword", ["length"])).toEqual([
      "length",
    ]);
    expect(
      replaceReasons("kubernetes:core/v1:Namespace", ["metadata.name", "metadata.labels.a"]),
    ).toEqual(["metadata.name"]);
  });
});

describe("diffPlans", () => {
  const before = doc(
    [
      res("host", SERVER, { serverType: "cx33", location: "nbg1", __provider: "old" }),
      res("acme-main", SPACE, { quotaBytes: 100, __provider: "x" }),
      res("old-domain", DOMAIN, { domain: "old.example" }, { protect: true }),
      res("weber-domain", DOMAIN, { domain: "weber.de", connection: "[secret]" }),
    ],
    [tenant("acme"), tenant("weber", { quotas: { main: 100 } })],
  );
  const after = doc(
    [
      res("host", SERVER, { serverType: "cx43", location: "nbg1", __provider: "new" }),
      res("acme-main", SPACE, { quotaBytes: 200, __provider: "y" }),
      res("weber-domain", DOMAIN, { domain: "weber-partner.de", connection: "[secret]" }),
      res("neu-main", SPACE, { quotaBytes: 50 }),
    ],
    [tenant("acme", { storageGb: 200, quotas: { main: 200 } }), tenant("neu", { plan: "starter" })],
  );
  const diff = diffPlans(before, after);

  it("sorts resources into create, update, replace and delete by URN, ignoring provider code", () => {
    expect(diff.resources.create.map((r) => r.name)).toEqual(["neu-main"]);
    expect(diff.resources.update.map((r) => [r.name, r.changes.map((c) => c.path)])).toEqual([
      ["host", ["serverType"]],
      ["acme-main", ["quotaBytes"]],
    ]);
    expect(diff.resources.replace.map((r) => [r.name, r.replaceReasons])).toEqual([
      ["weber-domain", ["domain"]],
    ]);
    expect(diff.resources.delete.map((r) => [r.name, r.protect])).toEqual([["old-domain", true]]);
    expect(
      destructiveChanges(diff)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["old-domain", "weber-domain"]);
  });

  it("reports tenants added, removed and changed with the changed fields", () => {
    expect(diff.tenants.added.map((t) => t.slug)).toEqual(["neu"]);
    expect(diff.tenants.removed.map((t) => t.slug)).toEqual(["weber"]);
    expect(diff.tenants.changed).toEqual([
      {
        slug: "acme",
        fields: [
          { path: "quotas.main", before: 100, after: 200 },
          { path: "storageGb", before: 100, after: 200 },
        ],
      },
    ]);
  });

  it("does not report fields an older base plan did not have", () => {
    const { quotas: _q, retainUntil: _r, purge: _p, ...oldRow } = tenant("acme");
    const d = diffPlans(doc([], [oldRow as TenantRow]), doc([], [tenant("acme")]));
    expect(d.tenants.changed).toEqual([]);
  });

  it("renders markdown with the marker, masked secrets, the warning and the cost table", () => {
    const withSecret = diffPlans(
      doc(
        [
          res("app", DOMAIN, {
            domain: "a.de",
            token: "t1",
            connection: { url: "u", token: "[secret]" },
          }),
        ],
        [],
      ),
      doc(
        [
          res("app", DOMAIN, {
            domain: "a.de",
            token: "t2",
            connection: { url: "u2", token: "[secret]" },
          }),
        ],
        [],
      ),
    );
    const md = renderMarkdownPlan({
      base: "origin/main",
      before,
      after,
      diff: {
        ...diff,
        resources: {
          ...diff.resources,
          update: [...diff.resources.update, ...withSecret.resources.update],
        },
      },
      cost: costDiff(monthlyCost(before.resources), monthlyCost(after.resources)),
      policies: "No policy violations (3 results).",
      production: true,
      destructive: destructiveChanges(diff),
    });
    expect(md.startsWith(commentMarker("prod"))).toBe(true);
    expect(md).toContain("**1** to create, **3** to update, **1** to replace, **1** to delete");
    expect(md).toContain("2 resource(s) would be deleted or replaced in the **production** stack");
    expect(md).toContain("`quotas.main`: 100 → 200");
    expect(md).toContain("replaced because of `domain`");
    expect(md).not.toContain("t1");
    expect(md).not.toContain("t2");
    expect(md).not.toContain("u2");
    expect(md).toContain("| host server cx43 |");
  });
});

describe("renderDnsRecords", () => {
  it("renders outputs.tenants[slug].dnsRecordsToPublish and marks new ones", () => {
    const rec = (name: string) => ({ type: "TXT", name, value: "v=DMARC1; p=quarantine" });
    const before = doc([], [], {
      tenants: { weber: { dnsRecordsToPublish: [rec("_dmarc.weber.de")] } },
    });
    const after = doc([], [], {
      tenants: {
        weber: { dnsRecordsToPublish: [rec("_dmarc.weber.de")] },
        neu: { dnsRecordsToPublish: [rec("_dmarc.neu.de")] },
      },
    });
    const md = renderDnsRecords(after, before);
    expect(md).toContain("| tenant | type | name | value |  |");
    expect(md).toContain("| weber | TXT | _dmarc.weber.de | v=DMARC1; p=quarantine |  |");
    expect(md).toContain("| neu | TXT | _dmarc.neu.de | v=DMARC1; p=quarantine | **new** |");
    expect(renderDnsRecords(doc([], []))).toBe("No DNS records for customers to publish.");
  });
});
