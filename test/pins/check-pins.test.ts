/**
 * The pins checker against a fake upstream on loopback (Helm index, OCI registry with the
 * 401 + anonymous token dance, GitHub releases API), and the offline rule that every pin of
 * every environment has a recorded source.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPins, parseBearerChallenge } from "../../scripts/lib/check-pins";
import { imageRef, pinsOf, type Pin } from "../../scripts/lib/pin-sources";
import dev from "../../stacks/dev";
import prod from "../../stacks/prod";
import staging from "../../stacks/staging";

let server: Server;
let base = "";
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? "";
    seen.push(`${req.method} ${url}`);
    if (url === "/charts.example/index.yaml") {
      res.end("apiVersion: v1\nentries:\n  webhook:\n    - version: 0.7.0\n    - version: 0.9.0\n");
    } else if (url.startsWith("/token.example/token?")) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ token: "anon" }));
    } else if (url.startsWith("/registry.example/v2/")) {
      if (req.headers.authorization !== "Bearer anon") {
        res.statusCode = 401;
        res.setHeader(
          "www-authenticate",
          'Bearer realm="https://token.example/token",service="registry.example",scope="repository:library/postgres:pull"',
        );
        res.end();
        return;
      }
      res.statusCode = url.endsWith("/manifests/16.10") ? 200 : 404;
      res.end();
    } else if (url === "/api.github.com/repos/k3s-io/k3s/releases/tags/v1.34.9%2Bk3s1") {
      res.end("{}");
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const rewrite = (url: string) => `${base}/${url.replace(/^https?:\/\//, "")}`;
const pin = (id: string, check: Pin["check"]): Pin => ({ id, check, source: "test" });

describe("pins checker", () => {
  it("passes pins that exist and names each one that does not", async () => {
    const results = await checkPins(
      [
        pin("chart-ok", {
          kind: "helm-repo",
          repo: "https://charts.example",
          chart: "webhook",
          version: "0.7.0",
        }),
        pin("chart-missing", {
          kind: "helm-repo",
          repo: "https://charts.example",
          chart: "webhook",
          version: "1.0.0",
        }),
        pin("image-ok", imageRef("registry.example/library/postgres", "16.10")),
        pin("image-missing", imageRef("registry.example/library/postgres", "16.10.0")),
        pin("k3s-ok", { kind: "github-release", repo: "k3s-io/k3s", tag: "v1.34.9+k3s1" }),
        pin("k3s-missing", { kind: "github-release", repo: "k3s-io/k3s", tag: "v1.33.99+k3s1" }),
        pin("unreachable", {
          kind: "helm-repo",
          repo: "https://nowhere.example",
          chart: "x",
          version: "1.0.0",
        }),
      ],
      { rewrite, timeoutMs: 5000 },
    );
    expect(Object.fromEntries(results.map((r) => [r.pin.id, r.ok]))).toEqual({
      "chart-ok": true,
      "chart-missing": false,
      "image-ok": true,
      "image-missing": false,
      "k3s-ok": true,
      "k3s-missing": false,
      unreachable: false,
    });
    expect(results.find((r) => r.pin.id === "chart-missing")?.detail).toMatch(
      /webhook 1.0.0 not in https:\/\/charts.example\/index.yaml \(2 versions listed\)/,
    );
    expect(results.find((r) => r.pin.id === "image-missing")?.detail).toMatch(/HTTP 404/);
    // The registry was asked anonymously first, then with the token its challenge named.
    expect(seen).toContain(
      "GET /token.example/token?service=registry.example&scope=repository%3Alibrary%2Fpostgres%3Apull",
    );
  });

  it("reads a registry's bearer challenge", () => {
    expect(parseBearerChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io"')).toEqual({
      realm: "https://ghcr.io/token",
      service: "ghcr.io",
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
  });

  it("maps Docker Hub names to its registry host", () => {
    expect(imageRef("docker.io/library/postgres", "16.10")).toEqual({
      kind: "oci",
      registry: "registry-1.docker.io",
      repository: "library/postgres",
      tag: "16.10",
    });
  });
});

describe("recorded upstream sources (offline)", () => {
  it("has a source for every pin of every environment", () => {
    for (const env of [dev, staging, prod]) {
      const unsourced = pinsOf(env)
        .filter((p) => !p.source)
        .map((p) => p.id);
      expect(unsourced, env.stack).toEqual([]);
    }
  });

  it("covers every version the schema lets an environment pin", () => {
    const ids = pinsOf(staging).map((p) => p.id);
    const expected = Object.entries(staging.versions).flatMap(([k, v]) =>
      typeof v === "object" && v && ("chart" in v || "app" in v)
        ? Object.keys(v).map((sub) => `versions.${k}.${sub}`)
        : k === "stalwart"
          ? ["versions.stalwart.version"]
          : [`versions.${k}`],
    );
    expect(ids.sort()).toEqual(["k3s.version", ...expected].sort());
  });
});
