/**
 * State written by the version before this package still reads (issue 19, point 4): real
 * outputs from main's engine suite (state-main-8eff566.json), each type's. The first deploy
 * after the upgrade updates every object once, in place, and replaces nothing; the program's
 * inputs for the same objects pass check; the migrated outputs carry no connection, timing or
 * minted token, and nothing makes the next diff ask for more.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { LEGACY_KEYS } from "../core/contract";
import { SPECS, providerFor } from "../test-kit";

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Stored {
  type: string;
  name: string;
  id: string;
  inputs: Record<string, any>;
  outputs: Record<string, any>;
}
const { resources } = JSON.parse(
  fs.readFileSync(path.join(__dirname, "state-main-8eff566.json"), "utf8"),
) as { resources: Stored[] };

/** A secret placeholder back to a plausible value (the host hands secrets unwrapped). */
function reveal(value: any): any {
  if (Array.isArray(value)) return value.map(reveal);
  if (!value || typeof value !== "object") return value;
  if (value.__secret === "connection") return { url: "http://127.0.0.1:9", token: "expired" };
  if (value.__secret) return `secret-${value.__secret}`;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
}

/** What the current program passes for the same object (components/ as they are now). */
function currentInputs(r: Stored): Record<string, any> {
  const inputs = { ...reveal(r.inputs) };
  for (const key of ["__provider", "connection", "deadlineSeconds", "intervalSeconds"]) {
    delete inputs[key];
  }
  const { credentials, ...rest } = inputs;
  return credentials ? { ...rest, authenticate: true } : rest;
}

const typeOf = (r: Stored) => r.type.replace("pulumi-nodejs:dynamic/", "");

describe("state written by main (8eff566) under the installed package", () => {
  it("has a stored object of every type the tenant layer and its gates use", () => {
    expect([...new Set(resources.map(typeOf))].sort()).toEqual([
      "authentik:Application",
      "authentik:Group",
      "authentik:OAuth2Provider",
      "ocis:Group",
      "ocis:Space",
      "ocis:SpaceMember",
      "readiness:ApiReadiness",
      "stalwart:MailDomain",
    ]);
  });

  for (const r of resources) {
    it(`${typeOf(r)} (${r.name}): updated once in place, never replaced`, async () => {
      const ops = providerFor(typeOf(r), { url: "http://127.0.0.1:9", token: "t" });
      const olds = reveal(r.outputs);
      const checked = await ops.check(reveal(r.inputs), currentInputs(r));
      expect(checked.failures).toEqual([]);
      const diff = await ops.diff(r.id, olds, checked.inputs);
      expect(diff).toMatchObject({ changes: true, replaces: [] });
      // What the update will store has none of the older keys; from then on, no diff for them.
      const spec = SPECS[typeOf(r)];
      const dropped = [...LEGACY_KEYS, ...(spec.legacy ?? [])];
      const migrated = Object.fromEntries(
        Object.entries(olds).filter(([k]) => !dropped.includes(k) && k !== "__provider"),
      );
      for (const key of Object.keys(migrated)) expect(dropped).not.toContain(key);
      expect(
        (await ops.diff(r.id, { ...migrated, ...checked.inputs }, checked.inputs)).replaces,
      ).toEqual([]);
    });
  }
});
