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
import { ApiConnection, stalwart } from "@dezky/providers";
import { stalwartRestartScript } from "./stalwart-install";
import {
  STALWART_LISTENERS,
  STALWART_PROVISIONER,
  STALWART_SERVICES,
  STALWART_TLS_DIR,
  stalwartHostname,
} from "./stalwart-render";

const { ServerSettings, ServiceAccount, TENANT_MAIL_PERMISSIONS } = stalwart;

export interface StalwartConfigArgs {
  /** The recovery admin's API connection. */
  adminApi: ApiConnection;
  /** SSH to the host, for the restart after a listener change. */
  sshConnection: pulumi.Input<inputs.remote.ConnectionArgs>;
  /** https://mail.<domain>. */
  url: string;
  domain: string;
  /** The readiness gate and the first certificate copy. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

export class StalwartConfig extends pulumi.ComponentResource {
  readonly settings: stalwart.ServerSettings;
  readonly restart: command.remote.Command;
  readonly provisioner: stalwart.ServiceAccount;
  /** What the tenant mail providers call Stalwart with: the provisioning account. */
  readonly tenantApi: ApiConnection;

  constructor(name: string, args: StalwartConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:StalwartConfig", name, {}, opts);
    this.settings = new ServerSettings(
      `${name}-settings`,
      {
        hostname: stalwartHostname(args.domain),
        defaultDomain: args.domain,
        certificate: {
          certificatePath: `${STALWART_TLS_DIR}/tls.crt`,
          privateKeyPath: `${STALWART_TLS_DIR}/tls.key`,
        },
        listeners: STALWART_LISTENERS,
        services: STALWART_SERVICES,
      },
      { parent: this, provider: args.adminApi, dependsOn: args.dependsOn },
    );
    this.restart = new command.remote.Command(
      `${name}-restart`,
      {
        connection: args.sshConnection,
        create: stalwartRestartScript(),
        // Keyed on the listener set the program asks for (known in a preview), not on an
        // output of the settings, which a preview of any settings update would hide.
        triggers: [JSON.stringify(STALWART_LISTENERS)],
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
        name: STALWART_PROVISIONER,
        domain: args.domain,
        purpose: "Dezky tenant mail provisioning (Pulumi)",
        permissions: TENANT_MAIL_PERMISSIONS,
        password: pulumi.secret(password.result),
        verify: ["x:Domain/get", "x:Domain/query", "x:DkimSignature/get", "x:DkimSignature/query"],
      },
      // Tenants start after the restart, so their calls never meet it.
      { parent: this, provider: args.adminApi, dependsOn: [this.settings, this.restart] },
    );
    // The login is known in the program (name@domain), so this connection never waits on an
    // output of the account; it exists after the account, as tenant mail must.
    this.tenantApi = new ApiConnection(
      `${name}-tenant-api`,
      {
        service: "stalwart",
        connection: password.result.apply((secret) => ({
          url: args.url,
          username: `${STALWART_PROVISIONER}@${args.domain}`,
          password: secret,
        })),
      },
      { parent: this, dependsOn: [this.provisioner] },
    );
    this.registerOutputs({});
  }
}
