import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { OCIS_ROLES } from "./authentik-blueprint";
import { ocisConfigFiles, ocisDeployment, ocisEnv } from "./ocis-manifests";

const options = {
  domain: "dezky.eu",
  cell: "c",
  version: "7.1.3",
  s3: { endpoint: "https://fsn1.your-objectstorage.com", region: "fsn1", bucket: "b" },
  metadataGi: 20,
};

/** The env keys the settings table of docs/conformance/ocis.md checks against OCIS 7.1.3. */
function verifiedKeys(): Set<string> {
  const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/conformance/ocis.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Settings"), doc.indexOf("## Left unverifiable"));
  const rows = section.split("\n").filter((l) => l.startsWith("| `"));
  // The first cell of a row names the keys, each in backticks.
  return new Set(
    rows.flatMap((r) => [...r.split(" | ")[0].matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1])),
  );
}

describe("OCIS settings", () => {
  const container = ocisDeployment(options).spec.template.spec.containers[0];

  it("sets only keys that docs/conformance/ocis.md checks against the pinned version", () => {
    const keys = (container.env as { name: string }[]).map((e) => e.name);
    const verified = verifiedKeys();
    expect(keys.filter((k) => !verified.has(k))).toEqual([]);
    expect(verified.size).toBeGreaterThan(30);
  });

  it("keeps what OCIS 7.1 can isolate: search length, no e-mails in results, no federation", () => {
    expect(ocisEnv(options)).toMatchObject({
      GRAPH_IDENTITY_SEARCH_MIN_LENGTH: "3",
      OCIS_SHOW_USER_EMAIL_IN_RESULTS: "false",
      OCIS_ENABLE_OCM: "false",
    });
    expect(ocisEnv(options)).not.toHaveProperty("PROXY_ENABLE_BASIC_AUTH");
  });

  it("maps the role claim with Admin first (the first matching mapping wins)", () => {
    const proxy = YAML.parse(ocisConfigFiles("dezky.eu")["proxy.yaml"]) as {
      role_assignment: {
        driver: string;
        oidc_role_mapper: {
          role_claim: string;
          role_mapping: { role_name: string; claim_value: string }[];
        };
      };
    };
    expect(proxy.role_assignment.driver).toBe("oidc");
    expect(proxy.role_assignment.oidc_role_mapper.role_claim).toBe(
      ocisEnv(options).PROXY_ROLE_ASSIGNMENT_OIDC_CLAIM,
    );
    expect(proxy.role_assignment.oidc_role_mapper.role_mapping).toEqual([
      { role_name: "admin", claim_value: OCIS_ROLES.admin },
      { role_name: "spaceadmin", claim_value: OCIS_ROLES.spaceAdmin },
      { role_name: "user", claim_value: OCIS_ROLES.user },
    ]);
  });

  it("runs the pinned image with the proxy on 9200 behind the ingress (no TLS in the pod)", () => {
    expect(container.image).toBe("docker.io/owncloud/ocis:7.1.3");
    expect(ocisEnv(options)).toMatchObject({
      PROXY_TLS: "false",
      PROXY_HTTP_ADDR: "0.0.0.0:9200",
      OCIS_URL: "https://files.dezky.eu",
      WEB_OIDC_SCOPE: "openid profile email groups roles offline_access",
    });
  });
});
