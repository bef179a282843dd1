import { describe, expect, it } from "vitest";
import { backupStorageBoxes } from "../rules/backups";
import { cellCapacity } from "../rules/capacity";
import { costCeiling } from "../rules/cost";
import { mailDomainRecords } from "../rules/mail";
import { tenantIsolation } from "../rules/tenant-isolation";
import { policyResource as res, stackArgs, stackViolations } from "./harness";

const BOX = "hcloud:index/storageBox:StorageBox";
const safeAccess = { sambaEnabled: false, webdavEnabled: false, sshEnabled: true };
const box = (name: string, location: string, extra: Record<string, unknown> = {}) =>
  res(
    BOX,
    {
      location,
      storageBoxType: "bx11",
      accessSettings: safeAccess,
      deleteProtection: true,
      ...extra,
    },
    { name },
  );

describe("backup-storage-boxes", () => {
  const policy = backupStorageBoxes(() => ({ hostLocation: "fsn1" }));
  it("passes a primary and a DR box in different locations away from the host", async () => {
    expect(
      await stackViolations(
        policy,
        stackArgs([box("prod-backup-primary", "fsn1"), box("prod-backup-dr", "hel1")]),
      ),
    ).toEqual([]);
  });
  it("fails a missing DR box", async () => {
    expect(await stackViolations(policy, stackArgs([box("prod-backup-primary", "fsn1")]))).toEqual([
      "the cell has no disaster-recovery Storage Box (name or label it dr) (hcloud:index/storageBox:StorageBox).",
    ]);
  });
  it("fails a DR box in the primary's or the host's location (host from a Server too)", async () => {
    const same = await stackViolations(
      policy,
      stackArgs([box("a-primary", "fsn1"), box("a-dr", "fsn1")]),
    );
    expect(same).toHaveLength(2);
    const noFacts = backupStorageBoxes();
    const server = res("hcloud:index/server:Server", { location: "hel1" }, { name: "host" });
    const v = await stackViolations(
      noFacts,
      stackArgs([server, box("x-primary", "fsn1"), box("x-dr", "hel1")]),
    );
    expect(v).toEqual([
      "DR box x-dr is in hel1, where the host is; move it to another location (hcloud:index/storageBox:StorageBox).",
    ]);
  });
  it("fails Samba, WebDAV and missing delete protection; roles may come from a label", async () => {
    const bad = res(
      BOX,
      {
        location: "hel1",
        labels: { "dezky.io/role": "dr" },
        accessSettings: { sambaEnabled: true },
      },
      { name: "b2" },
    );
    const v = await stackViolations(policy, stackArgs([box("b1-primary", "nbg1"), bad]));
    expect(v.map((m) => m.replace(/:.*/, ""))).toEqual([
      "Storage Box b2",
      "Storage Box b2",
      "Storage Box b2",
    ]);
  });
});

const AK_GROUP = "pulumi-nodejs:dynamic/authentik:Group";
const AK_APP = "pulumi-nodejs:dynamic/authentik:Application";
const OCIS_GROUP = "pulumi-nodejs:dynamic/ocis:Group";
const OCIS_SPACE = "pulumi-nodejs:dynamic/ocis:Space";
const MEMBER = "pulumi-nodejs:dynamic/ocis:SpaceMember";

describe("tenant-isolation", () => {
  const tenant = (slug: string) => [
    res(
      AK_GROUP,
      { tenant: slug, groupId: `g-${slug}`, name: `dezky-${slug}` },
      { name: `${slug}-group` },
    ),
    res(
      OCIS_GROUP,
      { tenant: slug, displayName: `dezky-${slug}`, groupId: `og-${slug}` },
      { name: `${slug}-ocis-group` },
    ),
    res(
      OCIS_SPACE,
      { tenant: slug, key: "main", driveId: `d-${slug}` },
      { name: `${slug}-space-main` },
    ),
  ];
  const app = (slug: string, group: string) =>
    res(AK_APP, { tenant: slug, accessGroup: group }, { name: `${slug}-app` });
  const member = (slug: string, drive: string, group: string) =>
    res(MEMBER, { tenant: slug, driveId: drive, groupId: group }, { name: `${slug}-member` });

  it("passes tenants bound to their own groups", async () => {
    const all = [
      ...tenant("acme"),
      ...tenant("beta"),
      app("acme", "g-acme"),
      app("beta", "g-beta"),
      member("acme", "d-acme", "og-acme"),
    ];
    expect(await stackViolations(tenantIsolation, stackArgs(all))).toEqual([]);
  });
  it("fails an application bound to another tenant's group, and one bound to none", async () => {
    const v = await stackViolations(
      tenantIsolation,
      stackArgs([...tenant("acme"), ...tenant("beta"), app("acme", "g-beta"), app("beta", "")]),
    );
    expect(v).toEqual([
      "acme-app: application of tenant acme is bound to group beta-group of tenant beta.",
      "beta-app: application is not bound to a tenant group (accessGroup); it would be open to every user.",
    ]);
  });
  it("fails a space granted to another tenant's group, resolved by propertyDependencies", async () => {
    const [acme, beta] = [tenant("acme"), tenant("beta")];
    const m = res(
      MEMBER,
      { tenant: "acme", driveId: "d-acme" },
      { name: "m", propertyDependencies: { groupId: [beta[1]] } },
    );
    expect(await stackViolations(tenantIsolation, stackArgs([...acme, ...beta, m]))).toEqual([
      "m: space of tenant acme is granted to group beta-ocis-group of tenant beta.",
    ]);
  });
  it("fails group names without the reserved prefix or of another tenant", async () => {
    const g = res(OCIS_GROUP, { tenant: "acme", displayName: "Acme Staff" }, { name: "g" });
    const h = res(AK_GROUP, { tenant: "acme", name: "dezky-beta" }, { name: "h" });
    const v = await stackViolations(tenantIsolation, stackArgs([g, h]));
    expect(v.sort()).toEqual([
      'g: group name "Acme Staff" lacks the reserved prefix dezky-.',
      'h: group name "dezky-beta" is not dezky-acme or dezky-acme--<department>.',
    ]);
  });
});

