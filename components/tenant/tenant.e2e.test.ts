/**
 * End to end: the real Tenant component runs under Pulumi's mock runtime, and every dynamic
 * resource it registers is created by its real provider against the three API simulators at
 * once, in the order Pulumi resolves dependencies. Then each simulator's state is checked.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiConnection } from "@dezky/providers";
import { create, providerFor, useFastTiming, type Ops } from "../providers/test-kit";
import { TENANT_MAIL_PERMISSIONS } from "../providers/stalwart/permissions";
import { STALWART_LISTENERS, STALWART_SERVICES } from "../platform/stalwart-render";
import { selfSignedCertificate } from "../../test/simulators/stalwart/test-certificate";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TOKEN, startSimulator } from "../../test/simulators/authentik/harness";
import type { AuthentikSimulator } from "../../test/simulators/authentik/simulator";
import { OcisSimulator } from "../../test/simulators/ocis/ocis-simulator";
import { StalwartSimulator } from "../../test/simulators/stalwart/stalwart-simulator";
import { mockState } from "../../scripts/lib/mock-outputs";
import { tenantSchema } from "../../tenants/schema";
import { parseZoneFile, toZoneRrsets } from "../providers/stalwart";
import { publishableRecords, revokedDkimValue } from "./mail-layout";
import { Tenant } from "./tenant";

/** The engine hands dynamic providers plain values (they do not accept secrets); so do we. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return unwrapSecrets(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}
useFastTiming();
/** The provider instance each dynamic type runs as, configured with its service's connection. */
const PROVIDERS: Record<string, Ops> = {};

const tenant = tenantSchema.parse({
  slug: "acme",
  displayName: "Acme GmbH",
  plan: "business",
  mailDomains: [{ name: "acme.de", dns: "external" }],
  branding: { primaryColor: "#123456", logoUrl: "https://acme.example/logo.png" },
  departments: [{ slug: "finance", name: "Finance" }],
  spaces: [
    { key: "main", name: "Acme", quotaGb: 100 },
    { key: "finance", name: "Finance: Q1/Q2", quotaGb: 20, grantTo: "finance", role: "manager" },
  ],
  admins: ["it@acme.example"],
});

let authentik: { sim: AuthentikSimulator; url: string };
const ocis = new OcisSimulator();
const stalwart = new StalwartSimulator({
  username: "admin",
  password: "sim-password",
  dkimDelayMs: 50,
});
const created: string[] = [];
interface Rrset {
  name: string;
  type: string;
  records: Array<{ value: string }>;
}
const rrsets: Rrset[] = [];
let subdomainZoneFile = "";
let output: Record<string, unknown>;

