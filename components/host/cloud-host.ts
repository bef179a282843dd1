/**
 * A Hetzner Cloud host (dev/staging, or a Cloud node joining a cell): primary IPs (stable across
 * a rebuild, so PTR and DNS survive), SSH keys, a Cloud Firewall attached at creation, reverse
 * DNS for the mail name, and first-boot cloud-init. User data, image and SSH keys are
 * `ignoreChanges`: changing them must never silently replace a server that holds data; day-2
 * changes converge over SSH instead, and a rebuild is a deliberate `pulumi up --replace`.
 */
import * as command from "@pulumi/command";
import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Environment, HostSpec } from "../../stacks/schema";
import type { StackSecrets } from "../../stacks/secrets";
import { renderCloudInit } from "./cloud-init";
import { converge } from "./convergence";
import { checkLocation } from "./firewall-policy";
import { cloudFirewallRules, renderNftables } from "./firewall-render";
import { ed25519HostKey, hostKeyDeliveryScript } from "./host-key";
import { hcloudLabels } from "./labels";
import { type CellHost, hostAddressInNet } from "./types";

export const CLOUD_HOST_TYPE = "dezky:host:CloudHost";

/**
 * Server options that keep a data-bearing server from being replaced by accident (userData,
 * image, sshKeys force a new server: terraform-provider-hcloud v1.68.0
 * internal/server/resource.go:54-113), plus `firewallIds`: the provider reads back every firewall
 * attached to the server, including the peer firewall attached through its own `applyTos`
 * (resource.go:1241-1257), and an update detaches whatever the config does not list
 * (resource.go:645-677), so without this each refresh would show drift and the next `up` would
 * remove the peer rules. The firewall given at creation is attached at creation all the same.
 */
export const CLOUD_SERVER_IGNORE_CHANGES = ["userData", "image", "sshKeys", "firewallIds"];

export interface CloudHostArgs {
  env: Environment;
  spec: Extract<HostSpec, { kind: "cloud" }>;
  /** Node name in the cell; the server is named `<cell>` or `<cell>-<node>`. */
  nodeName: string;
  /** Carries the mail host name (PTR mail.<domain>). */
  mailHost: boolean;
  secrets: StackSecrets;
  /**
   * The cell's admin keys, made by the first Cloud host of the cell: the API refuses a second
   * key with the same fingerprint in a project ("uniqueness_error ... SSH key with the same
   * fingerprint already exists", docs.hetzner.cloud/reference/cloud#errors), so further nodes
   * reuse them instead of registering the same keys again.
   */
  sshKeys?: hcloud.SshKey[];
}

export class CloudHost extends pulumi.ComponentResource implements CellHost {
  readonly kind = "cloud" as const;
  readonly nodeName: string;
  readonly location;
  readonly ipv4: pulumi.Output<string>;
  readonly ipv6: pulumi.Output<string>;
  readonly connection: command.types.input.remote.ConnectionArgs;
  readonly hostPublicKey: pulumi.Output<string>;
  /** Public half of the bootstrap key in user data, pinned only by the key delivery. */
  readonly bootstrapPublicKey: pulumi.Output<string>;
  readonly server: hcloud.Server;
  /** The admin SSH keys registered in the project (shared with the cell's other Cloud hosts). */
  readonly sshKeys: hcloud.SshKey[];
  private readonly hostPrivateKey: pulumi.Output<string>;
  ready: pulumi.Resource = this;
  private readonly name: string;
  private readonly args: CloudHostArgs;

  constructor(name: string, args: CloudHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CLOUD_HOST_TYPE, name, {}, opts);
    const { env, spec } = args;
    this.name = name;
    this.args = args;
    this.nodeName = args.nodeName;
    this.location = checkLocation(spec.location);
    const labels = hcloudLabels(env, args.mailHost ? "mail" : "node");
    const prod = env.production;
    // Data-bearing in production: the server and its addresses (mail reputation, PTR).
    const keep = prod ? { protect: true, retainOnDelete: true } : {};

    // The pinned host key never goes into user data (served unauthenticated on the host for
    // the server's life); user data carries a bootstrap key that the first command replaces.
    const seed = new random.RandomBytes(`${name}-host-key-seed`, { length: 32 }, { parent: this });
    const hostKey = pulumi
      .secret(seed.base64)
      .apply((b64) => ed25519HostKey(b64, `${env.cell}-${args.nodeName}`));
    this.hostPublicKey = pulumi.unsecret(hostKey.apply((k) => k.publicKey));
    const bootstrapSeed = new random.RandomBytes(
      `${name}-bootstrap-key-seed`,
      { length: 32 },
      { parent: this },
    );
    const bootstrapKey = pulumi
      .secret(bootstrapSeed.base64)
      .apply((b64) => ed25519HostKey(b64, `${env.cell}-${args.nodeName}-bootstrap`));
    this.hostPrivateKey = pulumi.secret(hostKey.apply((k) => k.privateKey));
    this.bootstrapPublicKey = pulumi.unsecret(bootstrapKey.apply((k) => k.publicKey));

