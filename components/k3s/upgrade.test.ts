/**
 * The SUC Plans use only fields the pinned system-upgrade-controller knows. Its CRD is generated
 * from the Go types with a structural schema, so a misspelt field would be pruned silently and
 * the upgrade would run without it. Field names: rancher/system-upgrade-controller@v0.14.2
 * pkg/apis/upgrade.cattle.io/v1/types.go:37-56 (PlanSpec), 67-75 (ContainerSpec), 84-94
 * (DrainSpec); the version's "+" becomes "-" in the image tag (pkg/upgrade/plan/plan.go:112-114).
 */
import { describe, expect, it } from "vitest";
import { renderUpgradePlans, SUC_VERSION, sucManifestUrls } from "./upgrade";

const PLAN_SPEC = [
  "concurrency",
  "jobActiveDeadlineSecs",
  "nodeSelector",
  "serviceAccountName",
  "channel",
  "version",
  "secrets",
  "tolerations",
  "exclusive",
  "prepare",
  "cordon",
  "drain",
  "upgrade",
  "imagePullSecrets",
];
const CONTAINER_SPEC = [
  "image",
  "command",
  "args",
  "envs",
  "envFrom",
  "volumes",
  "securityContext",
];
const DRAIN_SPEC = [
  "timeout",
  "gracePeriod",
  "deleteLocalData",
  "deleteEmptydirData",
  "ignoreDaemonSets",
  "force",
  "disableEviction",
  "skipWaitForDeleteTimeout",
  "podSelector",
];

function unknownKeys(obj: unknown, allowed: string[]): string[] {
  return Object.keys(obj as object).filter((k) => !allowed.includes(k));
}

describe("system-upgrade-controller plans at the pinned SUC", () => {
  it("every field is one the pinned Plan CRD defines", () => {
    expect(SUC_VERSION).toBe("v0.14.2"); // re-check the field lists above when this changes
    for (const plan of renderUpgradePlans("v1.33.6+k3s1")) {
      expect(plan.apiVersion).toBe("upgrade.cattle.io/v1");
      expect(unknownKeys(plan.spec, PLAN_SPEC), plan.metadata.name).toEqual([]);
      for (const c of ["prepare", "upgrade"] as const)
        if (plan.spec[c]) expect(unknownKeys(plan.spec[c], CONTAINER_SPEC)).toEqual([]);
      if (plan.spec.drain) expect(unknownKeys(plan.spec.drain, DRAIN_SPEC)).toEqual([]);
      expect(plan.spec.upgrade).toBeDefined(); // wrangler:"required"
    }
  });
  it("servers first: the agent plan's prepare step waits for the server plan by its name", () => {
    const [server, agent] = renderUpgradePlans("v1.33.6+k3s1");
    expect(agent.spec.prepare).toEqual({
      image: "rancher/k3s-upgrade",
      args: ["prepare", server.metadata.name],
    });
    // k3s labels servers node-role.kubernetes.io/control-plane=true (pkg/server/server.go).
    expect(server.spec.nodeSelector).toEqual({
      matchExpressions: [
        { key: "node-role.kubernetes.io/control-plane", operator: "In", values: ["true"] },
      ],
    });
  });
  it("installs the release assets the pinned tag publishes (scripts/package-controller:33-34)", () => {
    expect(sucManifestUrls()).toEqual([
      "https://github.com/rancher/system-upgrade-controller/releases/download/v0.14.2/crd.yaml",
      "https://github.com/rancher/system-upgrade-controller/releases/download/v0.14.2/system-upgrade-controller.yaml",
    ]);
  });
});
