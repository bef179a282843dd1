/**
 * Zone and RRSet names as the Hetzner Cloud DNS API takes them (docs.hetzner.cloud/reference/
 * cloud#zones: "Subdomains are not supported"; #zone-rrsets-create-an-rrset: lower case, no
 * trailing dot, not ending with the zone name, "@" for the apex).
 */
import { describe, expect, it } from "vitest";
import prod from "../../stacks/prod";
import { platformRecordLayout } from "./records";
import { zoneNameProblem } from "@dezky/providers/rules";
import { rrsetNameProblem } from "./zone-name";

describe("zoneNameProblem", () => {
  it("accepts registrable domains, including under a multi-label public suffix", () => {
    expect(zoneNameProblem("dezky.eu")).toBeUndefined();
    expect(zoneNameProblem("acme.de")).toBeUndefined();
    expect(zoneNameProblem("acme.co.uk")).toBeUndefined();
    expect(zoneNameProblem("xn--mnchen-3ya.de")).toBeUndefined();
    expect(zoneNameProblem("acme.gv.at")).toBeUndefined();
  });

  it("refuses a subdomain zone, naming the parent and the fix", () => {
    expect(zoneNameProblem("dev.dezky.eu")).toMatch(
      /subdomain of dezky\.eu.*Subdomains are not supported.*domain of its own/,
    );
    expect(zoneNameProblem("mail.acme.co.uk")).toMatch(/subdomain of acme\.co\.uk/);
    expect(zoneNameProblem("a.b.co.at")).toMatch(/subdomain of b\.co\.at/);
    // A private suffix (github.io) is not a zone Hetzner is known to serve.
    expect(zoneNameProblem("acme.github.io")).toMatch(/subdomain of github\.io/);
    expect(zoneNameProblem("co.uk")).toMatch(/public suffix/);
  });

  it("refuses upper case, a trailing dot and non-ASCII names", () => {
    expect(zoneNameProblem("Dezky.eu")).toMatch(/lower case/);
    expect(zoneNameProblem("dezky.eu.")).toMatch(/dot/);
    expect(zoneNameProblem("münchen.de")).toMatch(/Punycode/);
  });

  it("accepts prod's platform domain as a zone", () => {
    expect(zoneNameProblem(prod.domain)).toBeUndefined();
  });
});

describe("rrsetNameProblem", () => {
  it("accepts the apex, the wildcard, service labels and relative names", () => {
    for (const name of ["@", "*", "app", "_dmarc.acme", "dezky-rsa-a._domainkey.acme"]) {
      expect(rrsetNameProblem(name, "dezky.eu"), name).toBeUndefined();
    }
  });

  it("refuses what the API refuses", () => {
    expect(rrsetNameProblem("", "dezky.eu")).toMatch(/"@"/);
    expect(rrsetNameProblem("App", "dezky.eu")).toMatch(/lower case/);
    expect(rrsetNameProblem("app.", "dezky.eu")).toMatch(/dot/);
    expect(rrsetNameProblem("app.dezky.eu", "dezky.eu")).toMatch(/relative/);
    expect(rrsetNameProblem("dezky.eu", "dezky.eu")).toMatch(/relative/);
  });

  it("holds for every platform record set name", () => {
    for (const { name } of platformRecordLayout()) {
      expect(rrsetNameProblem(name, "dezky.eu"), name).toBeUndefined();
    }
  });
});
