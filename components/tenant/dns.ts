/**
 * How the tenant layer creates DNS objects. Production uses Hetzner DNS (@pulumi/hcloud); the
 * engine tests inject a stand-in, because the hcloud provider plugin cannot run there. The
 * factories receive exactly the arguments an hcloud resource would.
 */
import * as hcloud from "@pulumi/hcloud";
import type * as pulumi from "@pulumi/pulumi";

export interface TenantDns {
  /** A record set in a zone (default: hcloud.ZoneRrset). */
  recordSet(
    name: string,
    args: hcloud.ZoneRrsetArgs,
    opts: pulumi.CustomResourceOptions,
  ): pulumi.CustomResource;
  /** A customer zone delegated to the platform's DNS (default: hcloud.Zone). */
  zone(
    name: string,
    args: hcloud.ZoneArgs,
    opts: pulumi.CustomResourceOptions,
  ): pulumi.CustomResource;
}

export const hcloudDns: TenantDns = {
  recordSet: (name, args, opts) => new hcloud.ZoneRrset(name, args, opts),
  zone: (name, args, opts) => new hcloud.Zone(name, args, opts),
};
