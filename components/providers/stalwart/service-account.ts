/**
 * A least-privilege Stalwart 0.16 account (role + user) created by the recovery admin; the
 * tenant mail providers call Stalwart as this account.
 * Type: `pulumi-nodejs:dynamic/stalwart:ServiceAccount`.
 */
import * as pulumi from "@pulumi/pulumi";
import { serviceAccountProvider } from "./service-account-provider";
import type { StalwartConnection, StalwartTimeouts } from "./jmap";

export interface ServiceAccountArgs {
  /** The recovery admin connection. Pass it as a secret. */
  connection: pulumi.Input<StalwartConnection>;
  name: string;
  domain: string;
  domainId: pulumi.Input<string>;
  purpose: string;
  permissions: readonly string[];
  /** A generated secret (e.g. random.RandomPassword). */
  password: pulumi.Input<string>;
  /** Methods the account must be allowed to call (checked right after create). */
  verify?: string[];
  adopt?: boolean;
  timeouts?: StalwartTimeouts;
}

export class ServiceAccount extends pulumi.dynamic.Resource {
  declare readonly accountId: pulumi.Output<string>;
  declare readonly roleId: pulumi.Output<string>;
  /** `name@domain`. */
  declare readonly login: pulumi.Output<string>;
  declare readonly password: pulumi.Output<string>;

  constructor(name: string, args: ServiceAccountArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serviceAccountProvider,
      name,
      {
        ...args,
        permissions: [...args.permissions],
        accountId: undefined,
        roleId: undefined,
        login: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [
          ...(opts?.additionalSecretOutputs ?? []),
          "connection",
          "password",
        ],
      },
      "stalwart",
      "ServiceAccount",
    );
  }
}
