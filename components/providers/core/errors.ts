/**
 * One error shape for every provider: which service, which tenant, which object, which call,
 * what happened and what to do next. `ProviderError` carries the HTTP status (when there was
 * one) so callers can tell "gone" from "denied" without parsing text.
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
  /** The credential an operator checks on 401/403, in words (where it comes from). */
  credential?: string;
}

export class ProviderError extends Error {
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.name = "ProviderError";
    this.status = status;
  }
}

/** The operator's next step for a status code. */
export function explainStatus(status: number, ctx: ErrorContext, detail?: string): string {
  if (status === 401 || status === 403) {
    const which = ctx.credential ? ` (${ctx.credential})` : "";
    return `the credential was rejected; check the ${ctx.service} credential${which} and its permissions`;
  }
  if (status === 400 || status === 422) {
    return `the server rejected the request${detail ? `: ${detail}` : ""}; fix the named field in the tenant file or environment`;
  }
  if (status === 404) return "the object does not exist (or is not visible to this credential)";
  if (status === 409) return "the object conflicts with an existing one; see the detail";
  if (status === 429)
    return `${ctx.service} kept limiting the request rate; run pulumi up again later`;
  if (status >= 500) return `${ctx.service} failed on its side; retry later and check its logs`;
  return detail ?? `unexpected HTTP ${status}`;
}

/** The head every message starts with: `<service>: tenant "<slug>": <object>: <call>`. */
export function errorHead(ctx: ErrorContext): string {
  const who = ctx.tenant ? `tenant "${ctx.tenant}": ` : "";
  return `${ctx.service}: ${who}${ctx.object}: ${ctx.call}`;
}

/** The standard error for a failed call (status undefined: no HTTP answer, `detail` says why). */
export function providerError(
  ctx: ErrorContext,
  status: number | undefined,
  detail?: string,
): ProviderError {
  const tail =
    status === undefined
      ? (detail ?? "failed")
      : `HTTP ${status}: ${explainStatus(status, ctx, detail)}`;
  return new ProviderError(`${errorHead(ctx)} ${tail}`, status);
}

/** An error about an object, not a call: `<service>: tenant "<slug>": <object> <what>. <next>` */
export function objectError(
  ctx: Omit<ErrorContext, "call">,
  what: string,
  next: string,
  status?: number,
): ProviderError {
  const who = ctx.tenant ? `tenant "${ctx.tenant}": ` : "";
  return new ProviderError(`${ctx.service}: ${who}${ctx.object} ${what}; ${next}`, status);
}

/** A failure in words, whatever was thrown (network errors carry their code in `cause`). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** The HTTP status of a ProviderError (or anything that carries one). */
export function statusOf(error: unknown): number | undefined {
  return (error as { status?: number } | undefined)?.status;
}
