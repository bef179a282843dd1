import { defineTenant } from "../schema";

/** A bakery chain trying the platform on staging; their zone is delegated to our Hetzner DNS. */
export default defineTenant({
  slug: "baeckerei-schmidt",
  displayName: "Bäckerei Schmidt",
  plan: "starter",
  mailDomains: [{ name: "baeckerei-schmidt.de", dns: "hetzner" }],
  branding: {
    primaryColor: "#c77d2e",
    logoUrl: "https://baeckerei-schmidt.de/logo.svg",
  },
  spaces: [{ key: "main", name: "Bäckerei", quotaGb: 80 }],
  admins: ["chef@baeckerei-schmidt.de"],
});
