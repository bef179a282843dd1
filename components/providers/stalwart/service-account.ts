/**
 * A least-privilege Stalwart 0.16 account (role + user) created by the recovery admin (the
 * `stalwart-admin` connection); the tenant mail providers call Stalwart as this account.
 * Type: `pulumi-nodejs:dynamic/stalwart:ServiceAccount`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";

export interface ServiceAccountArgs {
  name: string;
  /** The domain the account lives on (its id is looked up by name). */
  domain: string;
  purpose: string;
  permissions: readonly string[];
  /** A generated secret (e.g. random.RandomPassword). */
  password: pulumi.Input<string>;
  /** Methods the account must be allowed to call (checked right after create). */
  verify?: string[];
  adopt?: boolean;
}

export class ServiceAccount extends DezkyResource {
  declare readonly accountId: pulumi.Output<string>;
  declare readonly roleId: pulumi.Output<string>;
  declare readonly domainId: pulumi.Output<string>;
  /** `name@domain`. */
  declare readonly login: pulumi.Output<string>;
  declare readonly password: pulumi.Output<string>;

  constructor(name: string, args: ServiceAccountArgs, opts: DezkyResourceOptions) {
    super(
      "stalwart:ServiceAccount",
      "stalwart-admin",
      name,
      {
        ...args,
        permissions: [...args.permissions],
        accountId: undefined,
        roleId: undefined,
        domainId: undefined,
        login: undefined,
      },
      opts,
      ["password"],
    );
  }
}
