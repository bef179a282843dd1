/** Assertions the steps share, with messages that print what the engine actually did. */
import { expect } from "vitest";
import { type Step, describe as describeSteps, nameOf } from "../harness/events";
import { tenantResourceName } from "../harness/expected";
import type { EngineWorld } from "../harness/world";

/** "op name" per step, sorted. */
export const opsOf = (steps: Step[]) => steps.map((s) => `${s.op} ${nameOf(s.urn)}`).sort();

/** `op` on each of a tenant's resources named by role, e.g. ops("update", "acme", "identity-app"). */
export const ops = (op: string, slug: string, ...roles: string[]) =>
  roles.map((r) => `${op} ${tenantResourceName(slug)}-${r}`);

/**
 * The steps equal `expected` exactly. The message names what is missing and what is extra,
 * with the engine's reasons (e.g. `secret:connection`), so one bug does not hide another.
 * `soft`: record the failure and go on, so a step with several phases completes them all
 * and leaves the stack as the next step expects.
 */
export function expectSteps(
  steps: Step[],
  expected: string[],
  what: string,
  options: { soft?: boolean } = {},
): void {
  const actual = opsOf(steps);
  const missing = expected.filter((e) => !actual.includes(e)).sort();
  const extra = steps.filter((s) => !expected.includes(`${s.op} ${nameOf(s.urn)}`));
  const message = [
    what,
    missing.length ? `missing steps:\n  ${missing.join("\n  ")}` : "no expected step is missing",
    extra.length ? `unexpected steps:\n  ${describeSteps(extra).join("\n  ")}` : "",
  ].join("\n");
  (options.soft ? expect.soft : expect)(actual, message).toEqual([...expected].sort());
}

/** No simulator saw a write request since the last reset. */
export function expectNoWrites(world: EngineWorld, what: string): void {
  expect(world.apis.writes(), `${what}: write requests seen by the simulators`).toEqual({
    authentik: [],
    ocis: [],
    stalwart: [],
    dns: [],
  });
}
