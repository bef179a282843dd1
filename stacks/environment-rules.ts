/**
 * Rules over environments that a field-by-field schema cannot express: within one environment
 * (duplicates, canary only on production) and across every environment file at once (names that
 * must be unique across cells: cell ids, domains, buckets, adopted servers). Pure.
 */
import { zoneNameProblem } from "@dezky/providers/rules";
import { serverTypeProblem } from "../components/host/server-types";
import { canonicalNetwork } from "./addresses";
import { problem } from "./issues";

type Host =
  | { kind: "cloud"; serverType: string }
  | { kind: "dedicated"; robotServerNumber: number; ipv4: string; ipv6Net: string };

/** The fields these rules read (the parsed environment has them all). */
export interface EnvironmentFacts {
  stack: string;
  cell: string;
  production: boolean;
  canary: boolean;
  domain: string;
  host: Host;
  extraNodes: Array<{ name: string; host: Host }>;
  adminCidrs: string[];
  adminSshKeys: string[];
  objectStorage: { buckets: { ocis: string; etcd: string } };
}

export interface PathProblem {
  path: (string | number)[];
  message: string;
}

/** Entries of `list` whose key was seen before, with the index of the first. */
function duplicates<T>(
  list: T[],
  key: (item: T) => string,
): Array<{ index: number; first: number }> {
  const seen = new Map<string, number>();
  const found: Array<{ index: number; first: number }> = [];
  list.forEach((item, index) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index);
    else found.push({ index, first });
  });
  return found;
}

/** Problems inside one environment. */
export function environmentSelfProblems(env: EnvironmentFacts): PathProblem[] {
  const problems: PathProblem[] = [];
  // The platform zone is created on Hetzner Cloud DNS, which refuses subdomain zones.
  const zone = zoneNameProblem(env.domain);
  if (zone) problems.push({ path: ["domain"], message: zone });
  for (const [path, host] of [
    [["host"], env.host],
    ...env.extraNodes.map((n, i) => [["extraNodes", i, "host"], n.host] as const),
  ] as const) {
    const retired = host.kind === "cloud" ? serverTypeProblem(host.serverType) : undefined;
    if (retired) problems.push({ path: [...path, "serverType"], message: retired });
  }
  if (env.canary && !env.production) {
    problems.push({
      path: ["canary"],
      message:
        "only a production cell can be the canary (deployed first); remove canary or set production: true",
    });
  }
  const { ocis, etcd } = env.objectStorage.buckets;
  if (ocis === etcd) {
    problems.push({
      path: ["objectStorage", "buckets", "etcd"],
      message: `"${etcd}" is also the OCIS bucket; etcd snapshots need their own bucket, such as ${env.cell}-etcd`,
    });
  }
  for (const { index, first } of duplicates(env.adminCidrs, canonicalNetwork)) {
    problems.push({
      path: ["adminCidrs", index],
      message: `"${env.adminCidrs[index]}" is the same network as adminCidrs.${first}; remove one`,
    });
  }
  for (const { index, first } of duplicates(env.adminSshKeys, (k) => k.split(/\s+/)[1] ?? k)) {
    problems.push({
      path: ["adminSshKeys", index],
      message: `is the same key as adminSshKeys.${first}; remove one`,
    });
  }
  for (const { index } of duplicates(env.extraNodes, (n) => n.name)) {
    problems.push({
      path: ["extraNodes", index, "name"],
      message: `"${env.extraNodes[index].name}" names another extra node too; node names are unique in a cell, rename one`,
    });
  }
  return problems;
}

/** An environment file and its parsed value. */
export interface LoadedEnvironment {
  file: string;
  env: EnvironmentFacts;
}

/** Every adopted dedicated server of an environment, with the field path it is declared at. */
function dedicatedHosts(
  env: EnvironmentFacts,
): Array<{ path: string; host: Extract<Host, { kind: "dedicated" }> }> {
  const hosts = [
    { path: "host", host: env.host },
    ...env.extraNodes.map((n, i) => ({ path: `extraNodes.${i}.host`, host: n.host })),
  ];
  return hosts.filter(
    (h): h is { path: string; host: Extract<Host, { kind: "dedicated" }> } =>
      h.host.kind === "dedicated",
  );
}

/** Problems across environment files: what must be unique across cells. */
export function environmentSetProblems(loaded: LoadedEnvironment[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  /** Claims a unique value; a second claim is a problem naming the first file. */
  /** Claims a unique value (compared by `key`); a second claim names the first file. */
  const claim = (
    kind: string,
    value: string,
    file: string,
    field: string,
    fix: string,
    key = value,
  ) => {
    const owner = owners.get(`${kind}:${key}`);
    if (owner === undefined) owners.set(`${kind}:${key}`, `${file} (${field})`);
    else problems.push(problem(file, field, `"${value}" is also the ${kind} of ${owner}; ${fix}`));
  };
  for (const { file, env } of loaded) {
    claim("cell id", env.cell, file, "cell", "give each cell its own id, such as prod-fsn1-b");
    claim("platform domain", env.domain, file, "domain", "give each cell its own domain");
    const { ocis, etcd } = env.objectStorage.buckets;
    const bucketFix = "bucket names are global, give each cell its own, such as dezky-<cell>-ocis";
    claim("bucket", ocis, file, "objectStorage.buckets.ocis", bucketFix);
    claim("bucket", etcd, file, "objectStorage.buckets.etcd", bucketFix);
    for (const { path, host } of dedicatedHosts(env)) {
      const fix = "each cell adopts its own server; copy this server's values from Robot";
      claim("Robot server", String(host.robotServerNumber), file, `${path}.robotServerNumber`, fix);
      claim("server IPv4", host.ipv4, file, `${path}.ipv4`, fix);
      const net = canonicalNetwork(host.ipv6Net);
      claim("server IPv6 network", host.ipv6Net, file, `${path}.ipv6Net`, fix, net);
    }
  }
  const canaries = loaded.filter((l) => l.env.canary);
  if (canaries.length > 1) {
    for (const { file } of canaries.slice(1)) {
      problems.push(
        problem(
          file,
          "canary",
          `${canaries[0].file} is the canary too; at most one production cell is deployed first, remove canary from one`,
        ),
      );
    }
  }
  return problems;
}
