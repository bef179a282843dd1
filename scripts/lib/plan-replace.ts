/**
 * Which input changes force a resource to be replaced rather than updated in place. The
 * offline plan has no provider to ask, so this table mirrors the providers: hcloud (the
 * upstream Terraform provider's ForceNew fields), random (every input), command (triggers) and
 * our dynamic providers (their `diff` returns `replaces`). Anything not listed is an update.
 * Keys are input paths; a nested path like "metadata.name" matches that field.
 */
export const REPLACE_ON: Record<string, string[]> = {
  // A resize (serverType) is an in-place update that powers the server off; not listed.
  "hcloud:index/server:Server": ["location", "datacenter", "image", "userData", "sshKeys"],
  // Conservative: a changed box type is treated as a new box until the resize path is verified.
  "hcloud:index/storageBox:StorageBox": ["location", "storageBoxType"],
  "hcloud:index/zone:Zone": ["name"],
  "hcloud:index/zoneRrset:ZoneRrset": ["zone", "name", "type"],
  "hcloud:index/volume:Volume": ["location"],
  "hcloud:index/primaryIp:PrimaryIp": ["type", "datacenter"],
  "hcloud:index/sshKey:SshKey": ["publicKey"],
  "command:remote:Command": ["triggers", "connection.host"],
  "command:local:Command": ["triggers"],
  "pulumi-nodejs:dynamic/stalwart:MailDomain": ["domain"],
  "pulumi-nodejs:dynamic/stalwart:ServiceAccount": ["name", "domainId"],
  "pulumi-nodejs:dynamic/ocis:SpaceMember": ["driveId", "groupId"],
  // The application slug derives from the tenant slug.
  "pulumi-nodejs:dynamic/authentik:Application": ["tenant"],
};

/** Types where any input change replaces (random values are regenerated). */
const REPLACE_ON_ANY = [/^random:/];

/** Kubernetes objects are recreated when their identity changes. */
const KUBERNETES_IDENTITY = ["metadata.name", "metadata.namespace", "apiVersion", "kind"];

/** Inputs ignored when comparing: serialized dynamic provider code changes on every edit. */
export const IGNORED_INPUTS = ["__provider"];

function matches(path: string, key: string): boolean {
  return path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
}

/** The changed input paths that force a replacement of a resource of this type. */
export function replaceReasons(type: string, changedPaths: string[]): string[] {
  if (REPLACE_ON_ANY.some((re) => re.test(type))) return changedPaths;
  const keys = [
    ...(REPLACE_ON[type] ?? []),
    ...(type.startsWith("kubernetes:") ? KUBERNETES_IDENTITY : []),
  ];
  return changedPaths.filter((p) => keys.some((k) => matches(p, k)));
}
