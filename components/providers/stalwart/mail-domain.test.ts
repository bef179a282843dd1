/**
 * The MailDomain resource as the engine sees it: type token, no credential among its inputs,
 * and the stored stub run under plain Node (not vitest's transform) against the simulator,
 * configured with the `stalwart` connection as the host does.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import { runSerialized } from "../../../test/support/run-serialized";
import { ApiConnection } from "../core/api-connection";
import { MailDomain, MailDomainRecords } from "./mail-domain";

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
  it("registers as pulumi-nodejs:dynamic/stalwart:MailDomain, its records keyed on its id", async () => {
    const api = new ApiConnection("stalwart-api", {
      service: "stalwart",
      connection: { url, username: "admin", password: "sekrit-recovery-pw" },
    });
    const res = new MailDomain(
      "acme-mail",
      { tenant: "acme", domain: "acme.dezky.eu" },
      { provider: api },
    );
    new MailDomainRecords(
      "acme-mail-records",
      { tenant: "acme", domain: "acme.dezky.eu", domainId: res.id },
      { provider: api },
    );
    await new Promise<void>((resolve) => res.urn.apply(() => resolve()));
    for (let i = 0; i < 50 && registered.length < 3; i++)
      await new Promise((r) => setTimeout(r, 20));
    const types = registered.map((r) => r.type);
    expect(types).toContain("pulumi-nodejs:dynamic/stalwart:MailDomain");
    expect(types).toContain("pulumi-nodejs:dynamic/stalwart:MailDomainRecords");
    const domain = registered.find((r) => r.type.endsWith("stalwart:MailDomain"))!;
    expect(JSON.stringify(domain.inputs)).not.toContain("sekrit-recovery-pw");
    const records = registered.find((r) => r.type.endsWith("MailDomainRecords"))!;
    expect(records.inputs.domainId).toBe("acme-mail-id");
  });

  it("runs create, read, a rotation and delete through the stub under plain Node", async () => {
    const run = await runSerialized({
      module: "components/providers/stalwart/mail-domain.js",
      exportName: "MailDomain",
      name: "ser-mail",
      service: "stalwart",
      connection: { url, username: "admin", password: "sekrit-recovery-pw" },
      inputs: { tenant: "acme", domain: "Serialized.Dezky.EU", description: "serialized" },
      newInputs: {
        tenant: "acme",
        domain: "Serialized.Dezky.EU",
        description: "serialized",
        dkimRotation: "2",
      },
      steps: ["create", "read", "update", "delete"],
    });
    // Nothing secret and nothing run-specific is in the stored code.
    expect(run.provider).not.toContain("sekrit-recovery-pw");
    expect(run.provider).not.toContain(url);
    expect(run.providerLength).toBeLessThan(2048);
    const created = run.results.create as { id: string; outs: Record<string, unknown> };
    expect(created.outs.domain).toBe("serialized.dezky.eu");
    expect((created.outs.dkim as unknown[]).length).toBe(2);
    const read = run.results.read as { id: string; props: Record<string, unknown> };
    expect(read.id).toBe(created.id);
    // New keys wait in `pending` (not signing) until their record is published; a rotation
    // asked for meanwhile is already satisfied by them (node:crypto is loaded at run time).
    const updated = run.results.update as {
      outs: { dkim: { stage: string }[]; dkimRotationApplied?: string };
    };
    expect(updated.outs.dkim.map((k) => k.stage).sort()).toEqual(["pending", "pending"]);
    expect(updated.outs.dkimRotationApplied).toBe("2");
    expect(run.results.delete).toBe("ok");
    expect([...sim.registry.domains.values()].some((d) => d.name === "serialized.dezky.eu")).toBe(
      false,
    );
    expect(sim.registry.signatures.size).toBe(0);
  });
});
