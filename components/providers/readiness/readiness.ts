import * as pulumi from "@pulumi/pulumi";
import type { ClientCredentials, ProbeSpec } from "./probe";
import { readinessProvider } from "./readiness-provider";

export interface ApiReadinessArgs {
  /** Service name for messages ("Authentik", "OCIS", "Stalwart"). */
  service: string;
  /** Health URL polled from the machine running Pulumi. */
  url: pulumi.Input<string>;
  /** Status codes meaning "ready". @default [200] */
  acceptStatus?: number[];
  /** @default 900 (a first deploy pulls images and issues certificates) */
  deadlineSeconds?: number;
  /** @default 10 */
  intervalSeconds?: number;
  /** Mint a bearer with these (secret) credentials and probe with it. */
  credentials?: pulumi.Input<ClientCredentials>;
  /** OCIS: the system role the minted identity must hold; a wrong role fails the deploy. */
  requireRole?: ProbeSpec["requireRole"];
  /** Re-check when this changes (e.g. the deployed version). */
  trigger?: pulumi.Input<string>;
}

/** A gate that is created only once the API answers; tenant resources depend on it. */
export class ApiReadiness extends pulumi.dynamic.Resource {
  declare readonly status: pulumi.Output<number>;
  declare readonly attempts: pulumi.Output<number>;
  /** The bearer minted from `credentials` (secret); undefined without credentials. */
  declare readonly token: pulumi.Output<string | undefined>;

  constructor(name: string, args: ApiReadinessArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      readinessProvider,
      name,
      {
        service: args.service,
        url: args.url,
        acceptStatus: args.acceptStatus ?? [200],
        deadlineSeconds: args.deadlineSeconds ?? 900,
        intervalSeconds: args.intervalSeconds ?? 10,
        credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
        requireRole: args.requireRole,
        trigger: args.trigger,
        status: undefined,
        attempts: undefined,
        token: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "credentials", "token"],
      },
      "readiness",
      "ApiReadiness",
    );
  }
}
