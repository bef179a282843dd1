import { describe, expect, it } from "vitest";
import {
  formatRecordsForRegistrar,
  recordPurpose,
  relativeName,
  rrsetResourceSuffix,
  toZoneRrsets,
  txtValue,
} from "./dns-records";
import type { DnsRecord } from "./zone-file";

const long = "v=DKIM1; k=rsa; h=sha256; p=" + "A".repeat(372); // 400 characters

function chunksOf(value: string): string[] {
  return [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, "$1"));
}

describe("txtValue", () => {
  it("quotes short text as one string", () => {
    expect(txtValue("v=spf1 mx -all")).toBe('"v=spf1 mx -all"');
  });

  it("splits long text into quoted strings of at most 255 characters that join back", () => {
    const value = txtValue(long);
    const parts = chunksOf(value);
    expect(parts.map((p) => p.length)).toEqual([255, 145]);
    expect(parts.join("")).toBe(long);
    expect(value).toBe(`"${long.slice(0, 255)}" "${long.slice(255)}"`);
  });

  it("splits at exactly 255 and 510", () => {
    expect(chunksOf(txtValue("x".repeat(255)))).toHaveLength(1);
    expect(chunksOf(txtValue("x".repeat(256)))).toHaveLength(2);
    expect(chunksOf(txtValue("x".repeat(511))).map((p) => p.length)).toEqual([255, 255, 1]);
  });

  it("escapes quotes and backslashes and never cuts a UTF-8 character", () => {
    expect(txtValue('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    const text = "a" + "é".repeat(200); // 401 bytes
    const parts = chunksOf(txtValue(text));
    expect(parts.join("")).toBe(text);
    expect(parts.every((p) => Buffer.byteLength(p) <= 255)).toBe(true);
  });

  it("renders empty text as one empty string", () => {
    expect(txtValue("")).toBe('""');
  });
});

const records: DnsRecord[] = [
  { name: "v1-rsa-20260820._domainkey.acme.dezky.eu", type: "TXT", value: long },
  { name: "acme.dezky.eu", type: "TXT", value: "v=spf1 mx -all" },
  { name: "acme.dezky.eu", type: "MX", value: "10 mail.dezky.eu." },
  { name: "_dmarc.acme.dezky.eu", type: "TXT", value: "v=DMARC1; p=reject" },
  { name: "_imaps._tcp.acme.dezky.eu", type: "SRV", ttl: 300, value: "0 1 993 mail.dezky.eu." },
  { name: "acme.dezky.eu", type: "MX", value: "20 backup.dezky.eu." },
  { name: "mail.dezky.eu", type: "TXT", value: "v=spf1 a -all" },
];

describe("formatRecordsForRegistrar", () => {
  it("renders one line per record with name, type, TTL and value", () => {
    const lines = formatRecordsForRegistrar(records).split("\n");
    expect(lines).toHaveLength(records.length);
    lines.forEach((line, i) => {
      const [name, type, ttl] = line.split(/\s+/);
      expect(name).toBe(`${records[i].name}.`);
      expect(type).toBe(records[i].type);
      expect(Number(ttl)).toBe(records[i].ttl ?? 3600);
    });
    expect(lines[0].endsWith(txtValue(long))).toBe(true);
    expect(lines[2].endsWith("10 mail.dezky.eu.")).toBe(true);
  });

  it("aligns columns so the value starts at the same place", () => {
    const lines = formatRecordsForRegistrar(records.slice(1, 4), 600).split("\n");
    const starts = lines.map((l) => l.search(/(10 mail|"v=)/));
    expect(new Set(starts).size).toBe(1);
    expect(lines[0]).toContain(" 600 ");
  });
});

describe("toZoneRrsets", () => {
  it("builds one rrset per name and type, names relative to the zone", () => {
    const { rrsets, outside } = toZoneRrsets(records, "dezky.eu", 900);
    expect(rrsets).toEqual([
      {
        zone: "dezky.eu",
        name: "v1-rsa-20260820._domainkey.acme",
        type: "TXT",
        ttl: 900,
        records: [{ value: txtValue(long) }],
      },
      {
        zone: "dezky.eu",
        name: "acme",
        type: "TXT",
        ttl: 900,
        records: [{ value: '"v=spf1 mx -all"' }],
      },
      {
        zone: "dezky.eu",
        name: "acme",
        type: "MX",
        ttl: 900,
        records: [{ value: "10 mail.dezky.eu." }, { value: "20 backup.dezky.eu." }],
      },
      {
        zone: "dezky.eu",
        name: "_dmarc.acme",
        type: "TXT",
        ttl: 900,
        records: [{ value: '"v=DMARC1; p=reject"' }],
      },
      {
        zone: "dezky.eu",
        name: "_imaps._tcp.acme",
        type: "SRV",
        ttl: 300,
        records: [{ value: "0 1 993 mail.dezky.eu." }],
      },
      {
        zone: "dezky.eu",
        name: "mail",
        type: "TXT",
        ttl: 900,
        records: [{ value: '"v=spf1 a -all"' }],
      },
    ]);
    expect(outside).toEqual([]);
  });

  it("uses @ for the apex and returns records outside the zone separately", () => {
    const { rrsets, outside } = toZoneRrsets(records, "acme.dezky.eu.");
    expect(rrsets.find((s) => s.type === "MX")?.name).toBe("@");
    expect(outside).toEqual([records[6]]);
    expect(rrsets.every((s) => s.ttl === 3600 || s.type === "SRV")).toBe(true);
  });

  it("never treats a sibling with the same suffix as inside the zone", () => {
    const { outside } = toZoneRrsets(
      [{ name: "notdezky.eu", type: "MX", value: "10 x." }],
      "dezky.eu",
    );
    expect(outside).toHaveLength(1);
    expect(() => relativeName("notdezky.eu", "dezky.eu")).toThrow(/not inside/);
  });
});

describe("helpers", () => {
  it("names rrset resources stably", () => {
    expect(rrsetResourceSuffix({ name: "@", type: "MX" })).toBe("apex-mx");
    expect(rrsetResourceSuffix({ name: "_imaps._tcp.acme", type: "SRV" })).toBe(
      "imaps-tcp-acme-srv",
    );
  });

  it("explains what each record is for", () => {
    expect(records.map(recordPurpose)).toEqual([
      "DKIM public key",
      "SPF",
      "mail delivery (MX)",
      "DMARC",
      "client service discovery (SRV)",
      "mail delivery (MX)",
      "SPF",
    ]);
  });
});
