/**
 * Errors from dynamic providers say which tenant, which object, which API call and what to do.
 * `explainStatus` turns an HTTP status into the operator's next step.
 */

export interface ErrorContext {
  /** Service name, e.g. "Authentik". */
  service: string;
  /** Tenant slug, when the object belongs to a tenant. */
  tenant?: string;
  /** What the object is, e.g. `group "dezky-acme"`. */
  object: string;
  /** The call, e.g. "POST /api/v3/core/groups/". */
  call: string;
  /** Stack config key holding the credential, named on 401/403. */
  credentialKey?: string;
}

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    // Set again: under Pulumi's closure serialization `super(message)` becomes
    // `Error.call(this, message)`, which leaves `this.message` empty.
    this.message = message;
    this.name = "ProviderError";
  }
}

/** The operator's next step for a status code. */
export function explainStatus(status: number, ctx: ErrorContext, detail?: string): string {
  if (status === 401 || status === 403) {
    const key = ctx.credentialKey ? ` (stack config key ${ctx.credentialKey})` : "";
    return `the credential was rejected; check the ${ctx.service} API token${key} and its permissions`;
  }
  if (status === 400 || status === 422) {
    return `the server rejected the request${detail ? `: ${detail}` : ""}; fix the named field in the tenant file or environment`;
  }
  if (status === 404) return "the object does not exist (or is not visible to this credential)";
  if (status === 409) return "the object conflicts with an existing one; see the detail";
  if (status >= 500) return `${ctx.service} failed on its side; retry later and check its logs`;
  return detail ?? `unexpected HTTP ${status}`;
}

/** Builds the standard error for a failed call. */
export function providerError(
  ctx: ErrorContext,
  status: number | undefined,
  detail?: string,
): ProviderError {
  const who = ctx.tenant ? `tenant "${ctx.tenant}": ` : "";
  const head = `${ctx.service}: ${who}${ctx.object}: ${ctx.call}`;
  const tail =
    status === undefined
      ? (detail ?? "failed")
      : `HTTP ${status}: ${explainStatus(status, ctx, detail)}`;
  return new ProviderError(`${head} ${tail}`, status);
}
