/**
 * Hetzner list prices used by `npm run cost` and the plan's cost section.
 *
 * All numbers are NET monthly list prices in EUR (no VAT), for the German/Finnish locations,
 * written down on the date below from hetzner.com/cloud, hetzner.com/storage and the Robot
 * server market pages. Hetzner changes prices (e.g. the 2025 Cloud adjustment); re-verify
 * before quoting a customer and add a new dated file rather than editing this one.
 */
export const HETZNER_PRICES = {
  date: "2026-11-01",
  currency: "EUR",
  basis: "net monthly list price, excl. VAT; re-verify before relying on it",
  sources: [
    "https://www.hetzner.com/cloud (Cloud server types, primary IPs, volumes)",
    "https://www.hetzner.com/storage/object-storage (base price incl. 1 TB storage + 1 TB egress)",
    "https://www.hetzner.com/storage/storage-box (BX11)",
    "https://www.hetzner.com/dedicated-rootserver (AX41-NVMe, plus one-time setup fee)",
    "DNS zones on Hetzner DNS / Cloud DNS: free",
  ],
  /** Cloud server types by hcloud `serverType` (IPv4 billed separately as a primary IP). */
  // CX Gen 3 (cx23..cx53); Gen 2 (cx22..cx52) left the API at the end of 2025
  // (components/host/server-types.ts). cx23 and cx33 as listed after the 2026-04-01 adjustment
  // (docs.vdhome.be/reference/costs, 2026-04-15); cx43 and cx53 are estimates scaled from the
  // same adjustment and must be re-verified on hetzner.com/cloud before quoting.
  cloudServers: {
    cx23: 3.99,
    cx33: 6.49,
    cx43: 12.49,
    cx53: 22.99,
  } as Record<string, number>,
  /** A primary IPv4 address (each Cloud server has one unless disabled). */
  primaryIpv4: 0.5,
  /** Cloud volumes per GB and month. */
  volumePerGb: 0.044,
  /** Object Storage base price, once per Hetzner project (this program: one project per stack). */
  objectStorageBase: 4.99,
  /** Storage Boxes by hcloud `storageBoxType` (lower case). */
  storageBoxes: {
    bx11: 3.2,
  } as Record<string, number>,
  /** Dedicated servers by model; setup is a one-time fee, not part of the monthly total. */
  dedicatedServers: {
    "AX41-NVMe": { monthly: 39, setup: 39 },
  } as Record<string, { monthly: number; setup: number }>,
} as const;

export type PriceTable = typeof HETZNER_PRICES;
