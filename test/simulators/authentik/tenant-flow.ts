/**
 * Drives the three Authentik providers the way the engine does for one tenant (group, then
 * OAuth2 provider, then application bound to the group), in-process, for the provider tests.
 * Each `authentikOps` is one run of the provider host: configured with a connection (the
 * `authentik` ApiConnection's configuration), its own per-run lookup cache.
 */
import type { ApplicationInputs } from "../../../components/providers/authentik/application.runtime";
import type { GroupInputs } from "../../../components/providers/authentik/group.runtime";
import type { OAuth2ProviderInputs } from "../../../components/providers/authentik/oauth2-provider.runtime";
import { providerFor, useFastTiming, type Ops } from "../../../components/providers/test-kit";
import { TOKEN } from "./harness";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type { Ops };

useFastTiming();

export interface AuthentikOps {
  groups: Ops;
  oauth2: Ops;
  apps: Ops;
}

export function connection(url: string, token = TOKEN) {
  return { url, token };
}

/** One run against `url` as the token's identity (default: the tenant provisioner). */
export function authentikOps(url: string, token = TOKEN): AuthentikOps {
  const conn = connection(url, token);
  return {
    groups: providerFor("authentik:Group", conn),
    oauth2: providerFor("authentik:OAuth2Provider", conn),
    apps: providerFor("authentik:Application", conn),
  };
}

export function groupInputs(tenant: string, extra: Partial<GroupInputs> = {}): GroupInputs {
  return { tenant, ...extra };
}

export function providerInputs(
  tenant: string,
  extra: Partial<OAuth2ProviderInputs> = {},
): OAuth2ProviderInputs {
  return {
    tenant,
    redirectUris: [
      `https://${tenant}.dezky.test/oauth/callback`,
      `https://${tenant}.dezky.test/files/oidc-callback.html`,
    ],
    logoutRedirectUris: [`https://${tenant}.dezky.test/`],
    ...extra,
  };
}

export function appInputs(
  tenant: string,
  provider: number,
  accessGroup: string,
  extra: Partial<ApplicationInputs> = {},
): ApplicationInputs {
  return {
    tenant,
    name: `${tenant} Workspace`,
    provider,
    accessGroup,
    launchUrl: `https://${tenant}.dezky.test/`,
    icon: `https://cdn.dezky.test/icons/${tenant}.svg`,
    description: `${tenant}'s sovereign workspace`,
    publisher: "Dezky",
    policyEngineMode: "any",
    ...extra,
  };
}

export interface DeployedTenant {
  group: { id: string; outs: any };
  provider: { id: string; outs: any };
  app: { id: string; outs: any };
}

/** check + create, as the engine calls them. */
export async function createChecked(ops: Ops, inputs: object) {
  const { inputs: checked, failures } = await ops.check({}, inputs as Record<string, unknown>);
  if (failures.length) throw new Error(JSON.stringify(failures));
  return ops.create(checked as Record<string, unknown>) as Promise<{ id: string; outs: any }>;
}

export async function deployTenant(ak: AuthentikOps, tenant: string): Promise<DeployedTenant> {
  const group = await createChecked(ak.groups, groupInputs(tenant));
  const provider = await createChecked(ak.oauth2, providerInputs(tenant));
  const app = await createChecked(
    ak.apps,
    appInputs(tenant, provider.outs.providerId, group.outs.groupId),
  );
  return { group, provider, app };
}
