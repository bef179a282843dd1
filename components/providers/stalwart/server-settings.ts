/**
 * The server-wide settings of a cell's Stalwart 0.16: default domain, certificate, system
 * settings and listeners, applied with the recovery admin (the `stalwart-admin` connection).
 * Type: `pulumi-nodejs:dynamic/stalwart:ServerSettings`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";
import type { CertificatePaths } from "./server-api";
import type { ListenerSpec, ServiceSpec } from "./server-plan";

export interface ServerSettingsArgs {
  hostname: string;
  defaultDomain: string;
  certificate: CertificatePaths;
  listeners: ListenerSpec[];
  services: Record<string, ServiceSpec>;
  adopt?: boolean;
}

export class ServerSettings extends DezkyResource {
  declare readonly defaultDomainId: pulumi.Output<string>;
  declare readonly certificateId: pulumi.Output<string>;
  /** Changes whenever the listener set changed on the server. */
  declare readonly listenersChangedAt: pulumi.Output<string>;

  constructor(name: string, args: ServerSettingsArgs, opts: DezkyResourceOptions) {
    super(
      "stalwart:ServerSettings",
      "stalwart-admin",
      name,
      {
        ...args,
        defaultDomainId: undefined,
        certificateId: undefined,
        listenersChangedAt: undefined,
      },
      opts,
    );
  }
}
