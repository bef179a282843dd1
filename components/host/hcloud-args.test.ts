/**
 * Hetzner Cloud argument rules checked before any call: label syntax (hcloud-go v2.47.0
 * hcloud/labels.go, validated by terraform-provider-hcloud v1.68.0 on every resource) and the
 * server types the API no longer creates.
 */
import { describe, expect, it } from "vitest";
import { renderCloudInit, USER_DATA_LIMIT_BYTES } from "./cloud-init";
import { hcloudLabelProblem, hcloudLabels } from "./labels";
import { hostAddressInNet } from "./types";
import { RETIRED_SERVER_TYPES, serverTypeProblem } from "./server-types";

describe("hcloudLabelProblem", () => {
  it("accepts the labels the program sets, prefixed keys and empty values", () => {
    expect(
      hcloudLabelProblem(hcloudLabels({ stack: "prod-fsn1-a", cell: "prod-fsn1-a" }, "mail")),
    ).toBeUndefined();
    expect(hcloudLabelProblem({ "dezky.io/tenant": "acme", "dezky.io/role": "" })).toBeUndefined();
  });

  it("refuses what hcloud-go's key and value patterns refuse", () => {
    expect(hcloudLabelProblem({ "-env": "dev" })).toMatch(/key "-env"/);
    expect(hcloudLabelProblem({ "a/b/c": "x" })).toMatch(/key/);
    expect(hcloudLabelProblem({ "hetzner.cloud/x": "y" })).toMatch(/key/);
    expect(hcloudLabelProblem({ env: "dev_" })).toMatch(/value "dev_"/);
    expect(hcloudLabelProblem({ env: "a b" })).toMatch(/value/);
    expect(hcloudLabelProblem({ env: "x".repeat(64) })).toMatch(/63/);
    expect(hcloudLabelProblem({ env: "x".repeat(63) })).toBeUndefined();
  });

  it("hcloudLabels refuses a cell name that would make an invalid label", () => {
    expect(() => hcloudLabels({ stack: "dev", cell: "Dev Cell" })).toThrow(
      /label value "Dev Cell"/,
    );
  });
});

describe("serverTypeProblem", () => {
  it("flags every retired CX Gen 2 / CPX Gen 1 type with the fix", () => {
    for (const type of RETIRED_SERVER_TYPES) {
      expect(serverTypeProblem(type), type).toMatch(/retired generation.*host\.serverType/);
    }
    expect(serverTypeProblem("cx22")).toMatch(/cx23/);
  });

  it("passes the current generation", () => {
    for (const type of ["cx23", "cpx12", "cpx22", "cax11", "ccx13"]) {
      expect(serverTypeProblem(type), type).toBeUndefined();
    }
  });
});

describe("cloud-init user data", () => {
  const base = {
    hostname: "dev",
    fqdn: "dev.dev.dezky.eu",
    bootstrapHostKey: { publicKey: "ssh-ed25519 AAAA", privateKey: "key" },
  };

  it("refuses user data over the API's 32 KiB limit with the size and the fix", () => {
    expect(() => renderCloudInit({ ...base, nftables: "#".repeat(USER_DATA_LIMIT_BYTES) })).toThrow(
      /bytes; the Hetzner Cloud API takes at most 32768/,
    );
  });
});

describe("IPv6 primary IP address", () => {
  it("takes the provider's ipAddress shape (the /64's network address, no prefix) and the /64 form", () => {
    // hcloud-go v2.47.0 hcloud/schema_gen.go:463-469 keeps only the IP of the API's
    // "2001:db8:1::/64"; tf v1.68.0 internal/primaryip/model.go:65-69 writes it to ip_address
    // and the network to ip_network.
    expect(hostAddressInNet("2a01:4f8:1c1c:abcd::", 1)).toBe("2a01:4f8:1c1c:abcd::1");
    expect(hostAddressInNet("2a01:4f8:c0c::", 1)).toBe("2a01:4f8:c0c::1");
    expect(hostAddressInNet("2001:db8:1::/64", 1)).toBe("2001:db8:1::1");
  });
});
