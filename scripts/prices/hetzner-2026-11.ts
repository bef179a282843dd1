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
  cloudServers: {
    cx22: 3.79,
    cx32: 6.8,
    cx42: 16.4,
    cx52: 32.4,
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
