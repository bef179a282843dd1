/* eslint-disable @typescript-eslint/no-explicit-any -- JMAP responses are probed loosely in tests */
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StalwartSimulator } from "./stalwart-simulator";
import { DKIM1_FIELDS, DOMAIN_FIELDS } from "./object-schema";

const sim = new StalwartSimulator({
  password: "pw",
  token: "tok",
  forbiddenToken: "weak",
  dkimDelayMs: 100,
  envHostname: "mail.dezky.eu",
  users: {
    "provisioner@platform.internal": {
      password: "pp",
      permissions: ["authenticate", "sysDomainGet", "sysDomainQuery"],
    },
  },
});
let url = "";
const basic = `Basic ${Buffer.from("admin:pw").toString("base64")}`;
const USING = ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"];

async function jmap(methodCalls: unknown[], auth = basic, using = USING) {
  const res = await fetch(`${url}/jmap/`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify({ using, methodCalls }),
  });
  return {
    res,
    body: (await res.json()) as {
      methodResponses: [string, Record<string, any>, string][];
    } & Record<string, any>,
  };
}

beforeAll(async () => {
  url = await sim.start();
});
afterAll(() => sim.stop());

describe("Stalwart 0.16 simulator", () => {
  it("answers 401 with the problem body and both WWW-Authenticate headers", async () => {
    const { res, body } = await jmap([], `Basic ${Buffer.from("admin:wrong").toString("base64")}`);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(body).toMatchObject({ status: 401, title: "Unauthorized" });
    const www = res.headers.get("www-authenticate")!;
    expect(www).toContain('Bearer realm="Stalwart Server"');
    expect(www).toContain('Basic realm="Stalwart Server"');
  });

  // jmap/src/api/auth.rs:309-315 and :319-356: a missing permission is a method-level
  // `forbidden` inside an HTTP 200, never an HTTP 403.
  it("answers a missing permission with method-level forbidden, per verb", async () => {
    const weak = await jmap([["x:Domain/get", { ids: [] }, "g"]], "Bearer weak");
    expect(weak.res.status).toBe(200);
    expect(weak.body.methodResponses[0]).toEqual([
      "error",
      { type: "forbidden", description: "You are not authorized to perform this action" },
      "g",
    ]);
    const user = `Basic ${Buffer.from("Provisioner@platform.internal:pp").toString("base64")}`;
    const limited = await jmap(
      [
        ["x:Domain/query", { filter: { name: "x.eu" } }, "q"],
        ["x:Domain/set", { create: { a: { name: "limited.eu" } } }, "c"],
        ["x:DkimSignature/get", { ids: [] }, "k"],
      ],
      user,
    );
    expect(limited.body.methodResponses.map((r) => [r[0], r[1].type])).toEqual([
      ["x:Domain/query", undefined],
      ["error", "forbidden"],
      ["error", "forbidden"],
    ]);
    expect(limited.body.methodResponses[1][1].description).toMatch(/not authorized to create/);
    expect((await jmap([], "Bearer tok")).res.status).toBe(200);
  });

  it("refuses every registry call with forbidden while in bootstrap mode", async () => {
    const boot = new StalwartSimulator({ password: "pw", bootstrapMode: true });
    const bootUrl = await boot.start();
    try {
      const res = await fetch(`${bootUrl}/jmap/`, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/json" },
        body: JSON.stringify({
          using: USING,
          methodCalls: [["x:Domain/set", { create: { a: { name: "boot.eu" } } }, "c"]],
        }),
      });
      const body = (await res.json()) as { methodResponses: [string, any, string][] };
      expect(res.status).toBe(200);
      expect(body.methodResponses[0][0]).toBe("error");
      expect(body.methodResponses[0][1]).toMatchObject({ type: "forbidden" });
      expect(body.methodResponses[0][1].description).toMatch(/bootstrap mode/);
      expect(boot.registry.domains.size).toBe(0);
    } finally {
      await boot.stop();
    }
  });

  it("requires urn:stalwart:jmap and JSON, and 404s on /api", async () => {
    const { res, body } = await jmap([], basic, ["urn:ietf:params:jmap:core"]);
    expect(res.status).toBe(400);
    expect(body.type).toBe("urn:ietf:params:jmap:error:unknownCapability");
    const notJson = await fetch(`${url}/jmap/`, {
      method: "POST",
      headers: { authorization: basic, "content-type": "text/plain" },
      body: "{}",
    });
    expect(notJson.status).toBe(400);
    expect(
      (await fetch(`${url}/api`, { method: "POST", headers: { authorization: basic } })).status,
    ).toBe(404);
  });

  it("creates domains with opaque ids, lower-cases names and reports primaryKeyViolation", async () => {
    const { body } = await jmap([["x:Domain/set", { create: { a: { name: "Sim1.EU" } } }, "c"]]);
    const id = body.methodResponses[0][1].created.a.id as string;
    expect(id).toMatch(/^[a-z792013]+$/);
    expect(sim.registry.domains.get(id)?.name).toBe("sim1.eu");
    const again = await jmap([["x:Domain/set", { create: { b: { name: "sim1.eu" } } }, "c"]]);
    expect(again.body.methodResponses[0][1].notCreated.b).toEqual({
      type: "primaryKeyViolation",
      properties: ["name"],
      objectId: { object: "Domain", id },
    });
  });

  it("rejects bad names, array sets, server-set and unknown properties", async () => {
    const { body } = await jmap([
      [
        "x:Domain/set",
        {
          create: {
            a: { name: "nope.invalidtld" },
            b: { name: "s2.eu", aliases: ["x.eu"] },
            c: { name: "s3.eu", dnsZoneFile: "x" },
            d: { name: "s4.eu", colour: "red" },
          },
        },
        "c",
      ],
    ]);
    // Every patch failure is invalidPatch naming the path (jmap-proto/src/error/set.rs:328-339).
    const nc = body.methodResponses[0][1].notCreated;
    expect(nc.a).toEqual({
      type: "invalidPatch",
      description: "Invalid domain name",
      properties: ["name"],
    });
    expect(nc.b).toMatchObject({ type: "invalidPatch", properties: ["aliases"] });
    expect(nc.c).toEqual({
      type: "invalidPatch",
      description: "Cannot modify server set property",
      properties: ["dnsZoneFile"],
    });
    expect(nc.d).toEqual({
      type: "invalidPatch",
      description: "Invalid property",
      properties: ["colour"],
    });
    const unknown = await jmap([
      ["x:Domain/get", { ids: [], colour: 1 }, "g"],
      ["x:Thing/get", {}, "t"],
    ]);
    expect(unknown.body.methodResponses.map((r) => r[1].type)).toEqual([
      "invalidArguments",
      "unknownMethod",
    ]);
  });

  it("creates DKIM keys after a delay, masks secrets and lists them in dnsZoneFile", async () => {
    const { body } = await jmap([["x:Domain/set", { create: { a: { name: "dkim.eu" } } }, "c"]]);
    const id = body.methodResponses[0][1].created.a.id as string;
    const query = () =>
      jmap([
        ["x:DkimSignature/query", { filter: { domainId: id } }, "q"],
        [
          "x:DkimSignature/get",
          { "#ids": { resultOf: "q", name: "x:DkimSignature/query", path: "/ids" } },
          "g",
        ],
      ]);
    expect((await query()).body.methodResponses[1][1].list).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 50 && sim.registry.dkimPending; i++)
      await new Promise((r) => setTimeout(r, 50));
    const list = (await query()).body.methodResponses[1][1].list as Record<string, any>[];
    expect(list.map((s) => s["@type"]).sort()).toEqual(["Dkim1Ed25519Sha256", "Dkim1RsaSha256"]);
    expect(list.every((s) => s.privateKey.secret === "****" && s.stage === "active")).toBe(true);
    expect(sim.registry.signingSelectors(id)).toEqual(list.map((s) => s.selector).sort());
    const zone = (await jmap([["x:Domain/get", { ids: [id], properties: ["dnsZoneFile"] }, "g"]]))
      .body.methodResponses[0][1].list[0].dnsZoneFile as string;
    for (const s of list) expect(zone).toContain(`${s.selector}._domainkey.dkim.eu. IN TXT`);
    expect(zone).toMatch(/IN TXT \( "v=DKIM1; k=rsa;/); // long key split over lines
    expect(zone).toContain("dkim.eu. IN MX 10 mail.dezky.eu.");
  });

  it("refuses to destroy a linked domain with objectIsLinked, then destroys in order", async () => {
    const { body } = await jmap([
      [
        "x:Domain/set",
        { create: { a: { name: "link.eu", dkimManagement: { "@type": "Manual" } } } },
        "c",
      ],
    ]);
    const id = body.methodResponses[0][1].created.a.id as string;
    const key = (await import("node:crypto"))
      .generateKeyPairSync("ed25519")
      .privateKey.export({ type: "pkcs8", format: "pem" });
    const made = await jmap([
      [
        "x:DkimSignature/set",
        {
          create: {
            k: {
              "@type": "Dkim1Ed25519Sha256",
              domainId: id,
              selector: "s1",
              privateKey: { "@type": "Text", secret: key },
            },
          },
        },
        "k",
      ],
    ]);
    const sigId = made.body.methodResponses[0][1].created.k.id as string;
    const blocked = await jmap([["x:Domain/set", { destroy: [id] }, "d"]]);
    expect(blocked.body.methodResponses[0][1].notDestroyed[id]).toEqual({
      type: "objectIsLinked",
      objectId: { object: "Domain", id },
      linkedObjects: [{ object: "DkimSignature", id: sigId }],
    });
    const done = await jmap([
      ["x:DkimSignature/set", { destroy: [sigId] }, "s"],
      ["x:Domain/set", { destroy: [id] }, "d"],
    ]);
    expect(done.body.methodResponses[1][1].destroyed).toEqual([id]);
  });

  it("validates DKIM private keys against the variant", async () => {
    const { body } = await jmap([
      [
        "x:Domain/set",
        { create: { a: { name: "keys.eu", dkimManagement: { "@type": "Manual" } } } },
        "c",
      ],
    ]);
    const id = body.methodResponses[0][1].created.a.id as string;
    const rsaPem = (await import("node:crypto"))
      .generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs8", format: "pem" });
    const res = await jmap([
      [
        "x:DkimSignature/set",
        {
          create: {
            k: {
              "@type": "Dkim1Ed25519Sha256",
              domainId: id,
              selector: "s",
              privateKey: { "@type": "Text", secret: rsaPem },
            },
            m: { "@type": "Dkim1RsaSha256", domainId: id },
          },
        },
        "k",
      ],
    ]);
    const nc = res.body.methodResponses[0][1].notCreated;
    // mapping/dkim.rs:30-37: invalidProperties with a description and no properties.
    expect(nc.k.type).toBe("invalidProperties");
    expect(nc.k.description).toMatch(/^Failed to validate DKIM signature/);
    expect(nc.k.properties).toBeUndefined();
    expect(nc.m).toMatchObject({
      type: "validationFailed",
      validationErrors: [{ type: "Required", property: "selector" }],
    });
  });

  it("names the loaded default hostname in MX, SRV and autoconfig targets, the OS hostname when unset", async () => {
    const unset = new StalwartSimulator({ password: "pw" });
    const unsetUrl = await unset.start();
    const call = (methodCalls: unknown[]) =>
      fetch(`${unsetUrl}/jmap/`, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/json" },
        body: JSON.stringify({ using: USING, methodCalls }),
      }).then((r) => r.json() as Promise<{ methodResponses: [string, any, string][] }>);
    try {
      const d = unset.registry.createDomain({
        name: "host.eu",
        dkimManagement: { "@type": "Manual" },
      }) as any;
      const zone = () => unset.registry.viewDomain(d).dnsZoneFile as string;
      expect(zone()).toContain("host.eu. IN MX 10 debian-host.");
      const set = await call([
        [
          "x:SystemSettings/set",
          { update: { singleton: { defaultHostname: "mail.dezky.eu", defaultDomainId: d.id } } },
          "s",
        ],
      ]);
      expect(set.methodResponses[0][1].updated).toEqual({ singleton: null });
      // Stored, not loaded: dnsZoneFile comes from the running core (cache/reload.rs:65-158).
      expect(zone()).toContain("host.eu. IN MX 10 debian-host.");
      const reload = await call([
        ["x:Action/set", { create: { r: { "@type": "ReloadSettings" } } }, "a"],
      ]);
      expect(Object.keys(reload.methodResponses[0][1].created)).toEqual(["r"]);
      const fixed = zone();
      expect(fixed).toContain("host.eu. IN MX 10 mail.dezky.eu.");
      expect(fixed).toContain("_jmap._tcp.host.eu. IN SRV 0 1 443 mail.dezky.eu.");
      expect(fixed).toContain("autoconfig.host.eu. IN CNAME mail.dezky.eu.");
      expect(fixed).not.toContain("debian-host");
    } finally {
      await unset.stop();
    }
  });

  // Our own field description must agree with Stalwart's published schema (read at test time
  // from the shared specs, never copied into the repository).
  const schemaFile = "/work/shared/specs/stalwart/v0.16/schema.json.gz";
  it.skipIf(!fs.existsSync(schemaFile))(
    "describes x:Domain and x:Dkim1Signature like the official schema",
    () => {
      const schema = JSON.parse(zlib.gunzipSync(fs.readFileSync(schemaFile)).toString("utf8"));
      for (const [name, ours] of [
        ["x:Domain", DOMAIN_FIELDS],
        ["x:Dkim1Signature", DKIM1_FIELDS],
      ] as const) {
        const official = schema.fields[name].properties as Record<
          string,
          { update: string; type: { nullable?: boolean; type: string } }
        >;
        expect(Object.keys(ours).sort()).toEqual(Object.keys(official).sort());
        for (const [field, spec] of Object.entries(ours)) {
          expect([field, !!spec.serverSet]).toEqual([
            field,
            official[field].update === "serverSet",
          ]);
          expect([field, !!spec.nullable]).toEqual([field, !!official[field].type.nullable]);
        }
      }
    },
  );
});
