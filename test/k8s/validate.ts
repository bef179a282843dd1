/**
 * Non-Helm Kubernetes objects of a mock-runtime run, as manifests, validated by kubeconform
 * (strict) against the schemas of the pinned versions. Helm releases are checked by
 * test/charts instead.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubeconform, schemaDir } from "./toolchain";

export interface Manifest {
  apiVersion: string;
  kind: string;
  [key: string]: unknown;
}

/** `kubernetes:apps/v1:Deployment` + inputs -> a manifest; undefined for non-objects. */
export function toManifest(type: string, inputs: Record<string, unknown>): Manifest | undefined {
  const m = /^kubernetes:([^:]+)\/([^:/]+):([A-Za-z]+)$/.exec(type);
  if (!m || m[1] === "helm.sh") return undefined;
  const [, group, version, kind] = m;
  const apiVersion = group === "core" ? version : `${group}/${version}`;
  return { ...inputs, apiVersion, kind } as Manifest;
}

export interface Finding {
  object: string;
  status: string;
  msg: string;
}

/** kubeconform's verdict on each manifest that is not valid (empty: all valid). */
export function validate(manifests: Manifest[], pins: { k3s: string; certManager: string }) {
  const dir = mkdtempSync(join(tmpdir(), "dezky-k8s-"));
  const file = join(dir, "objects.yaml");
  writeFileSync(file, manifests.map((m) => JSON.stringify(m)).join("\n---\n"));
  const args = [
    "-strict",
    "-summary",
    "-output",
    "json",
    "-schema-location",
    `${schemaDir(pins)}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    file,
  ];
  let out: string;
  try {
    out = execFileSync(kubeconform(), args, { encoding: "utf8" });
  } catch (e) {
    // Exit status 1 means "some resources are invalid": the JSON report is still on stdout.
    out = String((e as { stdout?: string }).stdout ?? "");
    if (!out) throw e;
  }
  const report = JSON.parse(out) as {
    resources?: { kind: string; name: string; status: string; msg: string }[];
    summary: { valid: number; invalid: number; errors: number; skipped: number };
  };
  const findings: Finding[] = (report.resources ?? [])
    .filter((r) => r.status !== "statusValid")
    .map((r) => ({ object: `${r.kind}/${r.name}`, status: r.status, msg: r.msg }));
  return { summary: report.summary, findings };
}
