/** A gate that is created only once an API answers; tenant resources depend on it. */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";
import type { ProbeSpec } from "./probe";

export interface ApiReadinessArgs {
  /** Service name for messages ("Authentik", "OCIS", "Stalwart"). */
  service: string;
  /** Health URL polled from the machine running Pulumi. */
  url: pulumi.Input<string>;
  /** Status codes meaning "ready". @default [200] */
  acceptStatus?: number[];
  /** Probe with a bearer minted from the gate's (OCIS) connection. */
  authenticate?: boolean;
  /** OCIS: the system role the minted identity must hold; a wrong role fails the deploy. */
  requireRole?: ProbeSpec["requireRole"];
  /** Re-check when this changes (e.g. the deployed version). */
  trigger?: pulumi.Input<string>;
}

export class ApiReadiness extends DezkyResource {
  declare readonly status: pulumi.Output<number>;
  declare readonly attempts: pulumi.Output<number>;

  /** `opts.provider`: the service's ApiConnection (the OCIS one when `authenticate`). */
  constructor(name: string, args: ApiReadinessArgs, opts: DezkyResourceOptions) {
    super(
      "readiness:ApiReadiness",
      ["authentik", "ocis", "stalwart", "stalwart-admin", "s3", "robot"],
      name,
      { acceptStatus: [200], ...args, status: undefined, attempts: undefined },
      opts,
    );
    if (args.authenticate && opts.provider.service !== "ocis") {
      throw new Error(`ApiReadiness "${name}": authenticate needs the ocis connection`);
    }
  }
}
