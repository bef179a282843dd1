import { describe, expect, it } from "vitest";
import { SERVICE_HOSTS, platformRecordLayout, platformRecordSets, serviceHosts } from "./records";

const host = { ipv4: "198.51.100.24", ipv6: "2a01:4f8:10a:1f2d::2" };

describe("platformRecordSets", () => {
  it("points every service host and the wildcard at the host's IPv4 and publishes no AAAA", () => {
    const sets = platformRecordSets(host);
    for (const name of [...SERVICE_HOSTS, "*"]) {
      expect(sets.find((s) => s.name === name && s.type === "A")?.records).toEqual([host.ipv4]);
    }
    // IPv4-only services (docs/ipv6.md): an AAAA would point at ports nothing serves.
    expect(sets.filter((s) => s.type === "AAAA")).toEqual([]);
    expect(sets).toHaveLength(SERVICE_HOSTS.length + 1);
  });

  it("keeps the layout order so record sets line up with the preview-time layout", () => {
    expect(platformRecordSets(host, 60).map(({ name, type }) => ({ name, type }))).toEqual(
      platformRecordLayout(),
    );
    expect(new Set(platformRecordSets(host, 60).map((s) => s.ttl))).toEqual(new Set([60]));
  });

  it("refuses a /64 network or a bad IPv4 with a clear message", () => {
    expect(() => platformRecordSets({ ...host, ipv6: "2a01:4f8:10a:1f2d::/64" })).toThrow(
      /not its \/64/,
    );
    expect(() => platformRecordSets({ ...host, ipv4: "300.1.1.1" })).toThrow(/not an IPv4/);
  });

  it("names the service hosts under the domain", () => {
    expect(serviceHosts("staging.dezky.eu")).toMatchObject({
      auth: "auth.staging.dezky.eu",
      mail: "mail.staging.dezky.eu",
    });
  });
});
