import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SimRequest } from "../../../test/simulators/fault-server";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import { selfSignedCertificate } from "../../../test/simulators/stalwart/test-certificate";
import { runSerialized } from "../../../test/support/run-serialized";
import type { ServerSettingsInputs, ServerSettingsOutputs } from "./server-settings.runtime";
import type { ListenerSpec } from "./server-plan";
import { FAST, routed } from "./test-support";

const provider = routed("stalwart:ServerSettings");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stalwart-settings-"));
const tls = {
  certificatePath: path.join(dir, "tls.crt"),
  privateKeyPath: path.join(dir, "tls.key"),
};
const LISTENERS: ListenerSpec[] = [
  { name: "smtp", bind: "[::]:25", protocol: "smtp", useTls: true, tlsImplicit: false },
  { name: "submissions", bind: "[::]:465", protocol: "smtp", useTls: true, tlsImplicit: true },
  { name: "submission", bind: "[::]:587", protocol: "smtp", useTls: true, tlsImplicit: false },
  { name: "imaps", bind: "[::]:993", protocol: "imap", useTls: true, tlsImplicit: true },
  { name: "sieve", bind: "[::]:4190", protocol: "manageSieve", useTls: true, tlsImplicit: false },
  { name: "http", bind: "[::]:8080", protocol: "http", useTls: true, tlsImplicit: false },
];
const SERVICES = Object.fromEntries(
  ["caldav", "carddav", "imap", "jmap", "managesieve", "smtp", "webdav"].map((s) => [
    s,
    { cleartext: false },
  ]),
);

let sim: StalwartSimulator;
let url = "";
const admin = () => ({ url, username: "admin", password: "pw" });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WithConnection = ServerSettingsInputs & Record<string, any>;
const inputs = (over: Partial<WithConnection> = {}): WithConnection => ({
  connection: admin(),
  hostname: "mail.dezky.test",
  defaultDomain: "dezky.test",
  certificate: tls,
  listeners: LISTENERS,
  services: SERVICES,
  timeouts: { ...FAST, certificateReadyMs: 3000 },
  ...over,
});
async function checked(raw: WithConnection): Promise<WithConnection> {
  const { inputs: out, failures } = await provider.check({}, raw);
  if (failures?.length) throw new Error(JSON.stringify(failures));
  return out as WithConnection;
}
const setCalls = () =>
  sim.server.log.flatMap((r) =>
    ((r.body as { methodCalls?: [string][] })?.methodCalls ?? [])
      .map((c) => c[0])
      .filter((m) => m.endsWith("/set")),
  );

function writeCertificate(): void {
  const cert = selfSignedCertificate({ names: ["*.dezky.test", "dezky.test"] });
  fs.writeFileSync(tls.certificatePath, cert.certificate);
  fs.writeFileSync(tls.privateKeyPath, cert.privateKey);
}

beforeAll(async () => {
  sim = new StalwartSimulator({ password: "pw", envHostname: "debian-host" });
  url = await sim.start();
});
afterAll(async () => {
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sim.server.clearFaults();
  sim.server.resetLog();
});

