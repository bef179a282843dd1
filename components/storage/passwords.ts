/**
 * Generated passwords for Storage Boxes and restic repositories. Hetzner's Storage Box
 * password policy (docs.hetzner.cloud/reference/hetzner#storage-boxes-password-policy): 12-128
 * characters with upper and lower case letters, digits and special characters from its allowed
 * set. The specials are the ones both sources at hand accept: the set terraform-provider-hcloud's
 * own tests create real boxes with (v1.68.0 internal/storagebox/testing.go:67-72, "!$%/()=?+#-.")
 * and the set quoted from the policy page ("!#$%*+-/=?@[]_{}"), minus what needs quoting in
 * shells or URLs. "_" and "." are each missing from one of the two, so neither is used.
 */
import * as random from "@pulumi/random";
import type * as pulumi from "@pulumi/pulumi";

export const STORAGE_BOX_SPECIALS = "-+!#%=";

/** RandomPassword args meeting the Storage Box policy (pure). */
export function storageBoxPasswordArgs(): random.RandomPasswordArgs {
  return {
    length: 32,
    upper: true,
    lower: true,
    numeric: true,
    special: true,
    minUpper: 2,
    minLower: 2,
    minNumeric: 2,
    minSpecial: 2,
    overrideSpecial: STORAGE_BOX_SPECIALS,
  };
}

/** Why a password breaks the Storage Box policy, or undefined (pure; used by tests). */
export function storageBoxPasswordProblem(password: string): string | undefined {
  if (password.length < 12 || password.length > 128) return "must be 12-128 characters";
  if (!/[A-Z]/.test(password) || !/[a-z]/.test(password)) return "needs upper and lower case";
  if (!/\d/.test(password)) return "needs a digit";
  const specials = [...password].filter((c) => !/[A-Za-z0-9]/.test(c));
  if (specials.length === 0) return "needs a special character";
  if (specials.some((c) => !STORAGE_BOX_SPECIALS.includes(c)))
    return "uses a special character outside the allowed set";
  return undefined;
}

/** A generated Storage Box password (secret). */
export function storageBoxPassword(
  name: string,
  opts: pulumi.CustomResourceOptions,
): random.RandomPassword {
  return new random.RandomPassword(name, storageBoxPasswordArgs(), opts);
}

/** A generated restic repository password (secret, long, no specials to avoid quoting). */
export function repositoryPassword(
  name: string,
  opts: pulumi.CustomResourceOptions,
): random.RandomPassword {
  return new random.RandomPassword(name, { length: 48, special: false }, opts);
}