const DOMAIN = "pulumi-nodejs:dynamic/stalwart:MailDomain";
const RRSET = "hcloud:index/zoneRrset:ZoneRrset";

describe("mail-dkim-dmarc", () => {
  const zone = res("hcloud:index/zone:Zone", { name: "dezky.eu", zoneId: "z1" }, { name: "zone" });
  const txt = (name: string) =>
    res(RRSET, { zone: "dezky.eu", name, type: "TXT", records: [{ value: '"v=x"' }] }, { name });
  it("passes a managed domain with DKIM and DMARC rrsets, and an external one with records in its outputs", async () => {
    const managed = res(DOMAIN, { tenant: "acme", domain: "acme.dezky.eu" }, { name: "d1" });
    const external = res(
      DOMAIN,
      {
        tenant: "acme",
        domain: "acme.de",
        dnsRecords: [
          { name: "202608e._domainkey.acme.de", type: "TXT" },
          { name: "_dmarc.acme.de", type: "TXT" },
        ],
      },
      { name: "d2" },
    );
    const rs = [zone, txt("202608e._domainkey.acme"), txt("_dmarc.acme"), managed, external];
    expect(await stackViolations(mailDomainRecords, stackArgs(rs))).toEqual([]);
  });
  it("fails a managed domain without DMARC even if its outputs have it, and an external one without records", async () => {
    const managed = res(
      DOMAIN,
      { domain: "acme.dezky.eu", dnsZoneFile: "_dmarc.acme.dezky.eu. IN TXT x" },
      { name: "d1" },
    );
    const external = res(DOMAIN, { domain: "acme.de" }, { name: "d2" });
    const v = await stackViolations(
      mailDomainRecords,
      stackArgs([zone, txt("s1._domainkey.acme"), managed, external]),
    );
    expect(v).toEqual([
      "Mail domain acme.dezky.eu (d1) lacks DMARC (_dmarc) as ZoneRrsets in the managed zone.",
      "Mail domain acme.de (d2) lacks DKIM (<selector>._domainkey) and DMARC (_dmarc) in its DNS outputs or as ZoneRrsets.",
    ]);
  });
});

describe("cost-ceiling (advisory)", () => {
  const boxes = [box("p", "fsn1"), box("d", "hel1")];
  it("passes under the ceiling and is not applicable without one", async () => {
    expect(
      await stackViolations(
        costCeiling({ facts: () => ({ costCeilingEur: 60 }) }),
        stackArgs(boxes),
      ),
    ).toEqual([]);
    expect(await stackViolations(costCeiling(), stackArgs(boxes))).toEqual([]);
  });
  it("fails over the ceiling with a pluggable price and fixed costs", async () => {
    const rule = costCeiling({ facts: () => ({ costCeilingEur: 40, fixedMonthlyEur: 39 }) });
    expect(await stackViolations(rule, stackArgs(boxes))).toEqual([
      "Estimated 45.4 EUR/month exceeds the ceiling of 40 EUR; raise costCeilingEur or trim the stack.",
    ]);
    const pricey = costCeiling({ facts: () => ({ costCeilingEur: 10 }), price: () => 6 });
    expect(await stackViolations(pricey, stackArgs(boxes))).toHaveLength(1);
  });
});

describe("cell-capacity (advisory)", () => {
  const space = (tenant: string, gb: number) =>
    res(OCIS_SPACE, { tenant, quotaBytes: gb * 1e9 }, { name: `${tenant}-space` });
  it("passes quotas that fit the disk", async () => {
    const rule = cellCapacity(() => ({ hostDiskGb: 160, maxTenants: 2 }));
    expect(await stackViolations(rule, stackArgs([space("a", 50), space("b", 100)]))).toEqual([]);
  });
  it("fails too many tenants and quotas over the disk", async () => {
    const rule = cellCapacity(() => ({ hostDiskGb: 100, maxTenants: 1 }));
    expect(await stackViolations(rule, stackArgs([space("a", 50), space("b", 100)]))).toEqual([
      "The cell carries 2 tenants, over its limit of 1; place new tenants on another cell.",
      "Space quotas add up to 150 GB, more than the host's 100 GB disk; move tenants or add a cell.",
    ]);
  });
});
