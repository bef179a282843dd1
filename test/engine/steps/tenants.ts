/**
 * The tenants the engine suite deploys, as operators write them: acme (departments, an
 * external mail domain), beta (a customer zone delegated to the platform's DNS), gamma (the
 * smallest plan, used for the fault test).
 */
import type { TenantInput } from "../../../tenants/schema";

export const acme: TenantInput = {
  slug: "acme",
  displayName: "Acme GmbH",
  plan: "business",
  mailDomains: [{ name: "acme.de", dns: "external" }],
  branding: { primaryColor: "#123456", logoUrl: "https://acme.de/logo.png" },
  departments: [{ slug: "finance", name: "Finance" }],
  spaces: [
    { key: "main", name: "Acme", quotaGb: 100 },
    { key: "finance", name: "Finance", quotaGb: 20, grantTo: "finance", role: "manager" },
  ],
  admins: ["it@acme.de"],
};

export const beta: TenantInput = {
  slug: "beta",
  displayName: "Beta Handwerk",
  plan: "business",
  mailDomains: [{ name: "beta-handwerk.de", dns: "hetzner" }],
  branding: { primaryColor: "#aa5500", logoUrl: "https://beta-handwerk.de/logo.png" },
  spaces: [{ key: "main", name: "Beta", quotaGb: 50 }],
  admins: ["chef@beta-handwerk.de"],
};

export const gamma: TenantInput = {
  slug: "gamma",
  displayName: "Gamma Verein",
  plan: "starter",
  branding: { primaryColor: "#336699", logoUrl: "https://gamma-verein.de/logo.png" },
  spaces: [{ key: "main", name: "Gamma", quotaGb: 10 }],
  admins: ["vorstand@gamma-verein.de"],
};
