/**
 * OCIS resources carry no credential: the connection is the configuration of the `ocis`
 * ApiConnection they are registered with, marked secret there; their own inputs hold only
 * what describes the object. The types are named for the policies.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiConnection } from "../core/api-connection";
import { CONNECTION_KEY } from "../core/connection";
import { OcisGroup } from "./group";
import { OcisSpace } from "./space";
import { OcisSpaceMember } from "./space-member";

const seen: Record<string, { type: string; inputs: Record<string, unknown> }> = {};
beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen[args.name] = { type: args.type, inputs: args.inputs as Record<string, unknown> };
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "dezky",
    "test",
    false,
  );
});

describe("OCIS resources and their connection", () => {
  it("keeps the credential on the secret ApiConnection, none on the resources", async () => {
    const password = "plain-app-password";
    const api = new ApiConnection("ocis-api", {
      service: "ocis",
      connection: {
        url: "https://files.x",
        tokenUrl: "https://auth.x/t",
        clientId: "c",
        username: "u",
        password,
        scope: "s",
      },
    });
    const group = new OcisGroup(
      "g",
      { tenant: "acme", displayName: "dezky-acme" },
      { provider: api },
    );
    const space = new OcisSpace(
      "s",
      { tenant: "acme", key: "main", name: "Acme", quotaBytes: 1, enabled: true },
      { provider: api },
    );
    new OcisSpaceMember(
      "m",
      { tenant: "acme", driveId: space.id, groupId: group.id, role: "editor" },
      { provider: api },
    );
    await new Promise<void>((r) => space.urn.apply(() => r()));
    for (let i = 0; i < 50 && !seen.m; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen.g.type).toBe("pulumi-nodejs:dynamic/ocis:Group");
    expect(seen.s.type).toBe("pulumi-nodejs:dynamic/ocis:Space");
    expect(seen.m.type).toBe("pulumi-nodejs:dynamic/ocis:SpaceMember");
    for (const name of ["g", "s", "m"]) {
      expect(JSON.stringify(seen[name].inputs)).not.toContain(password);
      expect(Object.keys(seen[name].inputs)).not.toContain("connection");
    }
    expect(seen["ocis-api"].type).toBe("pulumi:providers:pulumi-nodejs");
    expect(await (pulumi.isSecret(api.urn) as unknown as Promise<boolean>)).toBe(false);
    expect(Object.keys(seen["ocis-api"].inputs)).toContain(CONNECTION_KEY);
  });
});
