import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { OcisGroup } from "./group";
import { OcisSpace } from "./space";
import { OcisSpaceMember } from "./space-member";

const seen: Record<string, string> = {};
beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen[args.name] = args.type;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "dezky",
    "test",
    false,
  );
});

function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output) as unknown as Promise<boolean>;
}

describe("OCIS resources keep the connection secret", () => {
  it("marks connection secret on every resource, and names the types", async () => {
    const connection = { url: "https://cloud.example.eu", token: "plain-token" };
    const group = new OcisGroup("g", {
      connection,
      tenant: "acme",
      displayName: "dezky-tenant-acme",
    });
    const space = new OcisSpace("s", {
      connection,
      tenant: "acme",
      key: "main",
      name: "Acme",
      quotaBytes: 1,
      enabled: true,
    });
    const member = new OcisSpaceMember("m", {
      connection,
      tenant: "acme",
      driveId: space.driveId,
      groupId: group.groupId,
      role: "editor",
    });
    expect(await isSecret(group.connection)).toBe(true);
    expect(await isSecret(space.connection)).toBe(true);
    expect(await isSecret(member.connection)).toBe(true);
    expect(await isSecret(space.quotaBytes)).toBe(false);
    expect(seen).toEqual({
      g: "pulumi-nodejs:dynamic/ocis:Group",
      s: "pulumi-nodejs:dynamic/ocis:Space",
      m: "pulumi-nodejs:dynamic/ocis:SpaceMember",
    });
  });
});
