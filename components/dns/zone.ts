/**
 * The platform zone (env.domain) on Hetzner DNS with the service hosts and the tenant wildcard.
 * Tenants add their own record sets to `zoneId` (subdomain, mail records).
 */
import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import { platformRecordLayout, platformRecordSets } from "./records";
import { rrsetNameProblem } from "./zone-name";

export const PLATFORM_ZONE_TYPE = "dezky:dns:PlatformZone";

export interface PlatformZoneArgs {
  /** The platform domain, e.g. dezky.eu; becomes the zone name. */
  domain: string;
  /** The cell host's public IPv4 address. */
  ipv4: pulumi.Input<string>;
  /** The cell host's public IPv6 address (an address, not the /64). */
  ipv6: pulumi.Input<string>;
  /** TTL of the platform record sets in seconds. @default 300 */
  ttl?: number;
  /** Production: delete protection on the zone and Pulumi `protect`. */
  production: boolean;
  /** Labels on the zone (cell, stack). */
  labels?: Record<string, string>;
}

export class PlatformZone extends pulumi.ComponentResource {
  /** The Hetzner zone id, for tenant record sets. */
  readonly zoneId: pulumi.Output<string>;
  readonly zoneName: string;
  /** Nameservers to delegate to at the registrar. */
  readonly nameservers: pulumi.Output<string[]>;
  readonly recordSets: hcloud.ZoneRrset[];

  constructor(name: string, args: PlatformZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PLATFORM_ZONE_TYPE, name, {}, opts);
    const ttl = args.ttl ?? 300;
    // The zone name itself (a subdomain is refused by the API) is checked with the environment
    // (zoneNameProblem, docs/conformance/hcloud.md); the record names here are fixed.
    for (const { name: host } of platformRecordLayout()) {
      const problem = rrsetNameProblem(host, args.domain);
      if (problem) throw new Error(`platform zone: ${problem}`);
    }
    const zone = new hcloud.Zone(
      `${name}-zone`,
      {
        name: args.domain,
        mode: "primary",
        ttl,
        deleteProtection: args.production,
        labels: { "managed-by": "pulumi", ...args.labels },
      },
      // The zone holds every tenant's mail records: never lost by accident.
      { parent: this, protect: args.production, retainOnDelete: args.production },
    );
    const sets = pulumi
      .all([args.ipv4, args.ipv6])
      .apply(([ipv4, ipv6]) => platformRecordSets({ ipv4, ipv6 }, ttl));
    this.recordSets = platformRecordLayout().map(
      ({ name: host, type }, index) =>
        new hcloud.ZoneRrset(
          `${name}-${host === "*" ? "wildcard" : host}-${type.toLowerCase()}`,
          {
            zone: zone.id,
            name: host,
            type,
            ttl,
            records: sets.apply((s) => s[index].records.map((value) => ({ value }))),
          },
          { parent: this, deleteBeforeReplace: true },
        ),
    );
    this.zoneId = zone.id;
    this.zoneName = args.domain;
    this.nameservers = zone.authoritativeNameservers.apply((ns) => ns?.assigneds ?? []);
    this.registerOutputs({
      zoneId: this.zoneId,
      zoneName: this.zoneName,
      nameservers: this.nameservers,
    });
  }
}
