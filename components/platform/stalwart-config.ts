/**
 * Stalwart made ready for tenants through its API, after the install and before any tenant
 * mail domain: the server settings (default domain, the TLS certificate as an x:Certificate
 * reading the synced files, hostname, advertised services, the listener set), a host restart
 * whenever the listener set changed (0.16 binds listeners only at start), and the tenant
 * provisioning account: a role with exactly the permissions the tenant mail providers call,
 * and a generated password. The recovery admin is used only here.
 */
import * as command from "@pulumi/command";
import type * as inputs from "@pulumi/command/types/input";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ServerSettings, ServiceAccount, TENANT_MAIL_PERMISSIONS } from "../providers/stalwart";
import { stalwartRestartScript } from "./stalwart-install";
import {
  STALWART_LISTENERS,
  STALWART_PROVISIONER,
  STALWART_SERVICES,
  STALWART_TLS_DIR,
  stalwartHostname,
} from "./stalwart-render";
import type { StalwartConnectionValue } from "./stalwart";

export interface StalwartConfigArgs {
  /** The recovery admin (secret). */
  adminConnection: pulumi.Input<StalwartConnectionValue>;
  /** SSH to the host, for the restart after a listener change. */
  sshConnection: pulumi.Input<inputs.remote.ConnectionArgs>;
  /** https://mail.<domain>. */
  url: string;
  domain: string;
  /** The readiness gate and the first certificate copy. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

export class StalwartConfig extends pulumi.ComponentResource {
  readonly settings: ServerSettings;
  readonly restart: command.remote.Command;
  readonly provisioner: ServiceAccount;
  /** What the tenant mail providers call Stalwart with (secret). */
  readonly tenantConnection: pulumi.Output<StalwartConnectionValue>;

  constructor(name: string, args: StalwartConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:StalwartConfig", name, {}, opts);
    this.settings = new ServerSettings(
      `${name}-settings`,
      {
        connection: args.adminConnection,
        hostname: stalwartHostname(args.domain),
        defaultDomain: args.domain,
        certificate: {
          certificatePath: `${STALWART_TLS_DIR}/tls.crt`,
          privateKeyPath: `${STALWART_TLS_DIR}/tls.key`,
        },
        listeners: STALWART_LISTENERS,
        services: STALWART_SERVICES,
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.restart = new command.remote.Command(
      `${name}-restart`,
      {
        connection: args.sshConnection,
        create: stalwartRestartScript(),
        triggers: [this.settings.listenersChangedAt],
      },
      { parent: this, dependsOn: [this.settings] },
    );
    const password = new random.RandomPassword(
      `${name}-provisioner-password`,
      { length: 40, special: false },
      { parent: this },
    );
    this.provisioner = new ServiceAccount(
      `${name}-provisioner`,
      {
        connection: args.adminConnection,
        name: STALWART_PROVISIONER,
        domain: args.domain,
        domainId: this.settings.defaultDomainId,
        purpose: "Dezky tenant mail provisioning (Pulumi)",
        permissions: TENANT_MAIL_PERMISSIONS,
        password: pulumi.secret(password.result),
        verify: ["x:Domain/get", "x:Domain/query", "x:DkimSignature/get", "x:DkimSignature/query"],
      },
      // Tenants start after the restart, so their calls never meet it.
      { parent: this, dependsOn: [this.restart] },
    );
    this.tenantConnection = pulumi.secret(
      pulumi
        .all([this.provisioner.login, password.result])
        .apply(([login, secret]) => ({ url: args.url, username: login, password: secret })),
    );
    this.registerOutputs({});
  }
}
