/**
 * The k3s configuration of one node, rendered as /etc/rancher/k3s/config.yaml. No secrets:
 * the cluster token and the S3 keys go to a separate drop-in (config.yaml.d/50-secrets.yaml)
 * written from Pulumi secrets, so neither lands in a plain command string in the state.
 */
import { stringify } from "yaml";
import type { Environment } from "../../stacks/schema";

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
  snapshotSchedule: string;
  snapshotRetention: number;
  s3: EtcdS3;
}

/** Hetzner Object Storage endpoint of a location. */
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

/** Renders config.yaml for a node. Traefik and ServiceLB stay (deliberately; docs/k3s-upgrades.md). */
export function renderK3sConfig(args: K3sConfigArgs): string {
  if (args.role !== "primary" && !args.serverUrl)
    throw new Error(`k3s ${args.nodeName}: a joining node needs serverUrl`);
  const common = {
    "node-name": args.nodeName,
    "node-label": [`dezky.eu/cell=${args.cell}`],
  };
  if (args.role === "agent") return stringify({ server: args.serverUrl, ...common });
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
  };
  return stringify(server);
}

/** The secret drop-in: cluster token, and the S3 key pair on servers (they take snapshots). */
export function renderSecretsDropIn(args: {
  role: NodeRole;
  token: string;
  s3AccessKey: string;
  s3SecretKey: string;
}): string {
  return stringify({
    token: args.token,
    ...(args.role === "agent"
      ? {}
      : { "etcd-s3-access-key": args.s3AccessKey, "etcd-s3-secret-key": args.s3SecretKey }),
  });
}
