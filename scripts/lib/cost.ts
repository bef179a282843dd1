/**
 * Monthly cost of a stack from its inventory (mock run or JSON plan): a pure function from
 * resources to priced line items, using the dated Hetzner price table. Resources without a
 * Hetzner price (components, Kubernetes objects, tenant objects in Authentik/OCIS/Stalwart)
 * cost nothing extra; billable Hetzner types the table does not know are listed as unpriced
 * so a new resource type never silently counts as free.
 */
import { HETZNER_PRICES, type PriceTable } from "../prices/hetzner-2026-11";

export interface CostResource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export interface CostLine {
  /** Stable key for before/after comparison: the resource URN plus the item. */
  key: string;
  resource: string;
  type: string;
  item: string;
  /** EUR per month, net; undefined when unpriced. */
  monthlyEur?: number;
  note?: string;
}

export interface CostReport {
  lines: CostLine[];
  totalEur: number;
  unpriced: CostLine[];
  priceDate: string;
}

const SERVER = "hcloud:index/server:Server";
const PRIMARY_IP = "hcloud:index/primaryIp:PrimaryIp";
const VOLUME = "hcloud:index/volume:Volume";
const STORAGE_BOX = "hcloud:index/storageBox:StorageBox";
/** hcloud types that are free or billed through another resource. */
const FREE_HCLOUD =
  /^hcloud:index\/(zone|zoneRrset|zoneRecord|txtRecord|firewall|firewallAttachment|sshKey|network|networkSubnet|networkRoute|serverNetwork|placementGroup|rdns|volumeAttachment|floatingIpAssignment|certificate|managedCertificate|uploadedCertificate|storageBoxSubaccount|storageBoxSnapshot|primaryIpAssignment)[:/]/;
/** Buckets on Hetzner Object Storage, however they are created (dynamic provider or aws-style). */
const BUCKET = /(^pulumi-nodejs:dynamic\/s3:|^aws:s3\/bucket(V2)?:|:Bucket$)/;

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function line(
  r: CostResource,
  item: string,
  monthlyEur: number | undefined,
  note?: string,
): CostLine {
  return { key: `${r.urn}#${item}`, resource: r.name, type: r.type, item, monthlyEur, note };
}

/** Does this Cloud server get a primary IPv4 (the default unless publicNets disables it)? */
function hasIpv4(inputs: Record<string, unknown>): boolean {
  const nets = inputs.publicNets;
  if (!Array.isArray(nets) || nets.length === 0) return true;
  return nets.some((n) => {
    const net = n as { ipv4Enabled?: unknown; ipv4?: unknown };
    // An explicit primary IP resource is priced on its own.
    return net.ipv4Enabled !== false && net.ipv4 === undefined;
  });
}

function priceResource(r: CostResource, prices: PriceTable): CostLine[] {
  const i = r.inputs;
  if (r.type === SERVER) {
    const serverType = String(i.serverType ?? "");
    const lines = [line(r, `server ${serverType}`, prices.cloudServers[serverType])];
    if (hasIpv4(i)) lines.push(line(r, "primary IPv4", prices.primaryIpv4));
    return lines;
  }
  if (r.type === PRIMARY_IP) {
    return i.type === "ipv6" ? [] : [line(r, "primary IPv4", prices.primaryIpv4)];
  }
  if (r.type === VOLUME) {
    const size = Number(i.size ?? 0);
    return [line(r, `volume ${size} GB`, round2(size * prices.volumePerGb))];
  }
  if (r.type === STORAGE_BOX) {
    const boxType = String(i.storageBoxType ?? "").toLowerCase();
    return [line(r, `storage box ${boxType}`, prices.storageBoxes[boxType])];
  }
  const model = i.model ?? i.serverModel;
  if (typeof model === "string" && prices.dedicatedServers[model]) {
    const p = prices.dedicatedServers[model];
    return [
      line(r, `dedicated ${model}`, p.monthly, `plus one-time setup ${p.setup.toFixed(2)} EUR`),
    ];
  }
  if (r.type.startsWith("hcloud:") && !FREE_HCLOUD.test(r.type)) {
    return [line(r, r.type.split(":").pop() ?? r.type, undefined, "not in the price table")];
  }
  return [];
}

