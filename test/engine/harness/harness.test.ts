/**
 * The engine suite's pure helpers: reading the engine's event log and state, finding secrets
 * by value, sizing state per tenant, classifying simulator requests as writes. Runs under
 * `npm test` (no CLI needed); the events follow apitype.EngineEvent at the pinned CLI.
 */
import { describe, expect, it } from "vitest";
import { isWrite } from "./apis";
import type { StateResource } from "./cli";
import {
  SECRET_SIG,
  UNKNOWN,
  changesOf,
  describe as describeSteps,
  parseEventLog,
  policyFindings,
  reasonsOf,
  stepsOf,
} from "./events";
import { expectedResources } from "./expected";
import { inventoryFromState, leakedSecrets, stateSize, tenantOf } from "./state";

const urn = (type: string, name: string) => `urn:pulumi:engine::dezky-engine::${type}::${name}`;
const GROUP = "pulumi-nodejs:dynamic/authentik:Group";
const pre = (op: string, name: string, extra: object = {}) =>
  JSON.stringify({
    sequence: 1,
    resourcePreEvent: { metadata: { op, urn: urn(GROUP, name), type: GROUP, ...extra } },
  });

describe("event log", () => {
  it("keeps the last step per resource and drops no-change steps", () => {
    const events = parseEventLog(
      [
        pre("same", "a"),
        pre("update", "b", {
          diffs: ["connection"],
          detailedDiff: { enabled: { diffKind: "update" } },
        }),
        pre("refresh", "c"),
        JSON.stringify({
          sequence: 2,
          resOutputsEvent: { metadata: { op: "update", urn: urn(GROUP, "c"), type: GROUP } },
        }),
        "",
      ].join("\n"),
    );
    expect(stepsOf(events).map((s) => s.op)).toEqual(["same", "update", "update"]);
    expect(describeSteps(changesOf(events))).toEqual([
      "update b (connection, enabled)",
      "update c",
    ]);
  });

  it("a replacement stays a replacement across its create/delete steps", () => {
    const events = parseEventLog(
      [pre("create-replacement", "a"), pre("replace", "a"), pre("delete-replaced", "a")].join("\n"),
    );
    expect(stepsOf(events).map((s) => s.op)).toEqual(["replace"]);
  });

  it("reports a step that failed as failed-<op>", () => {
    const events = parseEventLog(
      [
        pre("delete", "a"),
        JSON.stringify({
          sequence: 2,
          resOpFailedEvent: {
            metadata: { op: "delete", urn: urn(GROUP, "a"), type: GROUP },
            status: 1,
            steps: 1,
          },
        }),
      ].join("\n"),
    );
    expect(stepsOf(events).map((s) => s.op)).toEqual(["failed-delete"]);
  });

  it("reads policy findings; a finding on the stack itself names no resource", () => {
    const onStack = JSON.stringify({
      sequence: 4,
      policyEvent: {
        resourceUrn: urn("pulumi:pulumi:Stack", "dezky-engine-engine"),
        message: "m",
        policyName: "backup-storage-boxes",
        policyPackName: "dezky",
        enforcementLevel: "mandatory",
      },
    });
    expect(policyFindings(parseEventLog(onStack))[0].resource).toBeUndefined();
    const events = parseEventLog(
      JSON.stringify({
        sequence: 3,
        policyEvent: {
          resourceUrn: urn(GROUP, "a"),
          message: "m",
          policyName: "tenant-isolation",
          policyPackName: "dezky",
          enforcementLevel: "mandatory",
        },
      }),
    );
    expect(policyFindings(events)).toEqual([
      { policy: "tenant-isolation", resource: "a", level: "mandatory", message: "m" },
    ]);
  });
});

describe("reasons of a step", () => {
  const secret = { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };
  const meta = (olds: object, news: object, outs: object = olds) => ({
    op: "update",
    urn: urn(GROUP, "a"),
    type: GROUP,
    old: { inputs: olds as Record<string, unknown>, outputs: outs as Record<string, unknown> },
    new: { inputs: news as Record<string, unknown> },
  });

  it("prefers what the provider reported", () => {
    expect(reasonsOf({ ...meta({ a: 1 }, { a: 2 }), diffs: ["b"] })).toEqual(["b"]);
  });

  it("names inputs that changed, marking those unknown until the update runs", () => {
    expect(reasonsOf(meta({ a: 1, b: "x", c: 1 }, { a: 2, b: UNKNOWN, c: 1 }))).toEqual([
      "a",
      "b=unknown",
    ]);
  });

  it("names outputs that drifted from unchanged inputs", () => {
    expect(reasonsOf(meta({ name: "A" }, { name: "A" }, { name: "B" }))).toEqual([
      "name (drifted)",
    ]);
  });

  it("falls back to the secret inputs, the only ones the event log cannot compare", () => {
    expect(reasonsOf(meta({ connection: secret, a: 1 }, { connection: secret, a: 1 }))).toEqual([
      "secret:connection",
    ]);
  });
});

