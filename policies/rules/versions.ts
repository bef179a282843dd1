/**
 * Versions pinned: k3s installs name an exact release, Helm releases an exact chart version,
 * container images an explicit tag or digest - never `latest`, a channel or a range - so an
 * upgrade is always a reviewed change.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isRole, WORKLOAD_TYPE } from "./types";
import { read, str, stringLeaves } from "./util";

/** 1.2.3, v1.2.3, 1.2.3-rc.1, v1.33.5+k3s1. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+.][0-9A-Za-z.+-]+)?$/;
const K3S_VERSION = /^v\d+\.\d+\.\d+\+k3s\d+$/;

/** Problem with an image reference, or undefined when it is pinned. */
export function imageProblem(image: string): string | undefined {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  const lastSegment = image.split("/").pop() ?? image;
  const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
  if (!tag) return `image "${image}" has no tag; pin an exact version`;
  if (tag === "latest" || !/\d/.test(tag))
    return `image "${image}" uses the moving tag "${tag}"; pin an exact version`;
  return undefined;
}

/** Problems in shell text that installs k3s. */
export function k3sInstallProblems(text: string): string[] {
  if (!/get\.k3s\.io|INSTALL_K3S_/.test(text)) return [];
  const problems: string[] = [];
  if (/INSTALL_K3S_CHANNEL=/.test(text))
    problems.push("installs k3s from a channel; set INSTALL_K3S_VERSION to an exact release");
  const m = /INSTALL_K3S_VERSION=["']?([^"'\s;]+)/.exec(text);
  if (!m)
    problems.push(
      "installs k3s without INSTALL_K3S_VERSION; pin an exact release such as v1.33.5+k3s1",
    );
  else {
    // INSTALL_K3S_VERSION="$want": follow the script's own assignment of that variable.
    const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(m[1]);
    const assigned = variable
      ? new RegExp(`(?:^|[\\s;])${variable[1]}=["']?([^"'\\s;]+)`, "m").exec(text)?.[1]
      : m[1];
    if (!assigned || !K3S_VERSION.test(assigned))
      problems.push(
        `k3s version "${assigned ?? m[1]}" is not an exact release such as v1.33.5+k3s1`,
      );
  }
  return problems;
}

/** All pinning problems of one resource. */
export function versionProblems(type: string, props: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (isRole(type, "helmRelease")) {
    const chart = str(props, "chart") ?? "";
    const local = chart.startsWith(".") || chart.startsWith("/");
    const version = read(props, "version");
    if (!local && (typeof version !== "string" || !EXACT_VERSION.test(version))) {
      problems.push(
        `Helm chart "${chart}" has version ${JSON.stringify(version ?? null)}; pin an exact chart version`,
      );
    }
  }
  for (const { path, value } of stringLeaves(props)) {
    const key = path.split(".").pop() ?? "";
    if (
      key === "image" &&
      (WORKLOAD_TYPE.test(type) || isRole(type, "helmRelease") || path.includes("containers"))
    ) {
      const problem = imageProblem(value);
      if (problem) problems.push(`${path}: ${problem}`);
    } else if (
      key === "tag" &&
      path.startsWith("values.") &&
      (value === "latest" || value === "")
    ) {
      problems.push(`${path}: image tag "${value}" is not pinned`);
    } else if (/(^|[\s"'=])[a-z0-9.\-/]+:latest\b/.test(value)) {
      problems.push(`${path}: refers to an image with the tag latest`);
    }
    if (isRole(type, "remoteCommand") || isRole(type, "server")) {
      problems.push(...k3sInstallProblems(value).map((p) => `${path}: ${p}`));
    }
  }
  return problems;
}

export const versionsPinned: ResourceValidationPolicy = {
  name: "versions-pinned",
  description:
    "k3s, Helm charts and container images carry exact versions (no latest, channels or ranges).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, report) => {
    for (const problem of versionProblems(args.type, args.props))
      report(`${args.name}: ${problem}.`);
  },
};
