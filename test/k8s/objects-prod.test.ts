/**
 * Every non-Helm Kubernetes object prod declares is valid for the API server of the pinned
 * k3s (its Kubernetes OpenAPI), cert-manager's and Traefik's CRDs, unknown fields rejected.
 */
import { beforeAll, describe, expect, it } from "vitest";
import prod from "../../stacks/prod";
import { stackManifests } from "./objects";
import { validate, type Manifest } from "./validate";

let manifests: Manifest[];
const pins = { k3s: prod.k3s.version, certManager: prod.versions.certManager };
beforeAll(async () => {
  manifests = await stackManifests("prod");
}, 300_000);

describe("prod's Kubernetes objects against the schemas of the pinned versions", () => {
  it("are all valid (kubeconform -strict)", () => {
    const kinds = new Set(manifests.map((m) => m.kind));
    for (const kind of [
      "Deployment",
      "StatefulSet",
      "Secret",
      "Ingress",
      "ClusterIssuer",
      "Certificate",
      "TLSStore",
      "CronJob",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const { summary, findings } = validate(manifests, pins);
    expect(findings).toEqual([]);
    expect(summary.valid).toBe(manifests.length);
  }, 300_000);

  it("rejects an unknown field, a misspelled one and a custom resource field", () => {
    const deployment = manifests.find((m) => m.kind === "Deployment")!;
    const certificate = manifests.find((m) => m.kind === "Certificate")!;
    const bad: Manifest[] = [
      { ...deployment, spec: { ...(deployment.spec as object), replica: 1 } },
      { ...certificate, spec: { ...(certificate.spec as object), dnsName: ["x.dezky.eu"] } },
    ];
    const { findings } = validate(bad, pins);
    // kubeconform validates concurrently: match each finding by its object.
    const byKind = Object.fromEntries(findings.map((f) => [f.object.split("/")[0], f]));
    expect(Object.keys(byKind).sort()).toEqual(["Certificate", "Deployment"]);
    expect(byKind.Deployment.status).toBe("statusInvalid");
    expect(byKind.Deployment.msg).toMatch(/additional properties 'replica' not allowed/);
    expect(byKind.Certificate.msg).toMatch(/additional properties 'dnsName' not allowed/);
  }, 300_000);
});
