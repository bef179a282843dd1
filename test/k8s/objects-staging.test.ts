/**
 * Every non-Helm Kubernetes object staging declares is valid for the API server of the pinned
 * k3s (its Kubernetes OpenAPI), cert-manager's and Traefik's CRDs, unknown fields rejected.
 */
import { beforeAll, describe, expect, it } from "vitest";
import staging from "../../stacks/staging";
import { stackManifests } from "./objects";
import { validate, type Manifest } from "./validate";

let manifests: Manifest[];
const pins = { k3s: staging.k3s.version, certManager: staging.versions.certManager };
beforeAll(async () => {
  manifests = await stackManifests("staging");
}, 300_000);

describe("staging's Kubernetes objects against the schemas of the pinned versions", () => {
  it("are all valid (kubeconform -strict)", () => {
    const kinds = new Set(manifests.map((m) => m.kind));
    for (const kind of [
      "Deployment",
      "StatefulSet",
      "Secret",
      "Ingress",
      "ClusterIssuer",
      "TLSStore",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const { summary, findings } = validate(manifests, pins);
    expect(findings).toEqual([]);
    expect(summary.valid).toBe(manifests.length);
  }, 300_000);
});