beforeAll(async () => {
  authentik = await startSimulator();
  const ocisUrl = await ocis.start();
  const stalwartUrl = await stalwart.start();
  // The platform's order: server settings and the provisioning account with the recovery
  // admin, then every tenant call with that account (least privilege).
  const admin = { url: stalwartUrl, username: "admin", password: "sim-password" };
  const tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-tls-"));
  const cert = selfSignedCertificate({ names: ["*.dezky.test", "dezky.test"] });
  fs.writeFileSync(path.join(tlsDir, "tls.crt"), cert.certificate);
  fs.writeFileSync(path.join(tlsDir, "tls.key"), cert.privateKey);
  const settings = await create(providerFor("stalwart:ServerSettings", admin), {
    hostname: "mail.dezky.test",
    defaultDomain: "dezky.test",
    certificate: {
      certificatePath: path.join(tlsDir, "tls.crt"),
      privateKeyPath: path.join(tlsDir, "tls.key"),
    },
    listeners: STALWART_LISTENERS,
    services: STALWART_SERVICES,
  });
  stalwart.restart();
  expect(settings.outs.defaultDomainId).toBeTruthy();
  const account = await create(providerFor("stalwart:ServiceAccount", admin), {
    name: "dezky-provisioner",
    domain: "dezky.test",
    purpose: "Tenant mail provisioning",
    permissions: [...TENANT_MAIL_PERMISSIONS],
    password: "e2e-generated-password-0123456789",
  });
  const connections = {
    authentik: { url: authentik.url, token: TOKEN },
    ocis: { url: ocisUrl, token: "provisioner-token" },
    stalwart: {
      url: stalwartUrl,
      username: account.outs.login as string,
      password: "e2e-generated-password-0123456789",
    },
  };
  for (const [service, types] of Object.entries({
    authentik: ["Group", "OAuth2Provider", "Application"],
    ocis: ["Group", "Space", "SpaceMember"],
    stalwart: ["MailDomain", "MailDomainRecords"],
  })) {
    for (const type of types) {
      PROVIDERS[`pulumi-nodejs:dynamic/${service}:${type}`] = providerFor(
        `${service}:${type}`,
        connections[service as keyof typeof connections],
      );
    }
  }
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        const provider = PROVIDERS[args.type];
        if (!provider) {
          if (args.type === "hcloud:index/zoneRrset:ZoneRrset") rrsets.push(args.inputs as Rrset);
          return mockState(args.type, args.name, args.inputs as Record<string, unknown>);
        }
        const { __provider: _, ...inputs } = unwrapSecrets(args.inputs) as Record<string, unknown>;
        const result = await create(provider, inputs);
        created.push(args.type);
        return { id: result.id, state: result.outs };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "dezky",
    "e2e",
    false,
  );
  const ready = new pulumi.ComponentResource("test:index:Ready", "api-ready");
  const api = (service: "authentik" | "ocis" | "stalwart") => ({
    connection: new ApiConnection(`${service}-api`, { service, connection: connections[service] }),
    ready,
  });
  const component = new Tenant("acme", {
    tenant,
    platformDomain: "dezky.test",
    production: false,
    date: "2026-11-26",
    zone: { name: "dezky.test", id: "zone-1" },
    hostAddresses: { ipv4: "192.0.2.10", ipv6: "2001:db8::10" },
    apis: { authentik: api("authentik"), ocis: api("ocis"), stalwart: api("stalwart") },
    labels: { cell: "e2e" },
  });
  output = (await new Promise((resolve) =>
    // Wait for every leaf (memberships, record sets) as well as the outputs.
    pulumi
      .all([
        pulumi.output(component.output as unknown as Record<string, unknown>),
        pulumi.all(component.files.members.map((m) => m.permissionId)),
        component.mail.records["acme.dezky.test"].dnsZoneFile.apply((z) => (subdomainZoneFile = z)),
        pulumi.all(component.mail.recordSets.map((r) => r.id)),
      ])
      .apply(([o]) => resolve(o)),
  )) as Record<string, unknown>;
}, 120_000);

afterAll(async () => {
  await authentik?.sim.stop();
  await ocis.stop();
  await stalwart.stop();
});

