import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import { toZoneRrsets } from "./dns-records";
import { FAST, checked, createDomain, provider, routed } from "./test-support";

const records = routed("stalwart:MailDomainRecords");
import type { MailDomainOutputs } from "./mail-domain.runtime";

const sim = new StalwartSimulator({
  password: "pw",
  token: "tok",
  forbiddenToken: "weak",
  dkimDelayMs: 150,
});
let connection: { url: string; username: string; password: string };
const base = () => ({ connection, tenant: "acme", timeouts: FAST });

function domainsNamed(name: string) {
  return [...sim.registry.domains.values()].filter((d) => d.name === name);
}
function signaturesOf(id: string) {
  return [...sim.registry.signatures.values()].filter((s) => s.domainId === id);
}

beforeAll(async () => {
  const url = await sim.start();
  connection = { url, username: "admin", password: "pw" };
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.server.clearFaults();
  sim.server.resetLog();
});

describe("MailDomain lifecycle", () => {
  it("creates with pending DKIM keys, changes the description and deletes with signatures", async () => {
    const { id, outs } = await createDomain({
      ...base(),
      domain: "Life.Dezky.EU",
      description: "Acme mail",
    });
    expect(outs.domain).toBe("life.dezky.eu");
    expect(domainsNamed("life.dezky.eu")).toHaveLength(1);
    expect(sim.registry.domains.get(id)?.description).toBe("Acme mail [dezky:tenant=acme]");
    expect(outs.description).toBe("Acme mail");
    // Both keys exist at once, pending (nothing signs before its record is published), with
    // their TXT records in the zone file.
    expect(outs.dkim.map((k) => [k.type, k.selector, k.stage])).toEqual([
      ["Dkim1Ed25519Sha256", "dezky-ed25519-a", "pending"],
      ["Dkim1RsaSha256", "dezky-rsa-a", "pending"],
    ]);
    // Create, read, the keys, read again: no polling for a server task.
    expect(sim.methodCount("x:Domain/set")).toBe(1);
    expect(sim.server.log.length).toBe(4);
    // The domain's records (its own resource) list both keys.
    const dns = (
      await records.create(
        (
          await records.check(
            {},
            { connection, tenant: "acme", domain: "life.dezky.eu", domainId: id },
          )
        ).inputs,
      )
    ).outs;
    for (const key of outs.dkim) {
      expect(key.publicKey).toBe(sim.registry.signatures.get(key.id)?.publicKey);
      expect(dns.dnsRecords).toContainEqual({
        name: `${key.selector}._domainkey.life.dezky.eu`,
        type: "TXT",
        value: `v=DKIM1; k=${key.algorithm}; h=sha256; p=${key.publicKey}`,
      });
    }

    // Description change: in place.
    const news = await checked({ ...base(), domain: "life.dezky.eu", description: "Acme GmbH" });
    const d1 = await provider.diff(id, outs, news);
    expect(d1).toMatchObject({ changes: true, replaces: [] });
    const u1 = (await provider.update(id, outs, news)).outs as MailDomainOutputs;
    expect(sim.registry.domains.get(id)?.description).toBe("Acme GmbH [dezky:tenant=acme]");
    expect(u1.description).toBe("Acme GmbH");

    // Rotation (pending first, activated once published) is covered in dkim-rotation.test.ts.
    const u3 = u1;

    // Delete: signatures go first, then the domain.
    sim.server.resetLog();
    await provider.delete(id, u3);
    expect(sim.registry.domains.has(id)).toBe(false);
    expect(signaturesOf(id)).toHaveLength(0);
    expect(sim.server.log).toHaveLength(2); // probe, then keys + domain in one request
    // Deleting again is a no-op (gone = done).
    await provider.delete(id, u3);
  });

  it("replaces on a domain rename; a rotated connection changes nothing", async () => {
    const { id, outs } = await createDomain({ ...base(), domain: "rename.dezky.eu" });
    const renamed = await checked({ ...base(), domain: "other.dezky.eu" });
    expect(await provider.diff(id, outs, renamed)).toMatchObject({
      changes: true,
      replaces: ["domain"],
    });
    const sameCase = await checked({ ...base(), domain: "RENAME.dezky.eu" });
    // Pending keys waiting for their record are no work; active ones neither.
    expect(await provider.diff(id, outs, sameCase)).toMatchObject({ changes: false, replaces: [] });
    for (const key of outs.dkim) sim.registry.signatures.get(key.id)!.stage = "active";
    const active = (await provider.read(id, outs)).props as MailDomainOutputs;
    expect((await provider.diff(id, active, sameCase)).changes).toBe(false);
    // Another credential (a Bearer API key instead of the account): no diff, and it serves
    // read and delete of the same object.
    const rotated = await checked({
      ...base(),
      domain: "rename.dezky.eu",
      connection: { url: connection.url, token: "tok" },
    });
    expect(await provider.diff(id, active, rotated)).toMatchObject({
      changes: false,
      replaces: [],
    });
    const reread = (await provider.read(id, { ...active, connection: rotated.connection })).props;
    expect(reread.dkim).toEqual(active.dkim);
    await provider.delete(id, reread); // works with the Bearer token
    expect(sim.registry.domains.has(id)).toBe(false);
  });
});

