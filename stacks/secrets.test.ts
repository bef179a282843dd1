import { describe, expect, it } from "vitest";
import { checkAlertPingUrl, SECRET_KEYS } from "./secrets";

describe("stack secrets for backups and alerting", () => {
  it("accepts an https ping URL with the project's ping key", () => {
    expect(checkAlertPingUrl("https://hc-ping.com/fqOOd6-F4MMNuCEnzTU01w")).toBe(
      "https://hc-ping.com/fqOOd6-F4MMNuCEnzTU01w",
    );
  });
  it("refuses a ping URL that would leak the key or break the slug URLs, naming the fix", () => {
    for (const bad of [
      "http://hc-ping.com/key",
      "https://hc-ping.com/key/",
      "https://hc-ping.com/key?x=1",
      "hc-ping.com/key",
    ]) {
      expect(() => checkAlertPingUrl(bad), bad).toThrow(/dezky:alertPingUrl must be an https URL/);
      expect(() => checkAlertPingUrl(bad)).toThrow(/pulumi config set --secret dezky:alertPingUrl/);
    }
  });
  it("says how to set the DR project's token", () => {
    expect(SECRET_KEYS.hcloudDrToken).toMatch(/^pulumi config set --secret dezky:hcloudDrToken /);
  });
});
