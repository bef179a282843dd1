/**
 * A tenant's Authentik application (launcher branding) together with its access binding to
 * the tenant group; see application.runtime.ts for why they are one resource.
 * Type: `pulumi-nodejs:dynamic/authentik:Application`; id = the application slug.
 */
import type * as pulumi from "@pulumi/pulumi";
import { DezkyResource, type DezkyResourceOptions } from "../core/resource";

export interface ApplicationArgs {
  /** Tenant slug; the application slug is `dezky-<tenant>` (a change replaces it). */
  tenant: string;
  /** Display name from the tenant's branding. */
  name: string;
  /** The tenant's OAuth2 provider pk: `OAuth2Provider.id` (known during a preview). */
  provider: pulumi.Input<number | string>;
  /** The tenant group's UUID: `Group.id`. The only group that may see and use the app. */
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
}

export class Application extends DezkyResource {
  declare readonly slug: pulumi.Output<string>;
  /** The application's pk (= pbm_uuid, the policy binding target). */
  declare readonly applicationId: pulumi.Output<string>;
  /** The tenant group binding's UUID. */
  declare readonly bindingId: pulumi.Output<string>;

  constructor(name: string, args: ApplicationArgs, opts: DezkyResourceOptions) {
    super(
      "authentik:Application",
      "authentik",
      name,
      {
        ...args,
        slug: undefined,
        applicationId: undefined,
        bindingId: undefined,
        observed: undefined,
        binding: undefined,
      },
      opts,
    );
  }
}