describe("state", () => {
  const secret = { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };
  const resources: StateResource[] = [
    {
      urn: urn("pulumi:pulumi:Stack", "dezky-engine-engine"),
      type: "pulumi:pulumi:Stack",
      custom: false,
    },
    {
      urn: urn(GROUP, "engine-tenant-acme-identity-group"),
      type: GROUP,
      custom: true,
      protect: true,
      inputs: { connection: secret, tenant: "acme", __provider: "x".repeat(100) },
      outputs: { connection: secret, tenant: "acme", groupId: "g1", __provider: "x".repeat(100) },
    },
    {
      urn: urn(GROUP, "engine-tenant-acme-two-identity-group"),
      type: GROUP,
      custom: true,
      inputs: { tenant: "acme-two" },
    },
  ];

  it("finds secrets by value and ignores values too short to be meaningful", () => {
    expect(
      leakedSecrets('{"token":"canary-123456"}', { a: "canary-123456", b: "absent-12345", c: "x" }),
    ).toEqual(["a"]);
  });

  it("assigns resources to the longest matching tenant slug", () => {
    const slugs = ["acme", "acme-two"];
    expect(tenantOf(resources[1].urn, slugs)).toBe("acme");
    expect(tenantOf(resources[2].urn, slugs)).toBe("acme-two");
    expect(tenantOf(resources[0].urn, slugs)).toBeUndefined();
  });

  it("sizes state per tenant and counts provider code", () => {
    const size = stateSize(resources, ["acme", "acme-two"]);
    expect(size.resourcesPerTenant).toEqual({ acme: 1, "acme-two": 1 });
    expect(size.perTenant.acme).toBeGreaterThan(size.perTenant["acme-two"]);
    expect(size.providerCode).toBe(200);
    expect(size.shared).toBeGreaterThan(0);
  });

  it("turns state into the offline inventory with secrets masked", () => {
    const inventory = inventoryFromState(resources, "engine", "dezky-engine");
    expect(inventory.resources).toHaveLength(2); // the stack itself is no inventory resource
    const group = inventory.resources[0];
    expect(group.inputs.connection).toBe("[secret]");
    expect(group.secretInputs).toEqual(["connection"]);
    expect(group.outputs).toEqual({ groupId: "g1" });
    expect(group.protect).toBe(true);
  });
});

describe("write requests", () => {
  it("counts Stalwart JMAP calls as writes only for /set methods", () => {
    const jmap = (method: string) => ({
      method: "POST",
      path: "/jmap/",
      status: 200,
      body: { methodCalls: [[method, {}, "0"]] },
    });
    expect(isWrite("stalwart", jmap("x:Domain/get"))).toBe(false);
    expect(isWrite("stalwart", jmap("x:Domain/set"))).toBe(true);
    expect(
      isWrite("ocis", { method: "GET", path: "/graph/v1.0/drives", status: 200, body: undefined }),
    ).toBe(false);
    expect(
      isWrite("authentik", {
        method: "PATCH",
        path: "/api/v3/core/groups/1/",
        status: 200,
        body: {},
      }),
    ).toBe(true);
  });
});

describe("expected resources", () => {
  it("lists every object of a tenant, managed mail zones with their record sets", () => {
    const names = expectedResources(
      {
        slug: "beta",
        displayName: "Beta",
        plan: "business",
        mailDomains: [{ name: "beta-handwerk.de", dns: "hetzner" }],
        branding: { primaryColor: "#000000", logoUrl: "https://beta-handwerk.de/l.png" },
        spaces: [{ key: "main", name: "Beta", quotaGb: 10 }],
        admins: ["it@beta-handwerk.de"],
      },
      "dezky.test",
    );
    expect(names).toContain("engine-tenant-beta-zone-beta-handwerk-de");
    expect(names).toContain("engine-tenant-beta-mail-beta-handwerk-de-dkim-rsa-a");
    expect(names).toContain("engine-tenant-beta-mail-beta-handwerk-de-records");
    expect(names).toContain("engine-tenant-beta-mail-beta-dezky-test-mx");
    // 5 components (tenant, identity, files, mail, guard) + 3 identity + 3 files + 1 subdomain (A) + 1 zone + 2 mail domains with
    // their records resources + 2 x 13 record sets
    expect(names).toHaveLength(43);
  });
});
