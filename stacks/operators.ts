/**
 * Settings every environment shares: who operates the platform and from where. One place to
 * change when an operator joins or the office network moves.
 */
import type { EnvironmentInput } from "./schema";

export const operators: Pick<EnvironmentInput, "acmeEmail" | "adminCidrs" | "adminSshKeys"> = {
  acmeEmail: "ops@dezky.eu",
  // Office and VPN networks; never the whole internet (the schema and the policy pack refuse it).
  adminCidrs: ["203.0.113.0/28", "2001:db8:10::/48"],
  adminSshKeys: [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmnaA0oPq3m2Xg3cRpxtSmsyX7Pe0EDSGdD4GxGg6Lk ops@dezky",
  ],
};
