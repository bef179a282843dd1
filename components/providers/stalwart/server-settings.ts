/**
 * The server-wide settings of a cell's Stalwart 0.16: default domain, certificate, system
 * settings and listeners, applied with the recovery admin.
 * Type: `pulumi-nodejs:dynamic/stalwart:ServerSettings`.
 */
import * as pulumi from "@pulumi/pulumi";
import { serverSettingsProvider } from "./server-settings-provider";
import type { StalwartConnection, StalwartTimeouts } from "./jmap";
import type { CertificatePaths } from "./server-api";
import type { ListenerSpec, ServiceSpec } from "./server-plan";

export interface ServerSettingsArgs {
  /** The recovery admin connection `{ url, username, password }`. Pass it as a secret. */
  connection: pulumi.Input<StalwartConnection>;
  hostname: string;
  defaultDomain: string;
  certificate: CertificatePaths;
  listeners: ListenerSpec[];
  services: Record<string, ServiceSpec>;
  adopt?: boolean;
  timeouts?: StalwartTimeouts;
}

export class ServerSettings extends pulumi.dynamic.Resource {
  declare readonly defaultDomainId: pulumi.Output<string>;
  declare readonly certificateId: pulumi.Output<string>;
  /** Changes whenever the listener set changed: the host restart is keyed on it. */
  declare readonly listenersChangedAt: pulumi.Output<string>;
  declare readonly connection: pulumi.Output<StalwartConnection>;

  constructor(name: string, args: ServerSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serverSettingsProvider,
      name,
      {
        ...args,
        defaultDomainId: undefined,
        certificateId: undefined,
        listenersChangedAt: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "stalwart",
      "ServerSettings",
    );
  }
}
