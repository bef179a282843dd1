/**
 * The base of every dynamic resource class: the stub as its provider code (core/stub.ts), the
 * `pulumi-nodejs:dynamic/<module>:<Type>` token, the API connection it must be registered
 * with, and its secret outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ApiConnection, ServiceName } from "./api-connection";
import { stub } from "./stub";

export interface DezkyResourceOptions extends pulumi.CustomResourceOptions {
  /** The connection of the service this resource lives in. */
  provider: ApiConnection;
}

export abstract class DezkyResource extends pulumi.dynamic.Resource {
  protected constructor(
    type: `${string}:${string}`,
    service: ServiceName | ServiceName[],
    name: string,
    props: Record<string, unknown>,
    opts: DezkyResourceOptions,
    secretOutputs: string[] = [],
  ) {
    const allowed = Array.isArray(service) ? service : [service];
    if (!allowed.includes(opts.provider.service)) {
      throw new Error(
        `${type} "${name}": registered with the ${opts.provider.service} connection; it needs ${allowed.join(" or ")}`,
      );
    }
    const [module, kind] = type.split(":");
    super(
      stub(type),
      name,
      props,
      {
        ...opts,
        additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secretOutputs],
      },
      module,
      kind,
    );
  }
}
