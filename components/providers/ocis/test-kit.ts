/**
 * Test helpers for the OCIS providers: calls through the provider objects the way the engine
 * does (check, then create/update/read/delete) with short retry timings.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RetryOptions } from "../http";
import { groupProvider } from "./group-provider";
import { spaceMemberProvider } from "./space-member-provider";
import { spaceProvider } from "./space-provider";

export const FAST_RETRY: RetryOptions = {
  baseDelayMs: 5,
  maxDelayMs: 2_000,
  timeoutMs: 1_500,
  deadlineMs: 15_000,
};

export function useFastRetry(): void {
  for (const provider of [groupProvider, spaceProvider, spaceMemberProvider]) {
    provider.retry = FAST_RETRY;
    provider.configToken = undefined;
  }
  spaceProvider.callers = undefined;
  spaceMemberProvider.callers = undefined;
}

type Provider = pulumi.dynamic.ResourceProvider;

/** check + create, failing on check failures. */
export async function create<T>(provider: Provider, inputs: T) {
  const checked = await provider.check!({}, inputs);
  if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
  return provider.create(checked.inputs);
}

/** check + diff + update, as the engine does for a changed resource. */
export async function update<T extends object>(
  provider: Provider,
  id: string,
  olds: T,
  news: object,
) {
  const checked = await provider.check!(olds, news);
  if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
  const diff = await provider.diff!(id, olds, checked.inputs);
  if (!diff.changes) return { outs: olds, diff };
  if (diff.replaces?.length) throw new Error(`unexpected replace of ${diff.replaces.join(", ")}`);
  const result = await provider.update!(id, olds, checked.inputs);
  return { outs: result.outs as T, diff };
}