    this.sshKeys =
      args.sshKeys ??
      env.adminSshKeys.map(
        (publicKey, i) =>
          new hcloud.SshKey(`${name}-ssh-${i}`, { publicKey, labels }, { parent: this }),
      );
    // Primary IPs are created unassigned in the server's location and given to the server through
    // publicNets. `assigneeType` goes only with `assigneeId` (terraform-provider-hcloud v1.68.0
    // internal/primaryip/resource.go:148-185, "Please remove it from your configuration").
    const ipv4 = new hcloud.PrimaryIp(
      `${name}-ipv4`,
      {
        type: "ipv4",
        location: this.location,
        autoDelete: false,
        deleteProtection: prod,
        labels,
      },
      { parent: this, ...keep },
    );
    const ipv6 = new hcloud.PrimaryIp(
      `${name}-ipv6`,
      {
        type: "ipv6",
        location: this.location,
        autoDelete: false,
        deleteProtection: prod,
        labels,
      },
      { parent: this, ...keep },
    );
    const firewall = new hcloud.Firewall(
      `${name}-firewall`,
      { rules: cloudFirewallRules({ adminCidrs: env.adminCidrs, peers: [] }), labels },
      { parent: this },
    );
    const hostname = args.nodeName === env.cell ? env.cell : `${env.cell}-${args.nodeName}`;
    const userData = bootstrapKey.apply((key) =>
      renderCloudInit({
        hostname,
        fqdn: `${hostname}.${env.domain}`,
        nftables: renderNftables({ adminCidrs: env.adminCidrs, peers: [] }),
        bootstrapHostKey: key,
      }),
    );
    this.server = new hcloud.Server(
      `${name}-server`,
      {
        name: hostname,
        serverType: spec.serverType,
        image: spec.image,
        location: this.location,
        sshKeys: this.sshKeys.map((k) => k.id),
        publicNets: [
          {
            ipv4Enabled: true,
            ipv4: ipv4.id.apply(Number),
            ipv6Enabled: true,
            ipv6: ipv6.id.apply(Number),
          },
        ],
        firewallIds: [firewall.id.apply(Number)],
        userData: pulumi.secret(userData),
        deleteProtection: prod,
        rebuildProtection: prod,
        labels,
      },
      {
        parent: this,
        ignoreChanges: CLOUD_SERVER_IGNORE_CHANGES,
        ...(prod ? { protect: true } : {}),
      },
    );
    this.ipv4 = ipv4.ipAddress;
    this.ipv6 = ipv6.ipAddress.apply((net) => hostAddressInNet(net, 1));
    if (args.mailHost) {
      const dnsPtr = `mail.${env.domain}`;
      new hcloud.Rdns(
        `${name}-rdns-v4`,
        { primaryIpId: ipv4.id.apply(Number), ipAddress: this.ipv4, dnsPtr },
        { parent: this },
      );
      new hcloud.Rdns(
        `${name}-rdns-v6`,
        { primaryIpId: ipv6.id.apply(Number), ipAddress: this.ipv6, dnsPtr },
        { parent: this },
      );
    }
    this.connection = {
      host: this.ipv4,
      user: "root",
      privateKey: args.secrets.sshPrivateKey,
      hostKey: this.hostPublicKey,
      // A new server needs a minute or two before sshd answers.
      dialErrorLimit: 60,
      perDialTimeout: 15,
    };
  }

  /** Second phase, once every node of the cell exists: peers are the other nodes' addresses. */
  converge(peers: pulumi.Input<string[]>): void {
    const { env } = this.args;
    const labels = hcloudLabels(env, "peers");
    const peerRules = pulumi
      .output(peers)
      .apply((list) =>
        list.length
          ? cloudFirewallRules({ adminCidrs: env.adminCidrs, peers: list }).filter((r) =>
              r.description.startsWith("peer-"),
            )
          : [],
      );
    if (env.extraNodes.length > 0) {
      new hcloud.Firewall(
        `${this.name}-peer-firewall`,
        { rules: peerRules, labels, applyTos: [{ server: this.server.id.apply(Number) }] },
        { parent: this },
      );
    }
    // First command on a new server: pinned to the bootstrap key, it installs the pinned key.
    // Re-runs only when the server is replaced (a new server boots with the bootstrap key).
    const delivery = new command.remote.Command(
      `${this.name}-host-key`,
      {
        connection: { ...this.connection, hostKey: this.bootstrapPublicKey },
        create: this.hostPublicKey.apply((k) => hostKeyDeliveryScript(k)),
        stdin: this.hostPrivateKey,
        triggers: [this.server.id],
        logging: "stderr",
      },
      { parent: this, dependsOn: [this.server], additionalSecretOutputs: ["stdin"] },
    );
    this.ready = converge(
      this.name,
      {
        connection: this.connection,
        adminCidrs: env.adminCidrs,
        adminSshKeys: env.adminSshKeys,
        peers,
        after: [delivery],
      },
      this,
    );
    this.registerOutputs({ ipv4: this.ipv4, ipv6: this.ipv6, hostPublicKey: this.hostPublicKey });
  }
}
