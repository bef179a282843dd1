/**
 * Plausible outputs per resource type for Pulumi's mock runtime, so the program's derived values
 * (IPs, usernames, kubeconfig) take realistic shapes offline. Unknown types echo their inputs.
 */
import * as crypto from "node:crypto";
import {
  mockMailDomainState,
  mockMailRecordsState,
  mockServerSettingsState,
  mockServiceAccountState,
} from "./mock-mail";

type State = Record<string, unknown>;

/** The id the mock runtime gives a resource: derived from its name, so an aliased resource gets a new one. */
export function fakeId(name: string): string {
  return crypto.createHash("sha256").update(name).digest("hex").slice(0, 12);
}

/** A kubeconfig shaped like the one k3s writes, with the server URL on loopback. */
export const MOCK_KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters:",
  "- cluster:",
  "    certificate-authority-data: LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0tCk1PQ0sKLS0tLS1FTkQtLS0tLQo=",
  "    server: https://127.0.0.1:6443",
  "  name: default",
  "contexts:",
  "- context:",
  "    cluster: default",
  "    user: default",
  "  name: default",
  "current-context: default",
  "users:",
  "- name: default",
  "  user:",
  "    client-certificate-data: TU9DSwo=",
  "    client-key-data: TU9DSwo=",
  "",
].join("\n");

/** Returns the mock state for a new resource. */
export function mockState(type: string, name: string, inputs: State): { id: string; state: State } {
  const id = fakeId(`${type}/${name}`);
  const num = (parseInt(id.slice(0, 6), 16) % 900000) + 100000;
  switch (type) {
    case "hcloud:index/server:Server":
      return {
        id: String(num),
        state: {
          ...inputs,
          ipv4Address: "192.0.2.10",
          ipv6Address: "2001:db8:1::1",
          ipv6Network: "2001:db8:1::/64",
          status: "running",
        },
      };
    case "hcloud:index/primaryIp:PrimaryIp":
      return {
        id: String(num),
        state: { ...inputs, ipAddress: inputs.type === "ipv6" ? "2001:db8:1::/64" : "192.0.2.10" },
      };
    case "hcloud:index/storageBox:StorageBox":
      return {
        id: String(num),
        state: { ...inputs, username: `u${num}`, server: `u${num}.your-storagebox.de` },
      };
    case "hcloud:index/storageBoxSubaccount:StorageBoxSubaccount":
      return {
        id: String(num),
        state: { ...inputs, username: `u${num}-sub1`, server: `u${num}-sub1.your-storagebox.de` },
      };
    case "hcloud:index/zone:Zone":
      return {
        id: String(num),
        state: {
          ...inputs,
          authoritativeNameservers: {
            assigneds: [
              "hydrogen.ns.hetzner.com.",
              "oxygen.ns.hetzner.com.",
              "helium.ns.hetzner.de.",
            ],
          },
        },
      };
    case "hcloud:index/sshKey:SshKey":
      return {
        id: String(num),
        state: { ...inputs, fingerprint: "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff" },
      };
    case "command:remote:Command":
      return {
        id,
        state: {
          ...inputs,
          stdout: name.endsWith("kubeconfig") ? MOCK_KUBECONFIG : "",
          stderr: "",
        },
      };
    case "random:index/randomPassword:RandomPassword":
    case "random:index/randomString:RandomString":
      return {
        id,
        state: {
          ...inputs,
          result: `mock-${fakeId(name)}-${"x".repeat(Math.max(0, Number(inputs.length ?? 32) - 17))}`,
        },
      };
    case "random:index/randomBytes:RandomBytes":
      return {
        id,
        state: {
          ...inputs,
          base64: Buffer.from(fakeId(name).repeat(3)).toString("base64"),
          hex: fakeId(name).repeat(3),
        },
      };
    // Dynamic resources: the ids other resources refer to (policies resolve references by them).
    case "pulumi-nodejs:dynamic/authentik:Group":
    case "pulumi-nodejs:dynamic/ocis:Group":
      return { id, state: { ...inputs, groupId: `mock-group-${id}` } };
    case "pulumi-nodejs:dynamic/ocis:Space":
      return { id, state: { ...inputs, driveId: `mock-drive-${id}` } };
    case "pulumi-nodejs:dynamic/stalwart:ServerSettings":
      return { id, state: { ...inputs, ...mockServerSettingsState() } };
    case "pulumi-nodejs:dynamic/stalwart:ServiceAccount":
      return { id, state: { ...inputs, ...mockServiceAccountState(inputs) } };
    case "pulumi-nodejs:dynamic/stalwart:MailDomain":
      // The provider creates pending Ed25519 and RSA keys.
      return {
        id,
        state: {
          ...inputs,
          domainId: id,
          ...mockMailDomainState(String(inputs.domain ?? "example.invalid")),
        },
      };
    case "pulumi-nodejs:dynamic/stalwart:MailDomainRecords":
      // What Stalwart recommends for the domain (read once the domain exists).
      return {
        id,
        state: { ...inputs, ...mockMailRecordsState(String(inputs.domain ?? "example.invalid")) },
      };
    default:
      return { id, state: { ...inputs } };
  }
}
