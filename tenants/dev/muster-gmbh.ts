import { defineTenant } from "../schema";

/** The developers' test tenant: two departments, one viewer-only space. */
export default defineTenant({
  slug: "muster-gmbh",
  displayName: "Muster GmbH",
  plan: "business",
  mailDomains: [],
  branding: {
    primaryColor: "#2e7a4f",
    logoUrl: "https://example.com/muster-logo.png",
  },
  departments: [
    { slug: "finance", name: "Finanzen" },
    { slug: "hr", name: "Personal" },
  ],
  spaces: [
    { key: "main", name: "Muster", quotaGb: 100 },
    { key: "finance", name: "Finanzen", quotaGb: 50, grantTo: "finance" },
    { key: "handbook", name: "Handbuch", quotaGb: 10, grantTo: "hr", role: "viewer" },
  ],
  admins: ["admin@muster.example"],
});