describe("ServerSettings", () => {
  it("waits for the certificate file, then makes the server say and serve what the cell exposes", async () => {
    // A tenant domain that exists before: its records show what an unconfigured 0.16 says.
    const tenant = sim.registry.createDomain({
      name: "acme.dezky.test",
      dkimManagement: { "@type": "Manual" },
    }) as { id: string };
    const zone = () =>
      String(sim.registry.viewDomain(sim.registry.domains.get(tenant.id)!).dnsZoneFile);
    expect(zone()).toContain("_pop3s._tcp.acme.dezky.test. IN SRV 0 1 995 debian-host.");
    setTimeout(writeCertificate, 400); // the TLS sync writes the files a little later
    const { id, outs } = await provider.create(await checked(inputs()));
    const o = outs as ServerSettingsOutputs;
    expect(id).toBe("stalwart-settings-mail.dezky.test");

    const domain = sim.registry.domains.get(o.defaultDomainId)!;
    expect([domain.name, domain.description, domain.dkimManagement]).toEqual([
      "dezky.test",
      "[dezky:platform]",
      { "@type": "Manual" },
    ]);
    const cert = sim.registry.server.certificates.get(o.certificateId)!;
    expect(cert.certificate).toEqual({ "@type": "File", filePath: tls.certificatePath });
    expect(cert.privateKey).toEqual({ "@type": "File", filePath: tls.privateKeyPath });
    expect(sim.registry.server.settings).toMatchObject({
      defaultHostname: "mail.dezky.test",
      defaultDomainId: o.defaultDomainId,
      defaultCertificateId: o.certificateId,
    });
    // Reloaded: the running server loaded the certificate and the settings.
    expect(sim.registry.server.loadedCertificates).toEqual([o.certificateId]);
    const after = zone();
    expect(after).toContain("acme.dezky.test. IN MX 10 mail.dezky.test.");
    expect(after).not.toContain("_pop3s");
    expect(after).toContain("_submissions._tcp.acme.dezky.test. IN SRV 0 1 465 mail.dezky.test.");

    // Stored at once, bound only after the host restart keyed on listenersChangedAt.
    const stored = [...sim.registry.server.listeners.values()].map((l) => l.name).sort();
    expect(stored).toEqual(LISTENERS.map((l) => l.name).sort());
    expect(sim.registry.server.bound.map((b) => b.port)).toContain(443);
    expect(o.listenersChangedAt).toMatch(/^\d{4}-/);
    sim.restart();
    expect(sim.registry.server.bound.map((b) => b.port).sort((a, b) => a - b)).toEqual([
      25, 465, 587, 993, 4190, 8080,
    ]);

    // Again with the same inputs: reads only, nothing written, no new restart trigger.
    sim.server.resetLog();
    const again = (
      await provider.update(id, o, await checked(inputs({ listeners: [...LISTENERS] })))
    ).outs as ServerSettingsOutputs;
    expect(setCalls()).toEqual([]);
    expect(again.listenersChangedAt).toBe(o.listenersChangedAt);
    // What the server reports compares equal to the inputs, whatever their key order.
    const refreshed = (await provider.read(id, again)).props as ServerSettingsOutputs;
    const reordered = inputs({
      listeners: LISTENERS.map(({ tlsImplicit, useTls, protocol, bind, name }) => ({
        tlsImplicit,
        useTls,
        protocol,
        bind,
        name,
      })),
      certificate: { privateKeyPath: tls.privateKeyPath, certificatePath: tls.certificatePath },
    });
    expect((await provider.diff(id, refreshed, await checked(reordered))).changes).toBe(false);
  });

  it("reports drift on read and puts it right: a listener added by hand, a certificate deleted", async () => {
    const base = await checked(inputs());
    const made = (await provider.create(base)).outs as ServerSettingsOutputs;
    sim.registry.server.createListener({
      name: "pop3s",
      bind: { "[::]:995": true },
      protocol: "pop3",
    });
    sim.registry.server.settings!.defaultCertificateId = null;
    sim.registry.server.certificates.delete(made.certificateId);
    const read = (await provider.read(made.certificateId, made)).props as ServerSettingsOutputs;
    expect(read.listeners.map((l) => l.name)).toContain("pop3s");
    expect(read.certificate).toEqual({ certificatePath: "", privateKeyPath: "" });
    expect((await provider.diff("x", read, base)).changes).toBe(true);
    const fixed = (await provider.update("x", read, base)).outs as ServerSettingsOutputs;
    expect([...sim.registry.server.listeners.values()].some((l) => l.name === "pop3s")).toBe(false);
    expect(fixed.listenersChangedAt).not.toBe(made.listenersChangedAt);
    expect(sim.registry.server.certificates.has(fixed.certificateId)).toBe(true);
    expect(sim.registry.server.settings?.defaultCertificateId).toBe(fixed.certificateId);
  });

  it("registers one certificate when the create's response is lost, and names the files when they never appear", async () => {
    for (const c of [...sim.registry.server.certificates.keys()]) {
      sim.registry.server.settings!.defaultCertificateId = null;
      sim.registry.server.certificates.delete(c);
    }
    sim.server.inject(
      { kind: "lose-response" },
      {
        path: "/jmap/",
        when: (req: SimRequest) =>
          JSON.stringify(req.body).includes('"x:Certificate/set",{"create"'),
      },
    );
    await provider.create(await checked(inputs()));
    expect(sim.registry.server.certificates.size).toBe(1);

    const missing = {
      certificatePath: path.join(dir, "never.crt"),
      privateKeyPath: tls.privateKeyPath,
    };
    await expect(
      provider.create(
        await checked(
          inputs({ certificate: missing, timeouts: { ...FAST, certificateReadyMs: 500 } }),
        ),
      ),
    ).rejects.toThrow(
      /x:Certificate\/set create.*Failed to read certificate.*never\.crt is written by the stalwart-tls-sync job/,
    );
  });

  it("refuses a default domain it did not create unless adopt is set, and checks what it is given", async () => {
    sim.registry.createDomain({ name: "other.test", description: "someone else's" });
    await expect(
      provider.create(await checked(inputs({ defaultDomain: "other.test" }))),
    ).rejects.toThrow(/domain other\.test already exists in Stalwart .* set adopt/);
    const adopted = (
      await provider.create(await checked(inputs({ defaultDomain: "other.test", adopt: true })))
    ).outs as ServerSettingsOutputs;
    expect(sim.registry.domains.get(adopted.defaultDomainId)?.description).toBe("[dezky:platform]");
    const { failures } = await provider.check(
      {},
      {
        ...inputs(),
        certificate: { certificatePath: "tls.crt", privateKeyPath: "/k" },
        listeners: LISTENERS.filter((l) => l.protocol !== "http"),
      },
    );
    expect(failures?.map((f) => f.property)).toEqual(["certificate.certificatePath", "listeners"]);
    expect(failures?.[1].reason).toMatch(/management API/);
  });

  it("a rotated admin password changes nothing; delete leaves the server as it is", async () => {
    const outs = (await provider.create(await checked(inputs()))).outs as ServerSettingsOutputs;
    const rotated = await checked(
      inputs({ connection: { url, username: "admin", password: "other" } }),
    );
    expect((await provider.diff("x", outs, rotated)).changes).toBe(false);
    sim.server.resetLog();
    await provider.delete("x", outs);
    expect(sim.server.log).toHaveLength(0);
  });

  it("recognises the default domain an older version marked [dezky-platform] and re-marks it", async () => {
    const old = sim.registry.createDomain({
      name: "legacy.test",
      description: "[dezky-platform]",
    }) as { id: string };
    const outs = (await provider.create(await checked(inputs({ defaultDomain: "legacy.test" }))))
      .outs as ServerSettingsOutputs;
    expect(outs.defaultDomainId).toBe(old.id);
    expect(sim.registry.domains.get(old.id)?.description).toBe("[dezky:platform]");
  });

  it("runs create, read and delete through the serialized provider under plain Node", async () => {
    const { connection, timeouts: _t, ...plain } = inputs();
    const run = await runSerialized({
      module: "components/providers/stalwart/server-settings.js",
      exportName: "ServerSettings",
      name: "ser-settings",
      service: "stalwart-admin",
      connection,
      inputs: plain,
      steps: ["create", "read", "delete"],
    });
    expect(run.provider).not.toContain(url);
    expect(run.provider).not.toContain('"pw"');
    expect(run.providerLength).toBeLessThan(2048);
    const created = run.results.create as { id: string; outs: ServerSettingsOutputs };
    expect(created.outs.hostname).toBe("mail.dezky.test");
    expect((run.results.read as { props: ServerSettingsOutputs }).props.listeners).toHaveLength(6);
  });
});
