/**
 * The k3s configuration of one node, rendered as /etc/rancher/k3s/config.yaml. No secrets:
 * the cluster token and the S3 keys go to a separate drop-in (config.yaml.d/50-secrets.yaml)
 * written from Pulumi secrets, so neither lands in a plain command string in the state.
 * Every key is checked against k3s at the pinned version in docs/conformance/k3s.md.
 */
import type { Environment } from "../../stacks/schema";
import { checkSnapshotCron } from "./cron";
import { renderK3sYaml } from "./k3s-yaml";

export type NodeRole = "primary" | "server" | "agent";

export interface EtcdS3 {
  endpoint: string;
  region: string;
  bucket: string;
  folder: string;
}

export interface K3sConfigArgs {
  role: NodeRole;
  nodeName: string;
  /** Names/addresses the API certificate must carry. */
  tlsSans: string[];
  /** https://<primary>:6443 for nodes that join. */
  serverUrl?: string;
  cell: string;
  /** The pinned k3s release the config is for (some keys exist from a minor version on). */
  version: string;
  snapshotSchedule: string;
  snapshotRetention: number;
  s3: EtcdS3;
}

/** Hetzner Object Storage endpoint of a location: a host name, no scheme (k3s hands it to minio-go). */
export function objectStorageEndpoint(location: string): string {
  return `${location}.your-objectstorage.com`;
}

/** Where a cell's etcd snapshots live. */
export function etcdS3(env: Pick<Environment, "cell" | "objectStorage">): EtcdS3 {
  return {
    endpoint: objectStorageEndpoint(env.objectStorage.location),
    region: env.objectStorage.location,
    bucket: env.objectStorage.buckets.etcd,
    folder: env.cell,
  };
}

export const CONFIG_PATH = "/etc/rancher/k3s/config.yaml";
export const SECRETS_PATH = "/etc/rancher/k3s/config.yaml.d/50-secrets.yaml";

/** The minor version of an exact release (v1.33.5+k3s1 -> 33). */
export function k3sMinor(version: string): number {
  const m = /^v1\.(\d+)\.\d+\+k3s\d+$/.exec(version);
  if (!m) throw new Error(`k3s version ${version} is not an exact release such as v1.33.5+k3s1`);
  return Number(m[1]);
}

/**
 * k3s 1.34 split S3 retention from local retention (--etcd-s3-retention, default 5). From 1.34
 * on it is set to the same count, so the bump does not silently shorten the S3 history.
 */
export const S3_RETENTION_SINCE_MINOR = 34;

/** Renders config.yaml for a node. Traefik and ServiceLB stay (deliberately; docs/k3s-upgrades.md). */
export function renderK3sConfig(args: K3sConfigArgs): string {
  if (args.role !== "primary" && !args.serverUrl)
    throw new Error(`k3s ${args.nodeName}: a joining node needs serverUrl`);
  const common = {
    "node-name": args.nodeName,
    "node-label": [`dezky.eu/cell=${args.cell}`],
  };
  if (args.role === "agent") return renderK3sYaml({ server: args.serverUrl, ...common });
  checkSnapshotCron(args.snapshotSchedule);
  const server = {
    ...(args.role === "primary" ? { "cluster-init": true } : { server: args.serverUrl }),
    ...common,
    "tls-san": args.tlsSans,
    "write-kubeconfig-mode": "0600",
    "secrets-encryption": true,
    // Pod traffic between nodes crosses the public internet: encrypt it.
    "flannel-backend": "wireguard-native",
    "etcd-snapshot-schedule-cron": args.snapshotSchedule,
    "etcd-snapshot-retention": args.snapshotRetention,
    "etcd-snapshot-compress": true,
    "etcd-s3": true,
    "etcd-s3-endpoint": args.s3.endpoint,
    "etcd-s3-region": args.s3.region,
    "etcd-s3-bucket": args.s3.bucket,
    "etcd-s3-folder": args.s3.folder,
    ...(k3sMinor(args.version) >= S3_RETENTION_SINCE_MINOR
      ? { "etcd-s3-retention": args.snapshotRetention }
      : {}),
  };
  return renderK3sYaml(server);
}

/** The secret drop-in: cluster token, and the S3 key pair on servers (they take snapshots). */
export function renderSecretsDropIn(args: {
  role: NodeRole;
  token: string;
  s3AccessKey: string;
  s3SecretKey: string;
}): string {
  return renderK3sYaml({
    token: args.token,
    ...(args.role === "agent"
      ? {}
      : { "etcd-s3-access-key": args.s3AccessKey, "etcd-s3-secret-key": args.s3SecretKey }),
  });
}
