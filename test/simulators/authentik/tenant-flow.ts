/**
 * Drives the three Authentik providers the way the engine does for one tenant (group, then
 * OAuth2 provider, then application bound to the group), in-process, for the provider tests.
 */
import {
  applicationProvider,
  type ApplicationInputs,
  type ApplicationOutputs,
} from "../../../components/providers/authentik/application-provider";
import {
  groupProvider,
  type GroupInputs,
  type GroupOutputs,
} from "../../../components/providers/authentik/group-provider";
import {
  oauth2ProviderProvider,
  type OAuth2ProviderInputs,
  type OAuth2ProviderOutputs,
} from "../../../components/providers/authentik/oauth2-provider-provider";
import type { HttpTuning } from "../../../components/providers/authentik/session";
import { FAST_HTTP, TOKEN } from "./harness";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Ops = Required<
  Pick<
    import("@pulumi/pulumi").dynamic.ResourceProvider,
    "create" | "read" | "update" | "delete" | "diff" | "check"
  >
>;
export const groups = groupProvider as Ops;
export const oauth2 = oauth2ProviderProvider as Ops;
export const apps = applicationProvider as Ops;

export function connection(url: string, token = TOKEN) {
  return { url, token };
}

export function groupInputs(
  url: string,
  tenant: string,
  extra: Partial<GroupInputs> = {},
): GroupInputs {
  return { connection: connection(url), tenant, http: FAST_HTTP, ...extra };
}

export function providerInputs(
  url: string,
  tenant: string,
  extra: Partial<OAuth2ProviderInputs> = {},
): OAuth2ProviderInputs {
  return {
    connection: connection(url),
    tenant,
    redirectUris: [
      `https://${tenant}.dezky.test/oauth/callback`,
      `https://${tenant}.dezky.test/files/oidc-callback.html`,
    ],
    logoutRedirectUris: [`https://${tenant}.dezky.test/`],
    http: FAST_HTTP,
    ...extra,
  };
}

export function appInputs(
  url: string,
  tenant: string,
  provider: number,
  accessGroup: string,
  extra: Partial<ApplicationInputs> = {},
): ApplicationInputs {
  return {
    connection: connection(url),
    tenant,
    name: `${tenant} Workspace`,
    provider,
    accessGroup,
    launchUrl: `https://${tenant}.dezky.test/`,
    icon: `https://cdn.dezky.test/icons/${tenant}.svg`,
    description: `${tenant}'s sovereign workspace`,
    publisher: "Dezky",
    policyEngineMode: "any",
    http: FAST_HTTP,
    ...extra,
  };
}

export interface DeployedTenant {
  group: { id: string; outs: GroupOutputs };
  provider: { id: string; outs: OAuth2ProviderOutputs };
  app: { id: string; outs: ApplicationOutputs };
}

export async function deployTenant(
  url: string,
  tenant: string,
  http: HttpTuning = FAST_HTTP,
): Promise<DeployedTenant> {
  const group = (await groups.create(groupInputs(url, tenant, { http }))) as any;
  const provider = (await oauth2.create(providerInputs(url, tenant, { http }))) as any;
  const app = (await apps.create(
    appInputs(url, tenant, provider.outs.providerId, group.outs.groupId, { http }),
  )) as any;
  return { group, provider, app };
}

/** Forget per-run lookups, as a new `pulumi up` process would. */
export function newRun(): void {
  (oauth2ProviderProvider as { lookups?: unknown }).lookups = undefined;
}
