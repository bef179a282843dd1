/**
 * The DNS the engine project injects into the tenant layer (components/tenant/dns.ts). The
 * hcloud provider plugin cannot run here, so record sets and delegated zones are dynamic
 * resources kept by a small loopback store (../harness/dns-store-server.ts). It stands in for
 * Hetzner DNS only so the tenant layer runs whole; it is no model of the Hetzner API.
 */
import type * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import type { TenantDns } from "../../../components/tenant/dns";

interface StoreInputs {
  endpoint: string;
  /** Store path of the object, e.g. rrsets/<zone>/<name>/<type> or zones/<name>. */
  path: string;
  /** What the store keeps: everything the hcloud resource would send. */
  body: object;
}

/** The path is the object's identity: a new path replaces it; a new body updates it. */
const storeProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: StoreInputs, news: StoreInputs) {
    const replaces = olds.path !== news.path ? ["path"] : [];
    const changed = JSON.stringify(olds.body) !== JSON.stringify(news.body);
    return {
      changes: replaces.length > 0 || changed,
      replaces,
      deleteBeforeReplace: replaces.length > 0,
    };
  },
  async create(inputs: StoreInputs) {
    const response = await fetch(`${inputs.endpoint}/${inputs.path}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(inputs.body),
    });
    if (!response.ok) throw new Error(`DNS store PUT ${inputs.path}: HTTP ${response.status}`);
    return { id: inputs.path, outs: inputs };
  },
  async read(id: string, props: StoreInputs) {
    const response = await fetch(`${props.endpoint}/${props.path}`);
    if (response.status === 404) return { id: "", props: {} };
    if (!response.ok) throw new Error(`DNS store GET ${props.path}: HTTP ${response.status}`);
    return { id, props: { ...props, body: await response.json() } };
  },
  async update(_id: string, _olds: StoreInputs, news: StoreInputs) {
    const response = await fetch(`${news.endpoint}/${news.path}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(news.body),
    });
    if (!response.ok) throw new Error(`DNS store PUT ${news.path}: HTTP ${response.status}`);
    return { outs: news };
  },
  async delete(_id: string, props: StoreInputs) {
    const response = await fetch(`${props.endpoint}/${props.path}`, { method: "DELETE" });
    if (!response.ok && response.status !== 404) {
      throw new Error(`DNS store DELETE ${props.path}: HTTP ${response.status}`);
    }
  },
};

type StoreArgs = { [K in keyof StoreInputs]: pulumi.Input<StoreInputs[K]> };

class StoreObject extends pulumi.dynamic.Resource {
  constructor(
    type: "RecordSet" | "Zone",
    name: string,
    inputs: StoreArgs,
    opts: pulumi.CustomResourceOptions,
  ) {
    super(storeProvider, name, inputs, opts, "dnsstore", type);
  }
}

const segment = (value: pulumi.Input<string | undefined>) =>
  pulumi.output(value).apply((v) => encodeURIComponent(v ? v : "@"));

/** TenantDns backed by the store at `endpoint`. */
export function dnsStore(endpoint: string): TenantDns {
  return {
    recordSet: (name: string, args: hcloud.ZoneRrsetArgs, opts: pulumi.CustomResourceOptions) =>
      new StoreObject(
        "RecordSet",
        name,
        {
          endpoint,
          path: pulumi.interpolate`rrsets/${segment(args.zone)}/${segment(args.name)}/${args.type}`,
          body: pulumi.output({
            ttl: args.ttl,
            records: args.records,
            labels: args.labels,
          }),
        },
        opts,
      ),
    zone: (name: string, args: hcloud.ZoneArgs, opts: pulumi.CustomResourceOptions) =>
      new StoreObject(
        "Zone",
        name,
        {
          endpoint,
          path: pulumi.interpolate`zones/${segment(args.name ?? name)}`,
          body: pulumi.output({
            mode: args.mode,
            ttl: args.ttl,
            deleteProtection: args.deleteProtection,
            labels: args.labels,
          }),
        },
        opts,
      ),
  };
}
