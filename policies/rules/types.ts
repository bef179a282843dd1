/**
 * The one table of resource type tokens the rules look at. Components and dynamic providers are
 * still growing: a rename is one edit here. A role may list several tokens (old and new names).
 */
export const TYPES = {
  server: ["hcloud:index/server:Server"],
  cloudFirewall: ["hcloud:index/firewall:Firewall"],
  storageBox: ["hcloud:index/storageBox:StorageBox"],
  storageBoxSubaccount: ["hcloud:index/storageBoxSubaccount:StorageBoxSubaccount"],
  zone: ["hcloud:index/zone:Zone"],
  zoneRrset: ["hcloud:index/zoneRrset:ZoneRrset"],
  remoteCommand: ["command:remote:Command", "command:remote:CopyToRemote"],
  helmRelease: ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"],
  authentikGroup: ["pulumi-nodejs:dynamic/authentik:Group"],
  authentikOAuth2Provider: ["pulumi-nodejs:dynamic/authentik:OAuth2Provider"],
  authentikApplication: ["pulumi-nodejs:dynamic/authentik:Application"],
  authentikPolicyBinding: ["pulumi-nodejs:dynamic/authentik:PolicyBinding"],
  ocisGroup: ["pulumi-nodejs:dynamic/ocis:Group"],
  ocisSpace: ["pulumi-nodejs:dynamic/ocis:Space"],
  ocisSpaceMember: [
    "pulumi-nodejs:dynamic/ocis:SpaceMember",
    "pulumi-nodejs:dynamic/ocis:SpaceMembership",
  ],
  stalwartDomain: [
    "pulumi-nodejs:dynamic/stalwart:MailDomain",
    "pulumi-nodejs:dynamic/stalwart:Domain",
  ],
  /** The records Stalwart recommends for a mail domain (read from it, keyed on its id). */
  stalwartDomainRecords: ["pulumi-nodejs:dynamic/stalwart:MailDomainRecords"],
  bucket: ["pulumi-nodejs:dynamic/s3:Bucket"],
  robotFirewall: ["pulumi-nodejs:dynamic/robot:Firewall"],
  robotReverseDns: ["pulumi-nodejs:dynamic/robot:ReverseDns"],
  persistentVolumeClaim: ["kubernetes:core/v1:PersistentVolumeClaim"],
  statefulSet: ["kubernetes:apps/v1:StatefulSet"],
} as const satisfies Record<string, readonly string[]>;

export type Role = keyof typeof TYPES;

/** True when `type` is one of the tokens of `role`. */
export function isRole(type: string, role: Role): boolean {
  return (TYPES[role] as readonly string[]).includes(type);
}

/** Data-bearing types that production must protect or retain on delete. */
export const DATA_BEARING: readonly Role[] = [
  "bucket",
  "storageBox",
  "zone",
  "ocisSpace",
  "stalwartDomain",
  // Identity data: who belongs to a tenant and its departments.
  "authentikGroup",
  "ocisGroup",
  "persistentVolumeClaim",
];

/** Kubernetes workload kinds whose pod templates carry container images. */
export const WORKLOAD_TYPE =
  /^kubernetes:(apps\/v1:(Deployment|StatefulSet|DaemonSet)|batch\/v1:(Job|CronJob)|core\/v1:Pod)$/;

/** An untyped dynamic resource: rules cannot tell what it is. */
export const UNTYPED_DYNAMIC = "pulumi-nodejs:dynamic:Resource";
