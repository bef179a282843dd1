/**
 * Asks each upstream whether a pin exists: a Helm repository's index.yaml, an OCI registry's
 * manifest (anonymous bearer token on 401, as Docker Hub and GHCR answer), a GitHub release.
 * `rewrite` maps every URL (tests point it at a fake registry on loopback).
 */
import { parse } from "yaml";
import type { Pin, PinCheck } from "./pin-sources";

export interface CheckOptions {
  fetch?: typeof fetch;
  rewrite?: (url: string) => string;
  /** GitHub token for the releases API (CI's GITHUB_TOKEN avoids the anonymous rate limit). */
  githubToken?: string;
  timeoutMs?: number;
}

export interface PinResult {
  pin: Pin;
  ok: boolean;
  detail: string;
}

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** The URL a check asks (before rewriting); also what --dry-run prints. */
export function checkUrl(c: PinCheck): string {
  switch (c.kind) {
    case "helm-repo":
      return `${c.repo.replace(/\/$/, "")}/index.yaml`;
    case "oci":
      return `https://${c.registry}/v2/${c.repository}/manifests/${c.tag}`;
    case "github-release":
      return `https://api.github.com/repos/${c.repo}/releases/tags/${encodeURIComponent(c.tag)}`;
  }
}

export function describeCheck(c: PinCheck): string {
  switch (c.kind) {
    case "helm-repo":
      return `${c.chart} ${c.version} in ${c.repo}`;
    case "oci":
      return `${c.registry}/${c.repository}:${c.tag}`;
    case "github-release":
      return `${c.repo} release ${c.tag}`;
  }
}

/** Parses `Bearer realm="…",service="…",scope="…"`. */
export function parseBearerChallenge(header: string): Record<string, string> | undefined {
  if (!/^Bearer\s/i.test(header)) return undefined;
  return Object.fromEntries(
    [...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]),
  );
}

async function checkOne(
  c: PinCheck,
  o: Required<Omit<CheckOptions, "githubToken">> & CheckOptions,
) {
  const get = (url: string, headers: Record<string, string> = {}, method = "GET") =>
    o.fetch(o.rewrite(url), { method, headers, signal: AbortSignal.timeout(o.timeoutMs) });
  const url = checkUrl(c);
  if (c.kind === "helm-repo") {
    const res = await get(url);
    if (!res.ok) return { ok: false, detail: `${url}: HTTP ${res.status}` };
    const index = parse(await res.text()) as { entries?: Record<string, { version: string }[]> };
    const versions = (index.entries?.[c.chart] ?? []).map((e) => String(e.version));
    const found = versions.some((v) => v.replace(/^v/, "") === c.version.replace(/^v/, ""));
    return found
      ? { ok: true, detail: url }
      : {
          ok: false,
          detail: `${c.chart} ${c.version} not in ${url} (${versions.length} versions listed)`,
        };
  }
  if (c.kind === "oci") {
    const accept = { Accept: MANIFEST_TYPES };
    let res = await get(url, accept, "HEAD");
    const challenge = parseBearerChallenge(res.headers.get("www-authenticate") ?? "");
    if (res.status === 401 && challenge?.realm) {
      const q = new URLSearchParams();
      if (challenge.service) q.set("service", challenge.service);
      q.set("scope", challenge.scope ?? `repository:${c.repository}:pull`);
      const tokenRes = await get(`${challenge.realm}?${q.toString()}`);
      if (!tokenRes.ok)
        return { ok: false, detail: `token for ${c.repository}: HTTP ${tokenRes.status}` };
      const body = (await tokenRes.json()) as { token?: string; access_token?: string };
      const token = body.token ?? body.access_token ?? "";
      res = await get(url, { ...accept, Authorization: `Bearer ${token}` }, "HEAD");
    }
    return res.ok ? { ok: true, detail: url } : { ok: false, detail: `${url}: HTTP ${res.status}` };
  }
  const headers: Record<string, string> = { Accept: "application/vnd.github+json" };
  if (o.githubToken) headers.Authorization = `Bearer ${o.githubToken}`;
  const res = await get(url, headers);
  return res.ok ? { ok: true, detail: url } : { ok: false, detail: `${url}: HTTP ${res.status}` };
}

/** Checks every pin (sequentially: a handful of requests, polite to the registries). */
export async function checkPins(pins: Pin[], options: CheckOptions = {}): Promise<PinResult[]> {
  const o = {
    fetch: options.fetch ?? fetch,
    rewrite: options.rewrite ?? ((u: string) => u),
    timeoutMs: options.timeoutMs ?? 20_000,
    githubToken: options.githubToken,
  };
  const results: PinResult[] = [];
  for (const pin of pins) {
    try {
      results.push({ pin, ...(await checkOne(pin.check, o)) });
    } catch (e) {
      results.push({ pin, ok: false, detail: `${checkUrl(pin.check)}: ${(e as Error).message}` });
    }
  }
  return results;
}

/** Pins of several environments, each distinct check once (dev/staging/prod share most). */
export function distinctPins(pins: Pin[]): Pin[] {
  const seen = new Map<string, Pin>();
  for (const p of pins) seen.set(`${p.id} ${JSON.stringify(p.check)}`, p);
  return [...seen.values()];
}
