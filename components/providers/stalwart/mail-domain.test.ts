/**
 * The MailDomain resource as the engine sees it: type token, secret outputs, and the
 * serialized provider run under plain Node (not vitest's transform) against the simulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import { runSerialized } from "../../../test/support/run-serialized";
import { MailDomain } from "./mail-domain";

const sim = new StalwartSimulator({ password: "sekrit-recovery-pw", dkimDelayMs: 100 });
let url = "";
const registered: Array<{ type: string; inputs: Record<string, unknown> }> = [];

beforeAll(async () => {
  url = await sim.start();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "dezky",
    "test",
    false,
  );
});
afterAll(() => sim.stop());

describe("MailDomain resource", () => {
  it("registers as pulumi-nodejs:dynamic/stalwart:MailDomain with the connection as a secret output", async () => {
    let secretOutputs: string[] | undefined;
    const res = new MailDomain(
      "acme-mail",
      {
        connection: pulumi.secret({ url, username: "admin", password: "sekrit-recovery-pw" }),
        tenant: "acme",
        domain: "acme.dezky.eu",
      },
      {
        additionalSecretOutputs: ["dnsZoneFile"],
        transformations: [
          (args) => {
            secretOutputs = (args.opts as pulumi.CustomResourceOptions).additionalSecretOutputs;
            return undefined;
          },
        ],
      },
    );
    await new Promise<void>((resolve) => res.urn.apply(() => resolve()));
    await new Promise((r) => setTimeout(r, 50));
    expect(registered.map((r) => r.type)).toContain("pulumi-nodejs:dynamic/stalwart:MailDomain");
    expect(secretOutputs).toEqual(["dnsZoneFile", "connection"]);
    expect(await pulumi.isSecret(res.connection)).toBe(true);
  });

  it("runs create, read and delete through the serialized provider under plain Node", async () => {
    const run = await runSerialized({
      module: "components/providers/stalwart/mail-domain.js",
      exportName: "MailDomain",
      name: "ser-mail",
      inputs: {
        connection: { url, username: "admin", password: "sekrit-recovery-pw" },
        tenant: "acme",
        domain: "Serialized.Dezky.EU",
        description: "serialized",
        timeouts: { requestMs: 2000, deadlineMs: 10000, pollIntervalMs: 50 },
      },
      steps: ["create", "read", "delete"],
    });
    // Nothing secret and nothing run-specific is captured in the provider code.
    expect(run.provider).not.toContain("sekrit-recovery-pw");
    expect(run.provider).not.toContain(url);
    expect(run.providerLength).toBeLessThan(200_000);
    const created = run.results.create as { id: string; outs: Record<string, unknown> };
    expect(created.outs.domain).toBe("serialized.dezky.eu");
    expect((created.outs.dkim as unknown[]).length).toBe(2);
    const read = run.results.read as { id: string; props: Record<string, unknown> };
    expect(read.id).toBe(created.id);
    expect(read.props.dnsZoneFile).toBe(created.outs.dnsZoneFile);
    expect(run.results.delete).toBe("ok");
    expect([...sim.registry.domains.values()].some((d) => d.name === "serialized.dezky.eu")).toBe(
      false,
    );
    expect(sim.methodCount("x:Domain/set")).toBe(3); // create, delete probe, delete with keys

    // The same serialized code also rotates keys (it requires node:crypto at run time).
    const requireFromString = require("require-from-string") as (code: string) => {
      handler: () => Record<string, (...args: unknown[]) => Promise<Record<string, unknown>>>;
    };
    const provider = requireFromString(run.provider).handler();
    const inputs = { ...(created.outs as Record<string, unknown>), domain: "rotate.dezky.eu" };
    const made = (await provider.create(inputs)) as { id: string; outs: Record<string, unknown> };
    const rotated = (await provider.update(made.id, made.outs, {
      ...inputs,
      dkimRotation: "2",
    })) as {
      outs: { dkim: Array<{ stage: string }> };
    };
    // New keys wait in `pending` (not signing) until their record is published; a rotation
    // asked for meanwhile is already satisfied by them.
    expect(rotated.outs.dkim.map((k) => k.stage).sort()).toEqual(["pending", "pending"]);
    expect((rotated.outs as { dkimRotationApplied?: string }).dkimRotationApplied).toBe("2");
    await provider.delete(made.id, rotated.outs);
    expect(sim.registry.signatures.size).toBe(0);
  });
});
