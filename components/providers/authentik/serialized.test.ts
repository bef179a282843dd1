/**
 * The Authentik providers as the engine runs them: the recorded `__provider` stub is loaded
 * under plain Node (require-from-string, .handler(), configure with the authentik connection)
 * and drives create/read/delete against the simulator (the per-run lookups included); the
 * stored text holds no credential and no provider code; secret outputs are marked secret.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, TOKEN } from "../../../test/simulators/authentik/harness";
import type { AuthentikSimulator } from "../../../test/simulators/authentik/simulator";
import {
  authentikOps,
  connection,
  createChecked,
  groupInputs,
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

function stubIsClean(provider: string) {
  expect(provider).not.toContain(TOKEN);
  expect(provider).toContain('require("@dezky/providers/host")');
  expect(provider.length).toBeLessThan(2048);
}

describe("serialized providers under plain Node", () => {
  it("OAuth2Provider: create (with its per-run lookups), read, delete", async () => {
    const run = await runSerialized({
      module: "components/providers/authentik/oauth2-provider.js",
      exportName: "OAuth2Provider",
      name: "ser-oidc",
      service: "authentik",
      connection: connection(url),
      inputs: { ...providerInputs("serial") },
    });
    stubIsClean(run.provider);
    const created = run.results.create as any;
    expect(created.outs.clientId).toBe("dezky-serial");
    expect(created.outs.clientSecret).toHaveLength(64);
    expect((run.results.read as any).props.clientSecret).toBe(created.outs.clientSecret);
    expect(sim.state.providers.has(Number(created.id))).toBe(false);
  });

  it("Application: create (inert, bind, activate), read, delete", async () => {
    const ak = authentikOps(url);
    const group = await createChecked(ak.groups, groupInputs("serapp"));
    const provider = await createChecked(ak.oauth2, providerInputs("serapp"));
    const run = await runSerialized({
      module: "components/providers/authentik/application.js",
      exportName: "Application",
      name: "ser-app",
      service: "authentik",
      connection: connection(url),
      inputs: {
        tenant: "serapp",
        name: "Serial",
        // As the Tenant component passes it: the OAuth2 provider's id (a string).
        provider: provider.id,
        accessGroup: group.id,
        launchUrl: "https://serapp.dezky.test/",
      },
    });
    stubIsClean(run.provider);
    const created = run.results.create as any;
    expect(created.outs.binding.group).toBe(group.id);
    expect((run.results.read as any).props.observed.provider).toBe(provider.outs.providerId);
    expect(sim.state.applications.has("dezky-serapp")).toBe(false);
  });
});

describe("secrets", () => {
  it("marks clientSecret as a secret output, and the connection secret on its provider", async () => {
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
    // The compiled modules, loaded natively, as the program runs them.
    const load = createRequire(__filename);
    const dist = path.resolve(__dirname, "../../../dist/components/providers");
    const mod = load(`${dist}/authentik/index.js`) as typeof import("./index");
    const { ApiConnection } = load(
      `${dist}/core/api-connection.js`,
    ) as typeof import("../core/api-connection");
    const opts = (name: string) => ({
      transformations: [
        (a: pulumi.ResourceTransformationArgs) => {
          seen[name] = ((a.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ??
            []) as string[];
          return undefined;
        },
      ],
    });
    const api = new ApiConnection(
      "api",
      { service: "authentik", connection: connection(url) },
      opts("api"),
    );
    const p = new mod.OAuth2Provider("p", providerInputs("sec"), { ...opts("p"), provider: api });
    new mod.Group("g", groupInputs("sec"), { ...opts("g"), provider: api });
    await new Promise<void>((r) => p.urn.apply(() => r()));
    expect(seen.p).toEqual(expect.arrayContaining(["clientSecret"]));
    expect(seen.api).toEqual(["dezky:connection"]);
    // A resource registered with another service's connection is refused at once.
    const other = new ApiConnection("ocis", { service: "ocis", connection: {} });
    expect(() => new mod.Group("x", groupInputs("x"), { provider: other })).toThrow(
      /registered with the ocis connection; it needs authentik/,
    );
  });
});
