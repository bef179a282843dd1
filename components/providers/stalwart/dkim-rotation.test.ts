import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DnsStub } from "../../../test/simulators/stalwart/dns-stub";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import { DKIM_RETIRE_MS, dkimTags, planActivation } from "./dkim-rotation";
import type { Raw } from "./domain-api";
import type { MailDomainOutputs } from "./mail-domain-provider";
import { FAST, checked, createDomain, provider } from "./test-support";

const sim = new StalwartSimulator({ password: "pw", dkimDelayMs: 50 });
const dns = new DnsStub();
let connection: { url: string; username: string; password: string };
let resolver = "";

beforeAll(async () => {
  connection = { url: await sim.start(), username: "admin", password: "pw" };
  resolver = await dns.start();
});
afterAll(async () => {
  await sim.stop();
  await dns.stop();
});

/** Publishes a key's TXT record in the stub DNS (what the zone or the customer does). */
function publish(domain: string, key: { selector: string; algorithm: string; publicKey: string }) {
  dns.txt.set(`${key.selector}._domainkey.${domain}`, [
    `v=DKIM1; k=${key.algorithm}; h=sha256; p=${key.publicKey}`,
  ]);
}

describe("DKIM rotation never signs with an unpublished key", () => {
  it("creates the new keys pending, activates them once published, then retires the old ones", async () => {
    const base = { connection, tenant: "acme", timeouts: FAST, dnsResolvers: [resolver] };
    const { id, outs } = await createDomain({ ...base, domain: "rotate.dezky.eu" });
    const first = outs.dkim.map((k) => k.selector).sort();
    expect(sim.registry.signingSelectors(id)).toEqual(first);
    for (const key of outs.dkim) publish("rotate.dezky.eu", key);

    // 1. Rotation requested: two new keys, pending; Stalwart still signs with the old pair.
    const rotate = await checked({ ...base, domain: "rotate.dezky.eu", dkimRotation: "2" });
    const u1 = (await provider.update(id, outs, rotate)).outs as MailDomainOutputs;
    const fresh = u1.dkim.filter((k) => k.stage === "pending");
    expect(fresh.map((k) => k.algorithm)).toEqual(["ed25519", "rsa"]);
    expect(sim.registry.signingSelectors(id)).toEqual(first);
    // Their records are in the zone file for the operator or customer to publish.
    for (const key of fresh) {
      expect(u1.dnsRecords.some((r) => r.name === key.dnsName && r.type === "TXT")).toBe(true);
    }
    // The private keys reached Stalwart, never the outputs.
    expect(JSON.stringify(u1)).not.toContain("PRIVATE KEY");

    // 2. Not yet published: the next update changes nothing and keeps asking.
    expect((await provider.diff(id, u1, rotate)).changes).toBe(true);
    const u2 = (await provider.update(id, u1, rotate)).outs as MailDomainOutputs;
    expect(u2.dkim.filter((k) => k.stage === "pending")).toHaveLength(2);
    expect(sim.registry.signingSelectors(id)).toEqual(first);

    // 3. Only the Ed25519 record is published, and with the wrong key: still nothing.
    const [ed, rsa] = fresh;
    publish("rotate.dezky.eu", { ...ed, publicKey: rsa.publicKey });
    const u3 = (await provider.update(id, u2, rotate)).outs as MailDomainOutputs;
    expect(u3.dkim.filter((k) => k.stage === "pending")).toHaveLength(2);

    // 4. Ed25519 published correctly: it signs, the old Ed25519 key retires; RSA waits.
    publish("rotate.dezky.eu", ed);
    const u4 = (await provider.update(id, u3, rotate)).outs as MailDomainOutputs;
    const stages = Object.fromEntries(u4.dkim.map((k) => [k.selector, k.stage]));
    expect(stages[ed.selector]).toBe("active");
    expect(stages[rsa.selector]).toBe("pending");
    const oldEd = outs.dkim.find((k) => k.algorithm === "ed25519")!;
    const oldRsa = outs.dkim.find((k) => k.algorithm === "rsa")!;
    expect(stages[oldEd.selector]).toBe("retiring");
    expect(stages[oldRsa.selector]).toBe("active");
    expect(sim.registry.signingSelectors(id)).toEqual([ed.selector, oldRsa.selector].sort());

    // 5. RSA published: the new pair signs; the old pair stays published while retiring.
    publish("rotate.dezky.eu", rsa);
    const u5 = (await provider.update(id, u4, rotate)).outs as MailDomainOutputs;
    expect(sim.registry.signingSelectors(id)).toEqual([ed.selector, rsa.selector].sort());
    const retiring = u5.dkim.filter((k) => k.stage === "retiring");
    expect(retiring.map((k) => k.selector).sort()).toEqual(first);
    expect(u5.dnsRecords.filter((r) => r.name.includes("._domainkey."))).toHaveLength(4);
    expect((await provider.diff(id, u5, rotate)).changes).toBe(false);

    // 6. Past the retire time, the next update removes the old pair.
    for (const key of retiring) {
      sim.registry.signatures.get(key.id)!.nextTransitionAt = new Date(0).toISOString();
    }
    const refreshed = (await provider.read(id, u5)).props as MailDomainOutputs;
    expect((await provider.diff(id, refreshed, rotate)).changes).toBe(true);
    const u6 = (await provider.update(id, refreshed, rotate)).outs as MailDomainOutputs;
    expect(u6.dkim.map((k) => k.selector).sort()).toEqual([ed.selector, rsa.selector].sort());
    expect(u6.dkim.every((k) => k.stage === "active")).toBe(true);
    await provider.delete(id, u6);
  });
});

describe("planActivation (pure)", () => {
  const key = (id: string, type: string, stage: string, extra: Partial<Raw> = {}): Raw => ({
    id,
    "@type": type,
    selector: id,
    stage,
    ...extra,
  });
  const now = new Date("2026-09-01T00:00:00Z");

  it("activates only published pending keys and retires the same variant's active key", () => {
    const sigs = [
      key("old-ed", "Dkim1Ed25519Sha256", "active"),
      key("old-rsa", "Dkim1RsaSha256", "active"),
      key("new-ed", "Dkim1Ed25519Sha256", "pending"),
      key("new-rsa", "Dkim1RsaSha256", "pending"),
    ];
    const plan = planActivation(sigs, new Set(["new-ed"]), now);
    expect(plan.update).toEqual({
      "new-ed": { stage: "active" },
      "old-ed": {
        stage: "retiring",
        nextTransitionAt: new Date(now.getTime() + DKIM_RETIRE_MS).toISOString(),
      },
    });
    expect(plan.destroy).toEqual([]);
    expect(planActivation(sigs, new Set(), now).update).toEqual({});
  });

  it("removes retiring keys only after their time", () => {
    const sigs = [
      key("a", "Dkim1RsaSha256", "retiring", { nextTransitionAt: "2026-08-31T23:59:59Z" }),
      key("b", "Dkim1RsaSha256", "retiring", { nextTransitionAt: "2026-09-02T00:00:00Z" }),
      key("c", "Dkim1RsaSha256", "retiring", { nextTransitionAt: null }),
    ];
    expect(planActivation(sigs, new Set(), now).destroy).toEqual(["a"]);
  });

  it("reads the p= tag of a DKIM record, ignoring spaces", () => {
    expect(dkimTags("v=DKIM1; k=rsa; h=sha256; p=MIIB IjAN")).toMatchObject({ p: "MIIBIjAN" });
  });
});
