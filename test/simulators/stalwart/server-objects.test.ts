/* eslint-disable @typescript-eslint/no-explicit-any -- JMAP responses are probed loosely in tests */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StalwartSimulator } from "./stalwart-simulator";
import {
  CERTIFICATE_FIELDS,
  KNOWN_PERMISSIONS,
  NETWORK_LISTENER_FIELDS,
  ROLE_FIELDS,
  SYSTEM_SETTINGS_FIELDS,
  USER_ACCOUNT_FIELDS,
} from "./server-schema";
import { selfSignedCertificate } from "./test-certificate";

const sim = new StalwartSimulator({ password: "pw", envHostname: "mail.dezky.test" });
const USING = ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"];
const basic = (user: string, pw: string) =>
  `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}`;
const ADMIN = basic("admin", "pw");
let url = "";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stalwart-sim-"));

async function jmap(methodCalls: unknown[], auth = ADMIN) {
  const res = await fetch(`${url}/jmap/`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify({ using: USING, methodCalls }),
  });
  const body = (await res.json()) as { methodResponses: [string, any, string][] };
  return { status: res.status, r: body.methodResponses?.map((m) => m[1]) ?? [], raw: body };
}

function writeCert(name: string, cert: { certificate: string; privateKey: string }) {
  const crt = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  fs.writeFileSync(crt, cert.certificate);
  fs.writeFileSync(key, cert.privateKey);
  return { crt, key };
}
const fileCert = (p: { crt: string; key: string }) => ({
  certificate: { "@type": "File", filePath: p.crt },
  privateKey: { "@type": "File", filePath: p.key },
});