describe("a tenant deployed against all three simulators", () => {
  it("creates every dynamic resource through its provider", () => {
    expect(created.filter((t) => t.endsWith("authentik:Group"))).toHaveLength(2);
    expect(created.filter((t) => t.endsWith("ocis:Space"))).toHaveLength(2);
    expect(created.filter((t) => t.endsWith("stalwart:MailDomain"))).toHaveLength(2);
    expect(created.filter((t) => t.endsWith("ocis:SpaceMember"))).toHaveLength(2);
  });

  it("Authentik: tenant group, department child group, application bound to the tenant group only", () => {
    const groups = [...authentik.sim.state.groups.values()];
    const main = groups.find((g) => g.name === "dezky-acme");
    const finance = groups.find((g) => g.name === "dezky-acme--finance");
    expect(main).toBeDefined();
    expect(finance?.parents).toEqual([main!.pk]);
    const app = authentik.sim.state.applications.get("dezky-acme");
    expect(app?.meta_launch_url).toBe("https://acme.dezky.test");
    const bindings = [...authentik.sim.state.bindings.values()].filter((b) => b.target === app?.pk);
    expect(bindings.map((b) => b.group)).toEqual([main!.pk]);
  });

  it("OCIS: spaces exist with their quotas and granted groups", () => {
    const drives = [...ocis.drives.values()];
    const main = drives.find((d) => d.name === "Acme");
    const finance = drives.find((d) => d.name.startsWith("Finance"));
    expect(main?.quotaTotal).toBe(100 * 1024 ** 3);
    expect(finance?.quotaTotal).toBe(20 * 1024 ** 3);
    expect(finance?.name).not.toMatch(/[/:]/);
    const groupName = (d: typeof main) =>
      d?.permissions.filter((p) => p.kind === "g").map((p) => p.displayName);
    expect(groupName(main)).toEqual(["dezky-acme"]);
    expect(groupName(finance)).toEqual(["dezky-acme--finance"]);
  });

  it("Stalwart: the subdomain and the mail domain exist with Ed25519 and RSA DKIM", () => {
    const names = [...stalwart.registry.domains.values()]
      .filter((d) => d.description !== "[dezky:platform]")
      .map((d) => d.name)
      .sort();
    expect(names).toEqual(["acme.de", "acme.dezky.test"]);
    const algorithms = [...stalwart.registry.signatures.values()]
      .map((s) => String(s["@type"]))
      .sort();
    expect(algorithms.filter((a) => /Ed25519/i.test(a))).toHaveLength(2);
    expect(algorithms.filter((a) => /Rsa/i.test(a))).toHaveLength(2);
  });

  it("publishes Stalwart's recommended records for the managed subdomain, every DKIM slot, and no name the cell does not serve", () => {
    const recommended = parseZoneFile(subdomainZoneFile);
    const expected = toZoneRrsets(
      publishableRecords(recommended, "acme.dezky.test"),
      "dezky.test",
    ).rrsets;
    const published = rrsets.filter((r) => r.type !== "A" && r.type !== "AAAA"); // not the portal host
    const key = (r: Rrset) => `${r.name} ${r.type} ${JSON.stringify(r.records)}`;
    // Slot b of each algorithm is empty on a new domain: published as a revoked key.
    const emptySlots = (["ed25519", "rsa"] as const).map((alg) => ({
      name: `dezky-${alg}-b._domainkey.acme`,
      type: "TXT",
      records: [{ value: revokedDkimValue(alg) }],
    }));
    expect(published.map(key).sort()).toEqual([...expected, ...emptySlots].map(key).sort());
    expect(published.some((r) => r.name === "dezky-rsa-a._domainkey.acme")).toBe(true);
    // What the settings made Stalwart advertise: the mail host, and no POP3.
    expect(subdomainZoneFile).toContain("acme.dezky.test. IN MX 10 mail.dezky.test.");
    expect(subdomainZoneFile).not.toContain("_pop3s");
    for (const label of ["autoconfig", "autodiscover", "ua-auto-config"]) {
      expect(subdomainZoneFile).toContain(`${label}.acme.dezky.test.`); // recommended...
      expect(published.some((r) => r.name === `${label}.acme`)).toBe(false); // ...not published
    }
  });

  it("calls Stalwart for tenants only as the provisioning account, with manual DKIM", () => {
    const tenantCalls = stalwart.callers.filter((c) =>
      c.methods.some((m) => m.startsWith("x:Domain/") || m.startsWith("x:DkimSignature/")),
    );
    const byAdmin = tenantCalls.filter((c) => c.user === "admin");
    const byAccount = tenantCalls.filter((c) => c.user === "dezky-provisioner@dezky.test");
    expect(byAccount.length).toBeGreaterThan(0);
    // The recovery admin touched domains only for the platform's own default domain.
    expect(byAdmin.every((c) => !c.methods.includes("x:DkimSignature/set"))).toBe(true);
    expect(byAdmin.length + byAccount.length).toBe(tenantCalls.length);
    const domains = [...stalwart.registry.domains.values()].filter((d) =>
      String(d.description).includes("[dezky:tenant=acme]"),
    );
    expect(domains.map((d) => d.dkimManagement)).toEqual([
      { "@type": "Manual" },
      { "@type": "Manual" },
    ]);
  });

  it("outputs the records the customer must publish for the external domain", () => {
    const records = output.dnsRecordsToPublish as Record<string, string[]>;
    expect(Object.keys(records)).toEqual(["acme.de"]);
    expect(records["acme.de"].some((l) => /_domainkey\.acme\.de.*TXT/.test(l))).toBe(true);
    expect(records["acme.de"].some((l) => /_dmarc\.acme\.de.*TXT/.test(l))).toBe(true);
  });
});
