/**
 * Every dynamic resource type of the package, by its token `<module>:<Type>`, and the provider
 * instance the dynamic-provider host gets for it (through host.js and core/stub.ts). Types are
 * loaded on first use, so a process that serves OCIS objects never loads the Authentik client.
 */
import { TypeRuntime, type Props, type TypeSpec } from "./core/contract";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec = TypeSpec<any, any, any>;

const TYPES: Record<string, () => AnySpec> = {
  "readiness:ApiReadiness": () => require("./readiness/readiness.runtime").readinessType,
  "authentik:Group": () => require("./authentik/group.runtime").authentikGroupType,
  "authentik:OAuth2Provider": () =>
    require("./authentik/oauth2-provider.runtime").oauth2ProviderType,
  "authentik:Application": () => require("./authentik/application.runtime").applicationType,
  "ocis:Group": () => require("./ocis/group.runtime").ocisGroupType,
  "ocis:Space": () => require("./ocis/space.runtime").spaceType,
  "ocis:SpaceMember": () => require("./ocis/space-member.runtime").spaceMemberType,
  "stalwart:MailDomain": () => require("./stalwart/mail-domain.runtime").mailDomainType,
  "stalwart:MailDomainRecords": () => require("./stalwart/mail-records.runtime").mailRecordsType,
  "stalwart:ServerSettings": () => require("./stalwart/server-settings.runtime").serverSettingsType,
  "stalwart:ServiceAccount": () => require("./stalwart/service-account.runtime").serviceAccountType,
  "s3:Bucket": () => require("./s3/bucket.runtime").bucketType,
  "robot:Firewall": () => require("./robot/firewall.runtime").firewallType,
  "robot:Rdns": () => require("./robot/rdns.runtime").rdnsType,
};

/** Every type token, e.g. for the contract suite. */
export const RESOURCE_TYPES = Object.keys(TYPES);

/** The spec of a type. */
export function specOf(type: string): AnySpec {
  const load = TYPES[type];
  if (!load) {
    throw new Error(
      `@dezky/providers has no resource type "${type}" (known: ${RESOURCE_TYPES.join(", ")}); ` +
        "the state names a type this version does not provide",
    );
  }
  return load();
}

/** A new provider instance for a type: one per process (one run), its cache with it. */
export function runtimeFor(type: string): TypeRuntime<Props, Props, unknown> {
  return new TypeRuntime(specOf(type));
}
