/**
 * Assertions shared by the per-stack platform inventory tests (one runStackUnderMocks per file).
 */
import { expect } from "vitest";
import {
  MOCK_SECRET_CONFIG,
  type Inventory,
  type InventoryResource,
} from "../../scripts/lib/mock-run";
import { mockState } from "../../scripts/lib/mock-outputs";
import type { Environment } from "../../stacks/schema";
import { SERVICE_HOSTS } from "../../components/dns/records";

const RANDOM_TYPES = [
  "random:index/randomPassword:RandomPassword",
  "random:index/randomString:RandomString",
];

/** Every secret value the run could leak: stack config secrets and random results. */
export function secretValues(inv: Inventory): string[] {
  const randoms = inv.resources
    .filter((r) => RANDOM_TYPES.includes(r.type))
    .map((r) => String(mockState(r.type, r.name, r.inputs).state.result));
  const config = Object.values(MOCK_SECRET_CONFIG).flatMap((v) => [
    v,
    ...v.split("\n").filter((l) => l.length > 8),
  ]);
  return [...config, ...randoms].filter((v) => v.length >= 8);
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** Resources whose inputs contain a secret value in plain text. */
export function plainSecretLeaks(inv: Inventory): string[] {
  const secrets = secretValues(inv);
  const leaks: string[] = [];
  for (const r of inv.resources) {
    for (const s of strings(r.inputs)) {
      const hit = secrets.find(
        (secret) => s.includes(secret) || s.includes(encodeURIComponent(secret)),
      );
      if (hit) leaks.push(`${r.type} ${r.name}: ${hit.slice(0, 12)}...`);
    }
  }
  const outs = strings(inv.outputs);
  for (const s of outs)
    if (secrets.some((secret) => s.includes(secret)))
      leaks.push(`stack output: ${s.slice(0, 20)}...`);
  return leaks;
}

type Container = {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: unknown;
};

/** Deployments/StatefulSets missing requests, limits or a readiness probe. */
export function workloadProblems(inv: Inventory): string[] {
  const problems: string[] = [];
  const workloads = inv.resources.filter((r) =>
    ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"].includes(r.type),
  );
  for (const w of workloads) {
    const spec = w.inputs.spec as
      { template?: { spec?: { containers?: Container[] } } } | undefined;
    const containers = spec?.template?.spec?.containers ?? [];
    if (containers.length === 0) problems.push(`${w.name}: no containers`);
    for (const c of containers) {
      if (!c.resources?.requests?.cpu || !c.resources.requests.memory)
        problems.push(`${w.name}/${c.name}: requests`);
      if (!c.resources?.limits?.cpu || !c.resources.limits.memory)
        problems.push(`${w.name}/${c.name}: limits`);
      if (!c.readinessProbe) problems.push(`${w.name}/${c.name}: readinessProbe`);
    }
  }
  return problems;
}

export function releases(inv: Inventory): Record<string, InventoryResource> {
  return Object.fromEntries(
    inv.resources
      .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
      // Keyed by chart name; an OCI reference (oci://host/path/<name>) by its last segment.
      .map((r) => [String(r.inputs.chart).split("/").pop() ?? "", r]),
  );
}

/** Hosts that the platform's Ingresses serve (tenants' own portal domains are the customers'). */
export function ingressHosts(inv: Inventory): string[] {
  return inv.resources
    .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")
    .filter((r) => !r.urn.includes("dezky:tenant:"))
    .flatMap((r) =>
      ((r.inputs.spec as { rules?: { host: string }[] }).rules ?? []).map((rule) => rule.host),
    );
}

/** Names of the zone's record sets by type. */
export function zoneNames(inv: Inventory, type: "A" | "AAAA"): string[] {
  return inv.resources
    .filter((r) => r.type === "hcloud:index/zoneRrset:ZoneRrset" && r.inputs.type === type)
    .map((r) => String(r.inputs.name));
}

/** Checks shared by every stack. */
export function expectPlatform(inv: Inventory, env: Environment): void {
  const zone = inv.resources.filter((r) => r.type === "hcloud:index/zone:Zone");
  expect(zone.map((z) => z.inputs.name)).toContain(env.domain);
  expect(zoneNames(inv, "A")).toEqual(expect.arrayContaining([...SERVICE_HOSTS, "*"]));
  // IPv4-only services: no AAAA anywhere in the zone (docs/ipv6.md).
  expect(zoneNames(inv, "AAAA")).toEqual([]);
  // Every host an Ingress serves resolves in the zone (own record or the wildcard).
  for (const host of ingressHosts(inv)) {
    expect(host.endsWith(`.${env.domain}`), host).toBe(true);
  }
  expect(zoneNames(inv, "A")).toContain("*");

  const charts = releases(inv);
  expect(charts["cert-manager"].inputs.version).toBe(env.versions.certManager);
  expect(charts["cert-manager-webhook-hetzner"].inputs.version).toBe(
    env.versions.certManagerWebhookHetzner,
  );
  expect(charts.authentik.inputs.version).toBe(env.versions.authentik.chart);
  expect(charts.authentik.inputs.version).toBe("2026.8.0");
  expect(charts["collabora-online"].inputs.version).toBe(env.versions.collabora.chart);
  expect(Boolean(charts.zulip)).toBe(env.services.zulip);
  if (env.services.zulip) expect(charts.zulip.inputs.version).toBe(env.versions.zulip?.chart);

  const images = inv.resources
    .filter((r) =>
      ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"].includes(r.type),
    )
    .flatMap((r) =>
      (
        r.inputs.spec as { template: { spec: { containers: { image: string }[] } } }
      ).template.spec.containers.map((c) => c.image),
    );
  for (const pin of [
    env.versions.postgres,
    env.versions.mongodb,
    env.versions.portal,
    env.versions.provisioning,
  ]) {
    expect(images).toContain(`${pin.repository}:${pin.tag}`);
  }
  expect(images).toContain(`docker.io/owncloud/ocis:${env.versions.ocis.app}`);

  const install = inv.resources.find(
    (r) => r.type === "command:remote:Command" && r.name.endsWith("stalwart-install"),
  );
  expect(String(install?.inputs.create)).toContain(`VERSION="${env.versions.stalwart.version}"`);
  expect(String(install?.inputs.create)).toContain(`SHA256="${env.versions.stalwart.sha256}"`);
  expect(install?.secretInputs).toContain("stdin");

  const pvc = inv.resources.find(
    (r) =>
      r.type === "kubernetes:core/v1:PersistentVolumeClaim" &&
      (r.inputs.metadata as { name: string }).name === "ocis-metadata",
  );
  expect((pvc?.inputs.metadata as { namespace: string }).namespace).toBe("ocis");
  expect(pvc?.protect).toBe(env.production);
  const mongoSvc = inv.resources.find(
    (r) =>
      r.type === "kubernetes:core/v1:Service" &&
      (r.inputs.metadata as { name: string }).name === "mongodb",
  );
  expect((mongoSvc?.inputs.metadata as { namespace: string }).namespace).toBe("portal");

  const gates = inv.resources.filter(
    (r) => r.type === "pulumi-nodejs:dynamic/readiness:ApiReadiness",
  );
  expect(gates.map((g) => g.inputs.service).sort()).toEqual(["Authentik", "OCIS", "Stalwart"]);
  for (const g of gates) expect(g.dependsOn.length, g.name).toBeGreaterThan(0);
  expect(gates.find((g) => g.inputs.service === "Authentik")?.inputs.url).toBe(
    `https://auth.${env.domain}/-/health/ready/`,
  );
  // The OCIS gate proves the provisioning identity with its connection's client credentials,
  // which the ocis ApiConnection holds as a secret (nothing short-lived is stored).
  const ocisGate = gates.find((g) => g.inputs.service === "OCIS")!;
  expect(ocisGate.inputs.authenticate).toBe(true);
  const ocisApi = inv.resources.find((r) => r.urn === ocisGate.provider)!;
  expect(ocisApi.inputs["dezky:service"]).toBe("ocis");
  expect(ocisApi.secretInputs).toContain("dezky:connection");

  // Every Kubernetes Secret's data is a Pulumi secret.
  for (const s of inv.resources.filter((r) => r.type === "kubernetes:core/v1:Secret")) {
    expect(s.secretInputs, s.name).toContain("stringData");
  }

  expect(plainSecretLeaks(inv)).toEqual([]);
  expect(workloadProblems(inv)).toEqual([]);

  const urls = inv.outputs.platformUrls as Record<string, string>;
  expect(urls).toMatchObject({
    auth: `https://auth.${env.domain}`,
    files: `https://files.${env.domain}`,
    mail: `https://mail.${env.domain}`,
  });
  expect(inv.outputs.nameservers).toEqual(
    expect.arrayContaining([expect.stringMatching(/ns\.hetzner/)]),
  );
}