export interface CostOptions {
  /**
   * Dedicated servers the program adopts without a priced resource (the environment's host
   * model, e.g. "AX41-NVMe"); each adds a fixed monthly line.
   */
  dedicatedModels?: string[];
  prices?: PriceTable;
}

/** Priced line items and the monthly total of one stack's resources. */
export function monthlyCost(resources: CostResource[], options: CostOptions = {}): CostReport {
  const prices = options.prices ?? HETZNER_PRICES;
  const lines = resources.flatMap((r) => priceResource(r, prices));
  const priced = new Set(lines.map((l) => l.item));
  for (const model of options.dedicatedModels ?? []) {
    if (priced.has(`dedicated ${model}`)) continue; // a resource already carries the model
    const p = prices.dedicatedServers[model];
    lines.push({
      key: `dedicated#${model}`,
      resource: "host (adopted)",
      type: "dedicated",
      item: `dedicated ${model}`,
      monthlyEur: p?.monthly,
      note: p ? `plus one-time setup ${p.setup.toFixed(2)} EUR` : "not in the price table",
    });
  }
  const bucket = resources.find((r) => BUCKET.test(r.type));
  if (bucket) {
    lines.push({
      key: "object-storage#base",
      resource: "Object Storage",
      type: bucket.type,
      item: "base price (1 TB incl.)",
      monthlyEur: prices.objectStorageBase,
      note: "once per project; usage above 1 TB not estimated",
    });
  }
  const totalEur = round2(lines.reduce((sum, l) => sum + (l.monthlyEur ?? 0), 0));
  return {
    lines,
    totalEur,
    unpriced: lines.filter((l) => l.monthlyEur === undefined),
    priceDate: prices.date,
  };
}

export interface CostDiffRow {
  resource: string;
  item: string;
  before?: number;
  after?: number;
  diff: number;
}

export interface CostDiff {
  rows: CostDiffRow[];
  beforeEur: number;
  afterEur: number;
  diffEur: number;
}

/** Before/after per line item (only lines that changed) and the totals. */
export function costDiff(before: CostReport, after: CostReport): CostDiff {
  const keys = [...new Set([...before.lines, ...after.lines].map((l) => l.key))];
  const find = (report: CostReport, key: string) => report.lines.find((l) => l.key === key);
  const rows: CostDiffRow[] = [];
  for (const key of keys) {
    const b = find(before, key);
    const a = find(after, key);
    const diff = round2((a?.monthlyEur ?? 0) - (b?.monthlyEur ?? 0));
    if (b && a && diff === 0) continue;
    const ref = (a ?? b)!;
    rows.push({
      resource: ref.resource,
      item: ref.item,
      before: b?.monthlyEur,
      after: a?.monthlyEur,
      diff,
    });
  }
  return {
    rows,
    beforeEur: before.totalEur,
    afterEur: after.totalEur,
    diffEur: round2(after.totalEur - before.totalEur),
  };
}

/**
 * Monthly EUR of one resource alone (no per-stack base fees), in the shape of the policy
 * pack's PriceFn, so its cost-ceiling rule uses the same table.
 */
export function resourcePrice(r: {
  type: string;
  name: string;
  props: Record<string, unknown>;
}): number | undefined {
  const lines = priceResource(
    { urn: r.name, type: r.type, name: r.name, inputs: r.props },
    HETZNER_PRICES,
  );
  if (!lines.length || lines.some((l) => l.monthlyEur === undefined)) return undefined;
  return round2(lines.reduce((sum, l) => sum + (l.monthlyEur ?? 0), 0));
}

/** The dedicated models an environment adopts (for CostOptions.dedicatedModels). */
export function dedicatedModelsOf(env: { host: { kind: string; model?: string } }): string[] {
  return env.host.kind === "dedicated" && env.host.model ? [env.host.model] : [];
}
