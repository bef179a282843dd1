/**
 * Shared set-up for the Stalwart provider tests: a simulator, a connection and fast timeouts.
 * (Test-only; not exported from index.ts.)
 */
import {
  mailDomainProvider,
  type MailDomainInputs,
  type MailDomainOutputs,
} from "./mail-domain-provider";

/** Timeouts small enough that fault tests finish quickly. */
export const FAST = { requestMs: 400, deadlineMs: 8000, pollIntervalMs: 50 };

export const provider = mailDomainProvider as Required<typeof mailDomainProvider>;

export async function checked(raw: Record<string, unknown>): Promise<MailDomainInputs> {
  const { inputs, failures } = await provider.check({}, raw);
  if (failures?.length) throw new Error(JSON.stringify(failures));
  return inputs as MailDomainInputs;
}

export async function createDomain(
  raw: Record<string, unknown>,
): Promise<{ id: string; outs: MailDomainOutputs }> {
  const result = await provider.create(await checked(raw));
  return { id: result.id, outs: result.outs as MailDomainOutputs };
}
