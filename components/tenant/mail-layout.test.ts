/**
 * The managed-zone layout of a mail domain: pure checks, and a full DKIM rotation in which the
 * stub DNS serves exactly what the layout's record sets would publish in the Hetzner zone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DnsStub } from "../../test/simulators/stalwart/dns-stub";
import { StalwartSimulator } from "../../test/simulators/stalwart/stalwart-simulator";
import { TENANT_MAIL_PERMISSIONS } from "../providers/stalwart/permissions";
import type { MailDomainOutputs } from "../providers/stalwart/mail-domain.runtime";
import { routed } from "../providers/stalwart/test-support";
import { parseZoneFile, type DnsRecord } from "../providers/stalwart";
import { MAIL_RRSET_LAYOUT, fillLayout, publishableRecords, revokedDkimValue } from "./mail-layout";

const provider = routed("stalwart:MailDomain");
const recordsOf = routed("stalwart:MailDomainRecords");

describe("fillLayout (pure)", () => {
  const zone = [
    'dezky-rsa-a._domainkey.acme.dezky.eu. IN TXT "v=DKIM1; k=rsa; h=sha256; p=RSAKEY"',
    'dezky-ed25519-a._domainkey.acme.dezky.eu. IN TXT "v=DKIM1; k=ed25519; h=sha256; p=EDKEY"',
    'dezky-ed25519-b._domainkey.acme.dezky.eu. IN TXT "v=DKIM1; k=ed25519; h=sha256; p=EDNEW"',
    'acme.dezky.eu. IN TXT "v=spf1 mx -all"',
    "acme.dezky.eu. IN MX 10 mail.dezky.eu.",
    '_dmarc.acme.dezky.eu. IN TXT "v=DMARC1; p=reject; rua=mailto:postmaster@acme.dezky.eu"',
    ...["_caldavs", "_carddavs", "_jmap"].map(
      (s) => `${s}._tcp.acme.dezky.eu. IN SRV 0 1 443 mail.dezky.eu.`,
    ),
    "_imaps._tcp.acme.dezky.eu. IN SRV 0 1 993 mail.dezky.eu.",
    "_submissions._tcp.acme.dezky.eu. IN SRV 0 1 465 mail.dezky.eu.",
    '_smtp._tls.acme.dezky.eu. IN TXT "v=TLSRPTv1; rua=mailto:postmaster@acme.dezky.eu"',
    "ua-auto-config.acme.dezky.eu. IN CNAME mail.dezky.eu.",
    '_ua-auto-config.acme.dezky.eu. IN TXT "v=UAAC1; a=sha256; d=abc"',
    "autoconfig.acme.dezky.eu. IN CNAME mail.dezky.eu.",
    "autodiscover.acme.dezky.eu. IN CNAME mail.dezky.eu.",
  ].join("\n");
  const records = parseZoneFile(zone);

  it("publishes every DKIM slot at a name known before Stalwart answers; empty slots as revoked keys", () => {
    const { sets, unmanaged } = fillLayout(records, "acme.dezky.eu", "dezky.eu");
    expect(sets["dkim-ed25519-a"].records).toEqual([
      { value: '"v=DKIM1; k=ed25519; h=sha256; p=EDKEY"' },
    ]);
    expect(sets["dkim-ed25519-b"].records).toEqual([
      { value: '"v=DKIM1; k=ed25519; h=sha256; p=EDNEW"' },
    ]);
    expect(sets["dkim-rsa-b"]).toMatchObject({
      name: "dezky-rsa-b._domainkey.acme",
      records: [{ value: revokedDkimValue("rsa") }],
    });
    expect(revokedDkimValue("rsa")).toBe('"v=DKIM1; k=rsa; p="');
    expect(unmanaged).toEqual([]);
    expect(MAIL_RRSET_LAYOUT.map((e) => e.key)).not.toContain("srv-pop3s");
  });

  it("leaves out the client-setup names the cell does not serve, everywhere", () => {
    const kept = publishableRecords(records, "acme.dezky.eu").map((r) => r.name);
    for (const name of ["autoconfig", "autodiscover", "ua-auto-config", "_ua-auto-config"]) {
      expect(kept).not.toContain(`${name}.acme.dezky.eu`);
    }
    expect(kept).toContain("_imaps._tcp.acme.dezky.eu");
  });

  it("reports extra records (a foreign key, POP3 still advertised) and refuses a missing one", () => {
    const extra: DnsRecord[] = [
      ...records,
      { name: "_pop3s._tcp.acme.dezky.eu", type: "SRV", value: "0 1 995 mail.dezky.eu." },
      { name: "v1-rsa-20260101._domainkey.acme.dezky.eu", type: "TXT", value: "v=DKIM1; p=OLD" },
    ];
    const names = fillLayout(extra, "acme.dezky.eu", "dezky.eu").unmanaged.map((r) => r.name);
    expect(names.sort()).toEqual([
      "_pop3s._tcp.acme.dezky.eu",
      "v1-rsa-20260101._domainkey.acme.dezky.eu",
    ]);
    expect(() =>
      fillLayout(
        records.filter((r) => r.type !== "MX"),
        "acme.dezky.eu",
        "dezky.eu",
      ),
    ).toThrow(/no MX record at acme \(mx\)/);
  });
});

describe("a full DKIM rotation published through the layout", () => {
  const sim = new StalwartSimulator({
    password: "pw",
    envHostname: "mail.dezky.test",
    users: {
      "provisioner@dezky.test": { password: "pp", permissions: [...TENANT_MAIL_PERMISSIONS] },
    },
  });
  const dns = new DnsStub();
  let base: Record<string, unknown> = {};

  beforeAll(async () => {
    const url = await sim.start();
    const resolver = await dns.start();
    base = {
      connection: { url, username: "provisioner@dezky.test", password: "pp" },
      tenant: "acme",
      domain: "acme.dezky.test",
      dnsResolvers: [resolver],
      timeouts: { requestMs: 2000, deadlineMs: 8000 },
    };
  });
  afterAll(async () => {
    await sim.stop();
    await dns.stop();
  });

  /** What the Hetzner zone serves after this run's record sets are applied. */
  async function publishLayout(outs: MailDomainOutputs): Promise<void> {
    const { connection } = base as { connection: unknown };
    const read = await recordsOf.read(outs.domainId, {
      connection,
      tenant: "acme",
      domain: "acme.dezky.test",
      domainId: outs.domainId,
    });
    const { sets } = fillLayout(
      read.props.dnsRecords as DnsRecord[],
      "acme.dezky.test",
      "dezky.test",
    );
    for (const set of Object.values(sets).filter((s) => s.type === "TXT")) {
      const text = set.records.map((r) =>
        [...r.value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join(""),
      );
      dns.txt.set(`${set.name}.dezky.test`, text);
    }
  }
  const check = async (raw: Record<string, unknown>) =>
    (await provider.check({}, raw)).inputs as Record<string, unknown>;
  const stages = (o: MailDomainOutputs) => o.dkim.map((k) => `${k.selector}:${k.stage}`);

  it("pending key published, activated, old key retired and still published, then removed", async () => {
    const created = await provider.create(await check(base));
    const id = created.id;
    let outs = created.outs as MailDomainOutputs;
    const up = async (inputs: Record<string, unknown>) => {
      await publishLayout(outs); // the record sets of the previous run are in the zone
      outs = (await provider.update(id, outs, await check(inputs))).outs as MailDomainOutputs;
      return stages(outs);
    };
    expect(stages(outs)).toEqual(["dezky-ed25519-a:pending", "dezky-rsa-a:pending"]);
    expect(await up(base)).toEqual(["dezky-ed25519-a:active", "dezky-rsa-a:active"]);
    const rotated = { ...base, dkimRotation: "2" };
    expect(await up(rotated)).toEqual([
      "dezky-ed25519-a:active",
      "dezky-ed25519-b:pending",
      "dezky-rsa-a:active",
      "dezky-rsa-b:pending",
    ]);
    expect(sim.registry.signingSelectors(id)).toEqual(["dezky-ed25519-a", "dezky-rsa-a"]);
    // The pending keys are in the zone: the next run activates them and retires slot a.
    expect(await up(rotated)).toEqual([
      "dezky-ed25519-a:retiring",
      "dezky-ed25519-b:active",
      "dezky-rsa-a:retiring",
      "dezky-rsa-b:active",
    ]);
    const oldRsa = outs.dkim.find((k) => k.selector === "dezky-rsa-a")!.publicKey;
    await publishLayout(outs);
    expect(dns.txt.get("dezky-rsa-a._domainkey.acme.dezky.test")?.[0]).toContain(`p=${oldRsa}`);
    for (const key of outs.dkim.filter((k) => k.stage === "retiring")) {
      sim.registry.signatures.get(key.id)!.nextTransitionAt = new Date(0).toISOString();
    }
    outs = (await provider.read(id, outs)).props as MailDomainOutputs;
    expect(await up(rotated)).toEqual(["dezky-ed25519-b:active", "dezky-rsa-b:active"]);
    await publishLayout(outs);
    expect(dns.txt.get("dezky-rsa-a._domainkey.acme.dezky.test")).toEqual(["v=DKIM1; k=rsa; p="]);
    expect(sim.registry.signingSelectors(id)).toEqual(["dezky-ed25519-b", "dezky-rsa-b"]);
    await provider.delete(id, outs);
  });
});
