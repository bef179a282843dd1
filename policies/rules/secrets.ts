/**
 * Secrets: a credential field (password, token, secretKey, clientSecret, privateKey, ...) never
 * holds plain text. How secretness is seen:
 * - offline (evaluatePolicies over the mock inventory) secret inputs arrive masked as "[secret]"
 *   and the inventory lists which top-level inputs were secret (opts.secretInputs);
 * - under `pulumi preview`, @pulumi/policy 1.21.0 unwraps secrets to plain values before
 *   validateResource (deserializeProperties(..., false)), so the rule relies on the declaration
 *   instead: the field is listed in additionalSecretOutputs (generated SDKs add their secret
 *   fields there; our dynamic resources list `connection` and their keys).
 * Values unknown during preview (generated passwords) cannot be plain text and are skipped.
 * Default providers (`pulumi:providers:<pkg>` named `default`, `default_<version>`) are not
 * judged: the engine makes them from the stack's configuration of their package (for
 * `pulumi-nodejs`, the dynamic-provider host, the whole stack configuration), stores secure
 * config values encrypted, and hands them to the analyzer unwrapped with no declaration that
 * could say which were secure, so every secure config key would read as plain text. Whether a
 * credential in the stack configuration is `secure:` is the configuration's own check; the
 * providers this program creates (ApiConnection) declare their secret inputs and are judged.
 */
import type { PolicyResourceOptions, ResourceValidationPolicy } from "@pulumi/policy";
import { isSecretValue, keys, read, UNKNOWN } from "./util";

/** Normalised key names (lower case, no _ or -) that hold credentials. */
const CREDENTIAL_SUFFIXES = [
  "password",
  "passwd",
  "passphrase",
  "token",
  "secret",
  "secretkey",
  "privatekey",
  "apikey",
  "clientsecret",
];
const NOT_CREDENTIALS =
  /^(existing|use|enable|generate|create)|(name|ref|file|path|url|ttl|length|type|id|enabled)$/;

export function isCredentialKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, "");
  if (NOT_CREDENTIALS.test(k)) return false;
  return CREDENTIAL_SUFFIXES.some((s) => k === s || k.endsWith(s));
}

/** Options as evaluatePolicies fills them: secretInputs is set only where secretness is known. */
export type SecretAwareOptions = PolicyResourceOptions & { secretInputs?: string[] };

/** Paths of credential fields that hold a plain, non-empty string. */
export function plainCredentialPaths(
  type: string,
  props: Record<string, unknown>,
  opts: SecretAwareOptions,
): string[] {
  const declared = (top: string) =>
    opts.secretInputs !== undefined
      ? opts.secretInputs.includes(top)
      : (opts.additionalSecretOutputs ?? []).includes(top);
  const found: string[] = [];
  const walk = (value: unknown, path: string[], credential: boolean) => {
    if (value === UNKNOWN || isSecretValue(value) || declared(path[0])) return;
    if (typeof value === "string") {
      if (credential && value !== "") found.push(path.join("."));
      return;
    }
    for (const k of keys(value)) {
      if (k === "__provider") continue;
      // A reference below a credential block (e.g. volumes[].secret.secretName) is a name, not a value.
      const reference = NOT_CREDENTIALS.test(k.toLowerCase().replace(/[_-]/g, ""));
      walk(read(value, k), [...path, k], isCredentialKey(k) || (credential && !reference));
    }
  };
  const k8sSecret = type === "kubernetes:core/v1:Secret";
  for (const top of keys(props)) {
    if (top === "__provider") continue;
    walk(
      read(props, top),
      [top],
      isCredentialKey(top) || (k8sSecret && (top === "data" || top === "stringData")),
    );
  }
  return found;
}

/** A provider the engine created from the stack configuration, not the program. */
export function isDefaultProvider(type: string, name: string): boolean {
  return (
    type.startsWith("pulumi:providers:") && (name === "default" || name.startsWith("default_"))
  );
}

export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: "no-plaintext-secrets",
  description:
    "Credential inputs (password, token, secretKey, clientSecret, privateKey, ...) are secrets, never plain text.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    if (isDefaultProvider(args.type, args.name)) return;
    for (const path of plainCredentialPaths(
      args.type,
      args.props,
      args.opts as SecretAwareOptions,
    )) {
      report(
        `${args.name}: ${path} is a credential in plain text; pass it as pulumi.secret(...) from encrypted config or a generated value.`,
      );
    }
  },
};
