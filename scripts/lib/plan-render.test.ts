import { describe, expect, it } from "vitest";
import { withProviderDigest } from "./plan-render";

describe("withProviderDigest", () => {
  it("replaces serialized provider code by its sha256 and keeps other inputs", () => {
    const a = withProviderDigest({ __provider: "exports.handler = () => 1", name: "x" });
    const b = withProviderDigest({ __provider: "exports.handler = () => 2", name: "x" });
    expect(a.name).toBe("x");
    expect(a.__provider).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.__provider).not.toBe(b.__provider);
    expect(withProviderDigest({ __provider: "exports.handler = () => 1" }).__provider).toBe(
      a.__provider,
    );
  });

  it("leaves resources without a provider untouched", () => {
    const inputs = { location: "fsn1" };
    expect(withProviderDigest(inputs)).toBe(inputs);
  });
});
