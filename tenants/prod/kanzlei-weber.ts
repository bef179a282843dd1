import { defineTenant } from "../schema";

/** A law firm: own mail domain kept at their registrar, a confidential partners' space. */
export default defineTenant({
  slug: "kanzlei-weber",
  displayName: "Kanzlei Weber & Partner",
  plan: "business",
  mailDomains: [{ name: "kanzlei-weber.de", dns: "external" }],
  customDomain: "cloud.kanzlei-weber.de",
  branding: {
    primaryColor: "#7a2e2e",
    logoUrl: "https://www.kanzlei-weber.de/static/logo.png",
    description: "Kanzlei Weber & Partner, Rechtsanwälte",
  },
  departments: [{ slug: "partners", name: "Partner" }],
  spaces: [
    { key: "main", name: "Kanzlei", quotaGb: 300 },
    {
      key: "partners",
      name: "Partner vertraulich",
      quotaGb: 100,
      grantTo: "partners",
      role: "manager",
    },
  ],
  admins: ["it@kanzlei-weber.de"],
});
