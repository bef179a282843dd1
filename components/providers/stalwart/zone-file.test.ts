import * as crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseZoneFile, unquoteTxt } from "./zone-file";

const rsaKey = crypto
  .generateKeyPairSync("rsa", { modulusLength: 2048 })
  .publicKey.export({ type: "spki", format: "der" })
  .toString("base64");
const edKey = crypto
  .generateKeyPairSync("ed25519")
  .publicKey.export({ type: "spki", format: "der" })
  .subarray(12)
  .toString("base64");
const rsaTxt = `v=DKIM1; k=rsa; h=sha256; p=${rsaKey}`;
const chunks = rsaTxt.match(/.{1,255}/g)!;

// The shape Stalwart 0.16 documents (reference §3.4), with a real-length RSA key split the
// way its BIND serializer does: `( "…" "…" )` over several lines.
const zone = [
  `v1-ed25519-20260820._domainkey.tenant1.example.eu. IN TXT "v=DKIM1; k=ed25519; h=sha256; p=${edKey}"`,
  `v1-rsa-20260820._domainkey.tenant1.example.eu. IN TXT ( ${chunks.map((c) => `"${c}"`).join("\n\t")} )`,
  `tenant1.example.eu. IN TXT "v=spf1 mx -all"`,
  `tenant1.example.eu. IN MX 10 mail.dezky.eu.`,
  `_dmarc.tenant1.example.eu. IN TXT "v=DMARC1; p=reject; rua=mailto:postmaster@tenant1.example.eu"`,
  `_jmap._tcp.tenant1.example.eu. IN SRV 0 1 443 mail.dezky.eu.`,
  `_imaps._tcp.tenant1.example.eu. IN SRV 0 1 993 mail.dezky.eu.`,
  `_submissions._tcp.tenant1.example.eu. IN SRV 0 1 465 mail.dezky.eu.`,
  `mta-sts.tenant1.example.eu. IN CNAME mail.dezky.eu.`,
  `_mta-sts.tenant1.example.eu. IN TXT "v=STSv1; id=1234"`,
  `_smtp._tls.tenant1.example.eu. IN TXT "v=TLSRPTv1; rua=mailto:postmaster@tenant1.example.eu"`,
  `autoconfig.tenant1.example.eu. IN CNAME mail.dezky.eu.`,
  `autodiscover.tenant1.example.eu. IN CNAME mail.dezky.eu.`,
].join("\n");

describe("parseZoneFile", () => {
  it("parses Stalwart's zone text into one record per line, in order", () => {
    const records = parseZoneFile(zone);
    expect(records.map((r) => `${r.name} ${r.type}`)).toEqual([
      "v1-ed25519-20260820._domainkey.tenant1.example.eu TXT",
      "v1-rsa-20260820._domainkey.tenant1.example.eu TXT",
      "tenant1.example.eu TXT",
      "tenant1.example.eu MX",
      "_dmarc.tenant1.example.eu TXT",
      "_jmap._tcp.tenant1.example.eu SRV",
      "_imaps._tcp.tenant1.example.eu SRV",
      "_submissions._tcp.tenant1.example.eu SRV",
      "mta-sts.tenant1.example.eu CNAME",
      "_mta-sts.tenant1.example.eu TXT",
      "_smtp._tls.tenant1.example.eu TXT",
      "autoconfig.tenant1.example.eu CNAME",
      "autodiscover.tenant1.example.eu CNAME",
    ]);
    expect(records[3].value).toBe("10 mail.dezky.eu.");
    expect(records[5].value).toBe("0 1 443 mail.dezky.eu.");
    expect(records[8].value).toBe("mail.dezky.eu.");
    expect(records.every((r) => r.ttl === undefined)).toBe(true);
  });

  it("joins a long DKIM key split over lines without adding characters", () => {
    expect(chunks.length).toBeGreaterThan(1);
    const rsa = parseZoneFile(zone)[1];
    expect(rsa.value).toBe(rsaTxt);
    expect(rsa.value.length).toBeGreaterThan(255);
    expect(parseZoneFile(zone)[0].value).toBe(`v=DKIM1; k=ed25519; h=sha256; p=${edKey}`);
  });

  it("keeps semicolons, parentheses and escaped quotes inside TXT data", () => {
    const [r] = parseZoneFile(
      'x.example.eu. 300 IN TXT "a; (b) \\"c\\" d\\\\e" ; trailing comment',
    );
    expect(r).toEqual({ name: "x.example.eu", type: "TXT", ttl: 300, value: 'a; (b) "c" d\\e' });
  });

  it("handles $ORIGIN, $TTL, @, relative names, class/TTL order and owner continuation", () => {
    const text = [
      "; comment line",
      "$ORIGIN Example.EU.",
      "$TTL 600",
      "@ IN MX 10 mail",
      '  IN TXT "v=spf1 mx -all"',
      "www 120 IN CNAME @",
      "ftp IN 90 A 192.0.2.1",
      "",
    ].join("\n");
    expect(parseZoneFile(text)).toEqual([
      { name: "example.eu", type: "MX", ttl: 600, value: "10 mail" },
      { name: "example.eu", type: "TXT", ttl: 600, value: "v=spf1 mx -all" },
      { name: "www.example.eu", type: "CNAME", ttl: 120, value: "@" },
      { name: "ftp.example.eu", type: "A", ttl: 90, value: "192.0.2.1" },
    ]);
  });

  it("rejects malformed text instead of guessing", () => {
    expect(() => parseZoneFile('a.eu. IN TXT "open')).toThrow(/unterminated/);
    expect(() => parseZoneFile('a.eu. IN TXT ( "x"')).toThrow(/unbalanced/);
    expect(() => parseZoneFile("a.eu. IN MX")).toThrow(/incomplete/);
    expect(() => parseZoneFile("rel IN A 192.0.2.1")).toThrow(/ORIGIN/);
  });

  it("returns nothing for empty text", () => {
    expect(parseZoneFile("")).toEqual([]);
    expect(parseZoneFile("\n ; only a comment\n")).toEqual([]);
  });

  it("decodes \\DDD escapes", () => {
    expect(unquoteTxt('"a\\059b"')).toBe("a;b");
  });
});