beforeAll(async () => {
  url = await sim.start();
});
afterAll(async () => {
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("first start and listeners", () => {
  it("inserts the 0.16 default listeners and binds them; API changes bind only after a restart", async () => {
    const { r } = await jmap([["x:NetworkListener/get", {}, "g"]]);
    const names = r[0].list.map((l: any) => `${l.name}:${Object.keys(l.bind)[0]}`);
    expect(names).toEqual([
      "smtp:[::]:25",
      "submissions:[::]:465",
      "imaps:[::]:993",
      "pop3s:[::]:995",
      "sieve:[::]:4190",
      "https:[::]:443",
      "http:[::]:8080",
    ]);
    expect(sim.registry.server.bound.map((b) => b.port)).toEqual([
      25, 465, 993, 995, 4190, 443, 8080,
    ]);
    const https = r[0].list.find((l: any) => l.name === "https").id;
    const changed = await jmap([
      [
        "x:NetworkListener/set",
        {
          create: {
            s: {
              name: "submission",
              bind: { "[::]:587": true },
              protocol: "smtp",
              tlsImplicit: false,
            },
            dup: { name: "smtp", bind: { "[::]:2525": true } },
            nobind: { name: "x", bind: {} },
          },
          destroy: [https],
        },
        "s",
      ],
    ]);
    expect(Object.keys(changed.r[0].created)).toEqual(["s"]);
    expect(changed.r[0].notCreated.dup).toMatchObject({
      type: "primaryKeyViolation",
      properties: ["name"],
    });
    expect(changed.r[0].notCreated.nobind).toMatchObject({ type: "validationFailed" });
    expect(sim.registry.server.bound.some((b) => b.port === 443)).toBe(true);
    sim.restart();
    const ports = sim.registry.server.bound.map((b) => b.port);
    expect(ports).toContain(587);
    expect(ports).not.toContain(443);
    const rename = await jmap([
      [
        "x:NetworkListener/set",
        { update: { [changed.r[0].created.s.id]: { name: "other" } } },
        "u",
      ],
    ]);
    expect(Object.values(rename.r[0].notUpdated)[0]).toMatchObject({
      type: "invalidPatch",
      description: "Cannot modify read-only property",
    });
  });
});

describe("certificates and system settings", () => {
  it("reads a File certificate on create, refuses a missing file, loads it on ReloadTlsCertificates", async () => {
    const files = writeCert(
      "good",
      selfSignedCertificate({ names: ["*.dezky.test", "dezky.test"] }),
    );
    const { r } = await jmap([
      [
        "x:Certificate/set",
        {
          create: {
            c: fileCert(files),
            missing: fileCert({ crt: path.join(dir, "nope.crt"), key: files.key }),
          },
        },
        "c",
      ],
    ]);
    expect(r[0].notCreated.missing).toMatchObject({
      type: "invalidProperties",
      properties: ["certificate"],
    });
    expect(r[0].notCreated.missing.description).toMatch(
      /^Failed to read certificate: Failed to read secret from file/,
    );
    const id = r[0].created.c.id;
    const got = await jmap([["x:Certificate/get", { ids: [id] }, "g"]]);
    expect(got.r[0].list[0].subjectAlternativeNames).toEqual({
      "*.dezky.test": true,
      "dezky.test": true,
    });
    expect(sim.registry.server.loadedCertificates).not.toContain(id);
    const reload = await jmap([
      ["x:Action/set", { create: { t: { "@type": "ReloadTlsCertificates" } } }, "a"],
    ]);
    expect(Object.keys(reload.r[0].created)).toEqual(["t"]);
    expect(sim.registry.server.loadedCertificates).toContain(id);

    // A key that is not a key fails the load, naming the certificate.
    fs.writeFileSync(path.join(dir, "bad.key"), "not a key");
    const bad = await jmap([
      [
        "x:Certificate/set",
        { create: { b: fileCert({ crt: files.crt, key: path.join(dir, "bad.key") }) } },
        "c",
      ],
      ["x:Action/set", { create: { t: { "@type": "ReloadTlsCertificates" } } }, "a"],
    ]);
    expect(bad.r[1].notCreated.t).toMatchObject({
      type: "validationFailed",
      objectId: { object: "Certificate" },
    });
    await jmap([["x:Certificate/set", { destroy: [bad.r[0].created.b.id] }, "d"]]);

    // An expired file-backed certificate is removed from the registry when loaded.
    const old = writeCert(
      "old",
      selfSignedCertificate({
        names: ["old.test"],
        notBefore: new Date(Date.now() - 9e9),
        notAfter: new Date(Date.now() + 60_000),
      }),
    );
    const made = await jmap([["x:Certificate/set", { create: { o: fileCert(old) } }, "c"]]);
    const expired = selfSignedCertificate({
      names: ["old.test"],
      notBefore: new Date(Date.now() - 9e9),
      notAfter: new Date(Date.now() - 1000),
    });
    fs.writeFileSync(old.crt, expired.certificate);
    sim.restart();
    expect(sim.registry.server.certificates.has(made.r[0].created.o.id)).toBe(false);
  });

  it("keeps SystemSettings as a singleton that needs a hostname and an existing default domain", async () => {
    const defaults = await jmap([["x:SystemSettings/get", { ids: ["singleton"] }, "g"]]);
    expect(defaults.r[0].list[0]).toMatchObject({ id: "singleton", defaultHostname: "" });
    expect(Object.keys(defaults.r[0].list[0].services)).toContain("pop3");
    const d = await jmap([
      [
        "x:Domain/set",
        { create: { d: { name: "dezky.test", dkimManagement: { "@type": "Manual" } } } },
        "d",
      ],
    ]);
    const domainId = d.r[0].created.d.id;
    const { r } = await jmap([
      [
        "x:SystemSettings/set",
        { update: { singleton: { defaultHostname: "mail.dezky.test" } } },
        "a",
      ],
      [
        "x:SystemSettings/set",
        { update: { singleton: { defaultHostname: "mail.dezky.test", defaultDomainId: "zzz" } } },
        "b",
      ],
      [
        "x:SystemSettings/set",
        { update: { other: { defaultHostname: "x" } }, destroy: ["singleton"] },
        "c",
      ],
      [
        "x:SystemSettings/set",
        {
          update: { singleton: { defaultHostname: "mail.dezky.test", defaultDomainId: domainId } },
        },
        "d",
      ],
    ]);
    expect(r[0].notUpdated.singleton).toEqual({
      type: "validationFailed",
      validationErrors: [{ type: "Required", property: "defaultDomainId" }],
    });
    expect(r[1].notUpdated.singleton).toMatchObject({
      type: "invalidForeignKey",
      objectId: { object: "Domain" },
    });
    expect(r[2].notUpdated.other).toEqual({ type: "notFound" });
    expect(r[2].notDestroyed.singleton.type).toBe("singleton");
    expect(r[3].updated).toEqual({ singleton: null });
    const blocked = await jmap([["x:Domain/set", { destroy: [domainId] }, "x"]]);
    expect(blocked.r[0].notDestroyed[domainId]).toMatchObject({
      type: "objectIsLinked",
      linkedObjects: [{ object: "SystemSettings", id: "singleton" }],
    });
  });
});

describe("roles, accounts and permissions", () => {
  it("logs an account in with its role's permissions and refuses what the role lacks", async () => {
    const d = await jmap([
      [
        "x:Domain/set",
        { create: { d: { name: "platform.test", dkimManagement: { "@type": "Manual" } } } },
        "d",
      ],
    ]);
    const domainId = d.r[0].created.d.id;
    const made = await jmap([
      [
        "x:Role/set",
        {
          create: {
            r: {
              description: "reader",
              enabledPermissions: { authenticate: true, sysDomainGet: true },
            },
          },
        },
        "r",
      ],
    ]);
    const roleId = made.r[0].created.r.id;
    const account = await jmap([
      [
        "x:Account/set",
        {
          create: {
            a: {
              "@type": "User",
              name: "reader",
              domainId,
              credentials: { "0": { "@type": "Password", secret: "a-long-enough-password-1" } },
              roles: { "@type": "Custom", roleIds: { [roleId]: true } },
            },
            weak: {
              "@type": "User",
              name: "weak",
              domainId,
              credentials: { "0": { "@type": "Password", secret: "short" } },
            },
            key: {
              "@type": "User",
              name: "key",
              domainId,
              credentials: { "0": { "@type": "ApiKey" } },
            },
          },
        },
        "a",
      ],
    ]);
    expect(account.r[0].created.a.id).toBeTruthy();
    expect(account.r[0].notCreated.weak).toMatchObject({
      type: "invalidProperties",
      properties: ["secret"],
    });
    expect(account.r[0].notCreated.key.description).toBe(
      "Secondary credentials cannot be set directly.",
    );
    const got = await jmap([["x:Account/get", { ids: [account.r[0].created.a.id] }, "g"]]);
    expect(got.r[0].list[0].credentials["0"].secret).toBe("****");
    expect(got.r[0].list[0].emailAddress).toBe("reader@platform.test");

    const reader = basic("Reader@platform.test", "a-long-enough-password-1");
    const calls = await jmap(
      [
        ["x:Domain/get", { ids: [] }, "g"],
        ["x:Domain/query", {}, "q"],
        ["x:Domain/set", { create: {} }, "s"],
      ],
      reader,
    );
    expect(calls.status).toBe(200);
    expect(calls.raw.methodResponses.map((m) => m[0])).toEqual(["x:Domain/get", "error", "error"]);
    expect(calls.r[2].description).toBe(
      "You are not authorized to create, update or destroy objects of this type",
    );
    expect((await jmap([], basic("reader@platform.test", "wrong"))).status).toBe(401);

    // Without `authenticate` the same account cannot sign in.
    await jmap([
      ["x:Role/set", { update: { [roleId]: { enabledPermissions: { sysDomainGet: true } } } }, "u"],
    ]);
    expect((await jmap([], reader)).status).toBe(401);

    // A role may grant only what its creator holds; a linked role cannot go.
    await jmap([
      [
        "x:Role/set",
        {
          update: { [roleId]: { enabledPermissions: { authenticate: true, sysRoleCreate: true } } },
        },
        "u",
      ],
    ]);
    const escalate = await jmap(
      [
        [
          "x:Role/set",
          {
            create: { x: { description: "admin", enabledPermissions: { sysDomainCreate: true } } },
          },
          "x",
        ],
      ],
      reader,
    );
    expect(escalate.r[0].notCreated.x).toEqual({
      type: "forbidden",
      description: "You are not authorized to grant permissions: sysDomainCreate",
    });
    const linked = await jmap([["x:Role/set", { destroy: [roleId] }, "d"]]);
    expect(linked.r[0].notDestroyed[roleId]).toMatchObject({ type: "objectIsLinked" });
    const unknown = await jmap([
      [
        "x:Role/set",
        { create: { x: { description: "y", enabledPermissions: { flyToTheMoon: true } } } },
        "x",
      ],
    ]);
    expect(unknown.r[0].notCreated.x).toMatchObject({ type: "invalidPatch" });
  });

  it("checks each action's own permission and refuses /query of actions", async () => {
    const limited = sim.seedUser("ops@platform.test", {
      password: "opspw",
      permissions: ["authenticate", "sysActionCreate", "actionReloadTlsCertificates"],
    });
    expect(limited.id).toBeTruthy();
    const { r } = await jmap(
      [
        [
          "x:Action/set",
          { create: { s: { "@type": "ReloadSettings" }, t: { "@type": "ReloadTlsCertificates" } } },
          "a",
        ],
        ["x:Action/query", {}, "q"],
      ],
      basic("ops@platform.test", "opspw"),
    );
    expect(r[0].notCreated.s).toEqual({
      type: "forbidden",
      description: "Insufficient permissions to perform action of type ReloadSettings",
    });
    expect(Object.keys(r[0].created)).toEqual(["t"]);
    expect(r[1].type).toBe("forbidden"); // no sysActionQuery
  });
});

// Our descriptions agree with Stalwart's published schema (read at test time, never copied).
const schemaFile = "/work/shared/specs/stalwart/v0.16/schema.json.gz";
describe.skipIf(!fs.existsSync(schemaFile))("server object descriptions", () => {
  it("list the official properties with their serverSet and nullable flags, and real permissions", () => {
    const schema = JSON.parse(zlib.gunzipSync(fs.readFileSync(schemaFile)).toString("utf8"));
    for (const [name, ours] of [
      ["x:Certificate", CERTIFICATE_FIELDS],
      ["x:SystemSettings", SYSTEM_SETTINGS_FIELDS],
      ["x:NetworkListener", NETWORK_LISTENER_FIELDS],
      ["x:Role", ROLE_FIELDS],
      ["x:UserAccount", USER_ACCOUNT_FIELDS],
    ] as const) {
      const official = schema.fields[name].properties as Record<string, any>;
      expect([name, Object.keys(ours).sort()]).toEqual([name, Object.keys(official).sort()]);
      for (const [field, spec] of Object.entries(ours)) {
        expect([name, field, !!spec.serverSet, !!spec.nullable, !!spec.immutable]).toEqual([
          name,
          field,
          official[field].update === "serverSet",
          !!official[field].type.nullable,
          official[field].update === "immutable",
        ]);
      }
    }
    const permissions = new Set(schema.enums.Permission.map((p: { name: string }) => p.name));
    expect(KNOWN_PERMISSIONS.filter((p) => !permissions.has(p))).toEqual([]);
  });
});
