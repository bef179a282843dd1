/**
 * Multi-node upgrades with Rancher's system-upgrade-controller (SUC): servers one at a time
 * (cordoned), then agents (drained) once the server plan is done. Single-node cells upgrade by
 * re-running the pinned install script instead (components/k3s/scripts.ts).
 */

/** Pinned SUC release (manifests from its GitHub release); bump deliberately. */
export const SUC_VERSION = "v0.14.2";

export function sucManifestUrls(version: string = SUC_VERSION): string[] {
  const base = `https://github.com/rancher/system-upgrade-controller/releases/download/${version}`;
  return [`${base}/crd.yaml`, `${base}/system-upgrade-controller.yaml`];
}

/** Installs SUC with the k3s kubectl on the primary (its manifests are plain YAML). */
export function renderSucInstallScript(version: string = SUC_VERSION): string {
  const files = sucManifestUrls(version)
    .map((u) => `-f '${u}'`)
    .join(" ");
  return ["#!/bin/sh", "set -eu", `k3s kubectl apply --server-side ${files}`, ""].join("\n");
}

export interface UpgradePlan {
  apiVersion: "upgrade.cattle.io/v1";
  kind: "Plan";
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown>;
}

/** The server and agent Plans for one pinned k3s version. */
export function renderUpgradePlans(version: string): UpgradePlan[] {
  const metadata = (name: string) => ({ name, namespace: "system-upgrade" });
  const controlPlane = {
    key: "node-role.kubernetes.io/control-plane",
    operator: "In",
    values: ["true"],
  };
  return [
    {
      apiVersion: "upgrade.cattle.io/v1",
      kind: "Plan",
      metadata: metadata("k3s-server"),
      spec: {
        concurrency: 1,
        cordon: true,
        nodeSelector: { matchExpressions: [controlPlane] },
        serviceAccountName: "system-upgrade",
        upgrade: { image: "rancher/k3s-upgrade" },
        version,
      },
    },
    {
      apiVersion: "upgrade.cattle.io/v1",
      kind: "Plan",
      metadata: metadata("k3s-agent"),
      spec: {
        concurrency: 1,
        nodeSelector: { matchExpressions: [{ key: controlPlane.key, operator: "DoesNotExist" }] },
        prepare: { image: "rancher/k3s-upgrade", args: ["prepare", "k3s-server"] },
        drain: { force: true, skipWaitForDeleteTimeout: 60 },
        serviceAccountName: "system-upgrade",
        upgrade: { image: "rancher/k3s-upgrade" },
        version,
      },
    },
  ];
}
