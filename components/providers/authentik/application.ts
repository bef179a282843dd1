/**
 * A tenant's Authentik application (launcher branding) together with its access binding to
 * the tenant group; see application-provider.ts for why they are one resource.
 * Type: `pulumi-nodejs:dynamic/authentik:Application`; id = the application slug.
 */
import * as pulumi from "@pulumi/pulumi";
import { applicationProvider } from "./application-provider";
import type { AuthentikConnection, HttpTuning } from "./session";

export interface ApplicationArgs {
  /** Authentik URL and API token (secret). */
  connection: pulumi.Input<AuthentikConnection>;
  /** Tenant slug; the application slug is `dezky-<tenant>` (a change replaces it). */
  tenant: string;
  /** Display name from the tenant's branding. */
  name: string;
  /** The tenant's OAuth2 provider pk (`OAuth2Provider.providerId`). */
  provider: pulumi.Input<number>;
  /** UUID of the tenant group (`Group.groupId`): the only group that may see and use the app. */
  accessGroup: pulumi.Input<string>;
  /** The tenant's portal URL (`meta_launch_url`). */
  launchUrl: string;
  /** `meta_icon`: uploaded file path, /static path, URL or `fa://` icon. */
  icon?: string;
  description?: string;
  publisher?: string;
  /** @default "any" */
  policyEngineMode?: "any" | "all";
  /** @default false */
  openInNewTab?: boolean;
  /** false = suspended: provider detached and tile hidden, binding kept. @default true */
  enabled?: boolean;
  /** Take over an existing application with the same slug (its other bindings are removed). */
  adopt?: boolean;
  /** HTTP timeouts (tests); production keeps the defaults. */
  http?: HttpTuning;
}

export class Application extends pulumi.dynamic.Resource {
  declare readonly slug: pulumi.Output<string>;
  /** The application's pk (= pbm_uuid, the policy binding target). */
  declare readonly applicationId: pulumi.Output<string>;
  /** The tenant group binding's UUID. */
  declare readonly bindingId: pulumi.Output<string>;

  constructor(name: string, args: ApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      applicationProvider,
      name,
      {
        ...args,
        slug: undefined,
        applicationId: undefined,
        bindingId: undefined,
        observed: undefined,
        binding: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"],
      },
      "authentik",
      "Application",
    );
  }
}
