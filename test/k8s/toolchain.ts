/**
 * The validator and the schemas for the pinned versions, fetched through the Go module proxy
 * (the one registry that carries both) and cached: kubeconform built with `go install`, the
 * Kubernetes OpenAPI from k8s.io/kubernetes at the k3s pin's Kubernetes version, the
 * cert-manager CRDs from its module at the cert-manager pin, Traefik's CRDs from its module.
 * First run on a fresh machine: about a minute (mostly the build); warm: nothing to do.
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { schemasFromCrds, schemasFromSwagger } from "./json-schemas";

export const KUBECONFORM = "github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0";
/**
 * Traefik's CRDs (traefik.io/v1alpha1). k3s bundles Traefik v3 (v1.34.9+k3s1: v3.7.4,
 * v1.35.8+k3s1: v3.7.8, release notes); the TLSStore schema is the same across v3.
 */
export const TRAEFIK_MODULE = "github.com/traefik/traefik/v3@v3.5.3";
const TRAEFIK_CRDS =
  "docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml";

const CACHE = join(__dirname, "..", "..", "node_modules", ".cache", "dezky-k8s");

function go(args: string[], env: Record<string, string> = {}): string {
  return execFileSync("go", args, {
    encoding: "utf8",
    env: { ...process.env, GOFLAGS: "-mod=mod", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The module's directory in the Go module cache (downloaded through the proxy if absent). */
export function moduleDir(moduleAtVersion: string): string {
  const info = JSON.parse(go(["mod", "download", "-json", moduleAtVersion])) as {
    Dir?: string;
    Error?: string;
  };
  if (!info.Dir) throw new Error(`go mod download ${moduleAtVersion}: ${info.Error ?? "no Dir"}`);
  return info.Dir;
}

/**
 * Runs `fill` under a directory lock (mkdir is atomic), so test files running in parallel on a
 * cold machine build and generate once. A lock older than 10 minutes is a crashed run's.
 */
function once(done: string, fill: () => void): void {
  if (existsSync(done)) return;
  mkdirSync(CACHE, { recursive: true });
  const lock = join(CACHE, ".lock");
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(done)) return;
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 10 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
      } else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (!existsSync(done)) fill();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Path of the kubeconform binary, built once into the cache. */
export function kubeconform(): string {
  const bin = join(CACHE, "bin");
  const exe = join(bin, "kubeconform");
  once(exe, () => {
    mkdirSync(bin, { recursive: true });
    go(["install", KUBECONFORM], { GOBIN: bin, GOFLAGS: "" });
  });
  return exe;
}

/** The Kubernetes version a k3s release runs (v1.33.5+k3s1 -> v1.33.5). */
export function kubernetesVersionOf(k3s: string): string {
  const m = /^(v\d+\.\d+\.\d+)\+k3s\d+$/.exec(k3s);
  if (!m) throw new Error(`not a k3s release: ${k3s}`);
  return m[1];
}

/** A directory of strict schemas for these pins (generated once, then reused). */
export function schemaDir(pins: { k3s: string; certManager: string }): string {
  const k8s = kubernetesVersionOf(pins.k3s);
  const dir = join(CACHE, "schemas", `${k8s}-cm${pins.certManager}`);
  const done = join(dir, ".complete");
  once(done, () => generate(dir, done, k8s, pins.certManager));
  return dir;
}

function generate(dir: string, done: string, k8s: string, certManager: string): void {
  mkdirSync(dir, { recursive: true });
  const swagger = JSON.parse(
    readFileSync(
      join(moduleDir(`k8s.io/kubernetes@${k8s}`), "api/openapi-spec/swagger.json"),
      "utf8",
    ),
  ) as Parameters<typeof schemasFromSwagger>[0];
  const cmCrds = join(
    moduleDir(`github.com/cert-manager/cert-manager@${certManager}`),
    "deploy/crds",
  );
  const crdDocs = [
    ...readdirSync(cmCrds)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => readFileSync(join(cmCrds, f), "utf8")),
    readFileSync(join(moduleDir(TRAEFIK_MODULE), TRAEFIK_CRDS), "utf8"),
  ].flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as unknown));
  const files = { ...schemasFromSwagger(swagger), ...schemasFromCrds(crdDocs) };
  for (const [name, schema] of Object.entries(files)) {
    writeFileSync(join(dir, name), JSON.stringify(schema));
  }
  writeFileSync(done, `${Object.keys(files).length}\n`);
}