describe("drift", () => {
  it("read reports changes made outside Pulumi and an empty id when the domain is gone", async () => {
    const { id, outs } = await createDomain({
      ...base(),
      domain: "drift.dezky.eu",
      description: "Mail",
    });
    sim.registry.domains.get(id)!.description = "edited by hand";
    const read = await provider.read(id, outs);
    expect(read.id).toBe(id);
    expect((read.props as MailDomainOutputs).description).toBe("edited by hand");
    const inputs = await checked({ ...base(), domain: "drift.dezky.eu", description: "Mail" });
    expect((await provider.diff(id, read.props as MailDomainOutputs, inputs)).changes).toBe(true);
    const fixed = (await provider.update(id, read.props as MailDomainOutputs, inputs))
      .outs as MailDomainOutputs;
    expect(sim.registry.domains.get(id)?.description).toBe("Mail [dezky:tenant=acme]");

    // A DKIM key deleted by hand: refresh shows it, the next update creates a fresh pending
    // key in its slot (signing resumes for that algorithm only once its record is published).
    const rsa = fixed.dkim.find((k) => k.algorithm === "rsa")!;
    sim.registry.signatures.delete(rsa.id);
    const afterKeyLoss = (await provider.read(id, fixed)).props as MailDomainOutputs;
    expect(afterKeyLoss.dkim.map((k) => k.algorithm)).toEqual(["ed25519"]);
    expect((await provider.diff(id, afterKeyLoss, inputs)).changes).toBe(true);
    const restored = (await provider.update(id, afterKeyLoss, inputs)).outs as MailDomainOutputs;
    expect(restored.dkim.map((k) => [k.algorithm, k.stage])).toEqual([
      ["ed25519", "pending"],
      ["rsa", "pending"],
    ]);
    expect(restored.dkim.find((k) => k.algorithm === "rsa")?.publicKey).not.toBe(rsa.publicKey);

    for (const s of signaturesOf(id)) sim.registry.signatures.delete(s.id);
    sim.registry.domains.delete(id);
    expect(await provider.read(id, restored)).toEqual({ id: "", props: {} });
  });
});

describe("adoption", () => {
  it("refuses a same-named domain it did not create unless adopt is set", async () => {
    const existing = sim.registry.createDomain({
      name: "legacy.dezky.eu",
      description: "old server",
    }) as { id: string };
    await expect(createDomain({ ...base(), domain: "legacy.dezky.eu" })).rejects.toThrow(
      /tenant "acme".*legacy\.dezky\.eu already exists.*not created by this program.*adopt: true/,
    );
    expect(sim.registry.domains.get(existing.id)?.description).toBe("old server");
    const { id, outs } = await createDomain({
      ...base(),
      domain: "legacy.dezky.eu",
      description: "Acme",
      adopt: true,
    });
    expect(id).toBe(existing.id);
    expect(outs.adopted).toBe(true);
    expect(sim.registry.domains.get(id)?.description).toBe("Acme [dezky:tenant=acme]");
    expect(domainsNamed("legacy.dezky.eu")).toHaveLength(1);
  });

  it("names the other tenant when the domain is marked for it", async () => {
    sim.registry.createDomain({ name: "taken.dezky.eu", description: "[dezky:globex]" });
    await expect(createDomain({ ...base(), domain: "taken.dezky.eu" })).rejects.toThrow(
      /marked for tenant "globex"/,
    );
  });
});

describe("managed DNS zone", () => {
  it("turns the records into hcloud rrsets that match the zone file exactly", async () => {
    const { id, outs: domain } = await createDomain({ ...base(), domain: "zone.dezky.eu" });
    const { outs } = await records.create(
      (
        await records.check(
          {},
          { connection, tenant: "acme", domain: "zone.dezky.eu", domainId: id },
        )
      ).inputs,
    );
    const { rrsets, outside } = toZoneRrsets(outs.dnsRecords, "dezky.eu");
    expect(outside).toEqual([]);
    const fromRrsets = rrsets.flatMap((s) =>
      s.records.map(
        (r) => `${s.name === "@" ? "" : `${s.name}.`}dezky.eu. IN ${s.type} ${r.value}`,
      ),
    );
    // The zone text, with the parenthesised multi-line TXT records collapsed onto one line.
    const fromZone: string[] = (outs.dnsZoneFile as string)
      .replace(/\(\s*([^)]*?)\s*\)/g, (_m: string, inner: string) =>
        inner.split(/\s*\n\s*/).join(" "),
      )
      .split("\n")
      .filter(Boolean);
    expect(fromRrsets.sort()).toEqual(fromZone.sort());
    expect(fromZone.some((l) => /IN TXT "v=DKIM1; k=rsa; [^"]{200,}" "/.test(l))).toBe(true);
    expect(
      rrsets.every((s) =>
        s.records.every(
          (r) => s.type !== "TXT" || /^"[^"]{0,255}"( "[^"]{0,255}")*$/.test(r.value),
        ),
      ),
    ).toBe(true);
    await provider.delete(id, domain);
  });
});
