/**
 * An adopted Hetzner dedicated server (prod AX41-NVMe). Bought once in Robot and installed by
 * scripts/install-dedicated (never by `pulumi up`); its identity (IPs, Robot number, SSH host
 * key) is pinned in the environment. The program checks the identity over SSH with the pinned
 * host key, converges it, and sets reverse DNS and the Robot firewall through the webservice.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, HostSpec } from "../../stacks/schema";
import type { StackSecrets } from "../../stacks/secrets";
import { ApiConnection, robot } from "@dezky/providers";
import { converge } from "./convergence";
import { checkLocation } from "./firewall-policy";
import { robotFirewallRules } from "./firewall-render";
import { adoptionCheckScript, contentHash } from "./host-scripts";
import { type CellHost, hostAddressInNet } from "./types";

export const DEDICATED_HOST_TYPE = "dezky:host:DedicatedHost";

export interface DedicatedHostArgs {
  env: Environment;
  spec: Extract<HostSpec, { kind: "dedicated" }>;
  nodeName: string;
  mailHost: boolean;
  secrets: StackSecrets;
  /** Robot webservice URL (tests point it at the simulator). */
  robotUrl?: string;
}

export class DedicatedHost extends pulumi.ComponentResource implements CellHost {
  readonly kind = "dedicated" as const;
  readonly nodeName: string;
  readonly location;
  readonly ipv4: pulumi.Output<string>;
  readonly ipv6: pulumi.Output<string>;
  readonly connection: command.types.input.remote.ConnectionArgs;
  readonly adoption: command.remote.Command;
  ready: pulumi.Resource = this;
  private readonly name: string;
  private readonly args: DedicatedHostArgs;
  private readonly keep: pulumi.CustomResourceOptions;

  constructor(name: string, args: DedicatedHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DEDICATED_HOST_TYPE, name, {}, opts);
    const { env, spec } = args;
    this.name = name;
    this.args = args;
    this.nodeName = args.nodeName;
    this.location = checkLocation(spec.location);
    // Production: the adoption and the Robot settings are never deleted by removing code;
    // unprotecting is an explicit step (docs/runbooks/dedicated-install.md).
    this.keep = env.production ? { protect: true, retainOnDelete: true } : {};
    this.ipv4 = pulumi.output(spec.ipv4);
    this.ipv6 = pulumi.output(hostAddressInNet(spec.ipv6Net, 2));
    this.connection = {
      host: spec.ipv4,
      user: "root",
      privateKey: args.secrets.sshPrivateKey,
      hostKey: spec.sshHostKey,
    };
    const script = adoptionCheckScript({ ipv4: spec.ipv4 });
    this.adoption = new command.remote.Command(
      `${name}-adopt`,
      {
        connection: this.connection,
        create: script,
        triggers: [spec.robotServerNumber, spec.sshHostKey, contentHash(script)],
      },
      { parent: this, ...this.keep },
    );
    if (args.mailHost) {
      const api = this.robotApi();
      const ptr = `mail.${env.domain}`;
      new robot.RobotRdns(
        `${name}-rdns-v4`,
        { ip: spec.ipv4, ptr },
        { parent: this, ...this.keep, provider: api },
      );
      new robot.RobotRdns(
        `${name}-rdns-v6`,
        { ip: this.ipv6, ptr },
        { parent: this, ...this.keep, provider: api },
      );
    }
  }

  private api?: ApiConnection;

  /** The Robot webservice connection (one provider resource for the host's Robot objects). */
  private robotApi(): ApiConnection {
    if (this.api) return this.api;
    const { secrets } = this.args;
    if (!secrets.robotUser || !secrets.robotPassword) {
      throw new Error(
        "dedicated host: set dezky:robotUser and dezky:robotPassword (Robot webservice user)",
      );
    }
    this.api = new ApiConnection(
      `${this.name}-robot-api`,
      {
        service: "robot",
        connection: pulumi
          .all([secrets.robotUser, secrets.robotPassword])
          .apply(([user, password]) => ({
            url: this.args.robotUrl ?? robot.ROBOT_URL,
            user,
            password,
          })),
      },
      { parent: this },
    );
    return this.api;
  }

  /** Second phase, once every node of the cell exists. */
  converge(peers: pulumi.Input<string[]>): void {
    const { env, spec } = this.args;
    new robot.RobotFirewall(
      `${this.name}-robot-firewall`,
      {
        serverNumber: spec.robotServerNumber,
        rules: pulumi
          .output(peers)
          .apply((list) => robotFirewallRules({ adminCidrs: env.adminCidrs, peers: list })),
        // IPv6 is filtered too: nothing but replies and ICMPv6 (docs/ipv6.md).
        filterIpv6: true,
        whitelistHos: true,
      },
      { parent: this, ...this.keep, provider: this.robotApi() },
    );
    this.ready = converge(
      this.name,
      {
        connection: this.connection,
        adminCidrs: env.adminCidrs,
        adminSshKeys: env.adminSshKeys,
        peers,
        after: [this.adoption],
      },
      this,
    );
    this.registerOutputs({ ipv4: this.ipv4, ipv6: this.ipv6 });
  }
}
