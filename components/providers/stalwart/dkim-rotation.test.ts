import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DnsStub } from "../../../test/simulators/stalwart/dns-stub";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import { DKIM_RETIRE_MS, dkimTags, planActivation } from "./dkim-rotation";
import type { Raw } from "./domain-api";
import type { MailDomainOutputs } from "./mail-domain.runtime";
import { FAST, checked, createDomain, provider, routed } from "./test-support";

const records = routed("stalwart:MailDomainRecords");

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

describe("DKIM keys never sign before their record is published", () => {
  it("a new domain's first keys wait pending, activate once published; a rotation uses the other slot", async () => {
    const base = { connection, tenant: "acme", timeouts: FAST, dnsResolvers: [resolver] };
    const d = "rotate.dezky.eu";
    const { id, outs } = await createDomain({ ...base, domain: d });
    // 1. Created pending in slot a: Stalwart signs with nothing yet (it would have created
    //    its own keys active, task_manager/dkim.rs:183-190; the domain has manual DKIM).
    expect(outs.dkim.map((k) => [k.selector, k.stage])).toEqual([
      ["dezky-ed25519-a", "pending"],
      ["dezky-rsa-a", "pending"],
    ]);
    expect(sim.registry.domains.get(id)?.dkimManagement).toEqual({ "@type": "Manual" });
    expect(sim.registry.signingSelectors(id)).toEqual([]);
    expect(JSON.stringify(outs)).not.toContain("PRIVATE KEY");
    const plain = await checked({ ...base, domain: d });
    // Keys waiting for their record are no work: no update on every deploy while they wait.
    expect((await provider.diff(id, outs, plain)).changes).toBe(false);

    // 2. Published with the wrong key, or not at all: still pending; a refresh sees nothing
    //    published, and an update (for any reason) activates nothing.
    const [edA, rsaA] = outs.dkim;
    publish(d, { ...edA, publicKey: rsaA.publicKey });
    const seen1 = (await provider.read(id, outs)).props as MailDomainOutputs;
    expect((await provider.diff(id, seen1, plain)).changes).toBe(false);
    const u1 = (await provider.update(id, outs, plain)).outs as MailDomainOutputs;
    expect(u1.dkim.map((k) => k.stage)).toEqual(["pending", "pending"]);
    expect(sim.registry.signingSelectors(id)).toEqual([]);

    // 3. Both published: a refresh finds them published, which makes the activation due;
    //    the update makes both sign; nothing left to do.
    publish(d, edA);
    publish(d, rsaA);
    const seen2 = (await provider.read(id, u1)).props as MailDomainOutputs;
    expect(seen2.dkim.map((k) => k.published)).toEqual([true, true]);
    expect((await provider.diff(id, seen2, plain)).changes).toBe(true);
    const u2 = (await provider.update(id, seen2, plain)).outs as MailDomainOutputs;
    expect(sim.registry.signingSelectors(id)).toEqual(["dezky-ed25519-a", "dezky-rsa-a"]);
    expect((await provider.diff(id, u2, plain)).changes).toBe(false);

    // 4. Rotation: a new pair pending in slot b; slot a keeps signing.
    const rotate = await checked({ ...base, domain: d, dkimRotation: "2" });
    const u3 = (await provider.update(id, u2, rotate)).outs as MailDomainOutputs;
    expect(u3.dkim.map((k) => [k.selector, k.stage])).toEqual([
      ["dezky-ed25519-a", "active"],
      ["dezky-ed25519-b", "pending"],
      ["dezky-rsa-a", "active"],
      ["dezky-rsa-b", "pending"],
    ]);
    expect(u3.dkimRotationApplied).toBe("2");
    expect(sim.registry.signingSelectors(id)).toEqual(["dezky-ed25519-a", "dezky-rsa-a"]);

    // 5. Slot b published (a refresh sees it): it signs; slot a retires (still published, no
    //    longer signing).
    for (const key of u3.dkim.filter((k) => k.stage === "pending")) publish(d, key);
    const seen3 = (await provider.read(id, u3)).props as MailDomainOutputs;
    expect((await provider.diff(id, seen3, rotate)).changes).toBe(true);
    const u4 = (await provider.update(id, seen3, rotate)).outs as MailDomainOutputs;
    expect(sim.registry.signingSelectors(id)).toEqual(["dezky-ed25519-b", "dezky-rsa-b"]);
    expect(u4.dkim.filter((k) => k.stage === "retiring").map((k) => k.selector)).toEqual([
      "dezky-ed25519-a",
      "dezky-rsa-a",
    ]);
    const dns4 = await records.read(id, { connection, tenant: "acme", domain: d, domainId: id });
    expect(
      (dns4.props.dnsRecords as { name: string }[]).filter((r) => r.name.includes("._domainkey.")),
    ).toHaveLength(4);
    expect((await provider.diff(id, u4, rotate)).changes).toBe(false);

    // 6. The next rotation waits while slot a still holds a retiring key: no key is cut short.
    const again = await checked({ ...base, domain: d, dkimRotation: "3" });
    const u5 = (await provider.update(id, u4, again)).outs as MailDomainOutputs;
    expect(u5.dkim.map((k) => k.stage)).toEqual(["retiring", "active", "retiring", "active"]);
    expect(u5.dkimRotationApplied).toBe("2");
    expect((await provider.diff(id, u5, again)).changes).toBe(false);

    // 7. Past the retire time: the old keys go and the waiting rotation takes slot a.
    for (const key of u5.dkim.filter((k) => k.stage === "retiring")) {
      sim.registry.signatures.get(key.id)!.nextTransitionAt = new Date(0).toISOString();
    }
    const refreshed = (await provider.read(id, u5)).props as MailDomainOutputs;
    expect((await provider.diff(id, refreshed, again)).changes).toBe(true);
    const u6 = (await provider.update(id, refreshed, again)).outs as MailDomainOutputs;
    expect(u6.dkim.map((k) => [k.selector, k.stage])).toEqual([
      ["dezky-ed25519-a", "pending"],
      ["dezky-ed25519-b", "active"],
      ["dezky-rsa-a", "pending"],
      ["dezky-rsa-b", "active"],
    ]);
    expect(u6.dkim.find((k) => k.selector === "dezky-rsa-a")?.publicKey).not.toBe(rsaA.publicKey);
    expect(u6.dkimRotationApplied).toBe("3");
    expect(sim.registry.signingSelectors(id)).toEqual(["dezky-ed25519-b", "dezky-rsa-b"]);
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
