/**
 * The connection to one service's API, as a Pulumi provider resource (`pulumi-nodejs`, the
 * dynamic-provider plugin) whose configuration is the credential. Dynamic resources are
 * registered with it (`{ provider: api }`); the engine stores the configuration once, with the
 * provider, and hands it to every operation of those resources. A changed credential updates
 * this provider only: the dynamic-provider host has no DiffConfig, which the engine reads as
 * "update, never replace" (sdk/v3@v3.276.0 go/common/resource/plugin/provider_plugin.go
 * DiffConfig, Unimplemented), so no object behind it changes.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONNECTION_KEY, SERVICE_KEY } from "./connection";

/** The services the providers talk to, each with its own credential. */
export type ServiceName = "authentik" | "ocis" | "stalwart" | "stalwart-admin" | "s3" | "robot";

export interface ApiConnectionArgs<C> {
  service: ServiceName;
  /** The credential and where to use it; stored as a secret. */
  connection: pulumi.Input<C>;
}

export class ApiConnection<C = unknown> extends pulumi.ProviderResource {
  readonly service: ServiceName;

  constructor(name: string, args: ApiConnectionArgs<C>, opts?: pulumi.ResourceOptions) {
    super(
      "pulumi-nodejs",
      name,
      { [SERVICE_KEY]: args.service, [CONNECTION_KEY]: pulumi.secret(args.connection) },
      { ...opts, additionalSecretOutputs: [CONNECTION_KEY] } as pulumi.ResourceOptions,
    );
    this.service = args.service;
  }
}
