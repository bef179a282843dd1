import { defineTenant } from "../schema";

/** Dezky's own company, seeded first on every production cell (as the provisioning service does). */
export default defineTenant({
  slug: "dezky",
  displayName: "Dezky GmbH",
  plan: "enterprise",
  mailDomains: [{ name: "dezky.de", dns: "hetzner" }],
  branding: {
    primaryColor: "#1f6feb",
    logoUrl: "https://assets.dezky.eu/brand/dezky-logo.svg",
    description: "The Dezky team workspace",
  },
  departments: [
    { slug: "ops", name: "Operations" },
    { slug: "sales", name: "Sales" },
  ],
  spaces: [
    { key: "main", name: "Dezky", quotaGb: 500 },
    { key: "ops", name: "Operations", quotaGb: 200, grantTo: "ops", role: "manager" },
    { key: "sales", name: "Sales", quotaGb: 100, grantTo: "sales" },
  ],
  admins: ["admin@dezky.de"],
});
