/**
 * The providers as the engine runs them: the recorded `__provider` string is loaded under
 * plain Node (require-from-string, .handler(), configure) and drives create/read/delete
 * against the simulator; the closure holds no credentials; secret outputs are marked secret.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAST_HTTP, startSimulator, TOKEN } from "../../../test/simulators/authentik/harness";
import type { AuthentikSimulator } from "../../../test/simulators/authentik/simulator";
import {
  connection,
  groupInputs,
  groups,
  oauth2,
  providerInputs,
} from "../../../test/simulators/authentik/tenant-flow";
import { runSerialized } from "../../../test/support/run-serialized";

/* eslint-disable @typescript-eslint/no-explicit-any */
let sim: AuthentikSimulator;
let url: string;

beforeAll(async () => {
  ({ sim, url } = await startSimulator());
});
afterAll(() => sim.stop());

function closureIsClean(provider: string, providerLength: number) {
  expect(provider).not.toContain(TOKEN);
  expect(provider).toMatch(/require\("@goauthentik\/api[^"]*"\)/);
  // Only Authentik + shared HTTP code: no other service's provider is captured.
  expect(provider).not.toMatch(/stalwart|libregraph|jmap|graph\/v1/i);
  expect(providerLength).toBeLessThan(200_000);
}

describe("serialized providers under plain Node", () => {
  it("Group: create, read, delete", async () => {
    const run = await runSerialized({
      module: "components/providers/authentik/group.js",
      exportName: "Group",
      name: "ser-group",
      inputs: { connection: connection(url), tenant: "serial", http: FAST_HTTP },
    });
    closureIsClean(run.provider, run.providerLength);
    const created = run.results.create as any;
    expect(created.outs.name).toBe("dezky-serial");
    expect((run.results.read as any).id).toBe(created.id);
    expect(sim.state.groups.has(created.id)).toBe(false); // deleted again
  });

  it("OAuth2Provider: create (with its per-run lookups), read, delete", async () => {
    const run = await runSerialized({
      module: "components/providers/authentik/oauth2-provider.js",
      exportName: "OAuth2Provider",
      name: "ser-oidc",
      inputs: { ...providerInputs(url, "serial") },
    });
    closureIsClean(run.provider, run.providerLength);
    const created = run.results.create as any;
    expect(created.outs.clientId).toBe("dezky-serial");
    expect(created.outs.clientSecret).toHaveLength(64);
    expect((run.results.read as any).props.clientSecret).toBe(created.outs.clientSecret);
    expect(sim.state.providers.has(Number(created.id))).toBe(false);
  });

  it("Application: create (inert, bind, activate), read, delete", async () => {
    const group = (await groups.create(groupInputs(url, "serapp"))) as any;
    const provider = (await oauth2.create(providerInputs(url, "serapp"))) as any;
    const run = await runSerialized({
      module: "components/providers/authentik/application.js",
      exportName: "Application",
      name: "ser-app",
      inputs: {
        connection: connection(url),
        tenant: "serapp",
        name: "Serial",
        provider: provider.outs.providerId,
        accessGroup: group.id,
        launchUrl: "https://serapp.dezky.test/",
        http: FAST_HTTP,
      },
    });
    closureIsClean(run.provider, run.providerLength);
    const created = run.results.create as any;
    expect(created.outs.binding.group).toBe(group.id);
    expect((run.results.read as any).props.observed.provider).toBe(provider.outs.providerId);
    expect(sim.state.applications.has("dezky-serapp")).toBe(false);
  });
});

describe("secrets", () => {
  it("marks connection and clientSecret as secret outputs", async () => {
    const seen: Record<string, string[]> = {};
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({
          id: `${args.name}-id`,
          state: { ...args.inputs, clientSecret: "s3cret" },
        }),
        call: () => ({}),
      },
      "dezky",
      "secrets",
      false,
    );
    // The compiled module, loaded natively: vitest's transform breaks closure serialization.
    const mod = createRequire(__filename)(
      path.resolve(__dirname, "../../../dist/components/providers/authentik/index.js"),
    ) as typeof import("./index");
    const opts = (name: string) => ({
      transformations: [
        (a: pulumi.ResourceTransformationArgs) => {
          seen[name] = ((a.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ??
            []) as string[];
          return undefined;
        },
      ],
    });
    const p = new mod.OAuth2Provider(
      "p",
      { ...providerInputs(url, "sec"), connection: pulumi.secret(connection(url)) },
      opts("p"),
    );
    new mod.Group("g", groupInputs(url, "sec"), opts("g"));
    new mod.Application(
      "a",
      {
        connection: connection(url),
        tenant: "sec",
        name: "S",
        provider: 1,
        accessGroup: "g",
        launchUrl: "https://x/",
      },
      { ...opts("a"), additionalSecretOutputs: ["name"] },
    );
    await new Promise<void>((r) => p.urn.apply(() => r()));
    expect(seen.p).toEqual(expect.arrayContaining(["connection", "clientSecret"]));
    expect(seen.g).toContain("connection");
    expect(seen.a).toEqual(expect.arrayContaining(["name", "connection"]));
    // The mock monitor does not apply additionalSecretOutputs (the engine does), so the
    // registered option is what is asserted here.
  });
});
