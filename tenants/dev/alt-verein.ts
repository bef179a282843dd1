import { defineTenant } from "../schema";

/** An offboarded tenant: access removed, data kept until the retention date passes. */
export default defineTenant({
  slug: "alt-verein",
  displayName: "Alter Sportverein e.V.",
  plan: "starter",
  status: "offboarded",
  retainUntil: "2027-06-30",
  branding: {
    primaryColor: "#444444",
    logoUrl: "https://example.com/verein.png",
  },
  spaces: [{ key: "main", name: "Verein", quotaGb: 20 }],
  admins: ["vorstand@verein.example"],
});
