/**
 * A cell with an extra Cloud node, under the mock runtime: what the Hetzner API and the provider
 * need when two servers share a project and peer firewalls.
 */
import { beforeAll, describe, expect, it } from "vitest";
import dev from "../../stacks/dev";
import { type Inventory, ofType, runStackUnderMocks } from "../../test/support/harness";

let inv: Inventory;
beforeAll(async () => {
  inv = await runStackUnderMocks("dev", {
    env: {
      ...dev,
      extraNodes: [
        {
          name: "worker",
          role: "agent",
          host: { ...dev.host, kind: "cloud", serverType: "cx23", location: "nbg1", diskGb: 80 },
        },
      ],
    } as typeof dev,
  });
});

describe("multi-node Cloud cell", () => {
  it("registers each admin SSH key once per project, shared by every server", () => {
    // "uniqueness_error ... SSH key with the same fingerprint already exists"
    // (docs.hetzner.cloud/reference/cloud#errors): a second SshKey with the same key fails.
    const keys = ofType(inv, "hcloud:index/sshKey:SshKey");
    expect(ofType(inv, "hcloud:index/server:Server")).toHaveLength(2);
    expect(keys).toHaveLength(dev.adminSshKeys.length);
    expect(new Set(keys.map((k) => k.inputs.publicKey)).size).toBe(keys.length);
  });

  it("attaches peer firewalls by applyTos while servers ignore firewallIds read back", () => {
    const peers = ofType(inv, "hcloud:index/firewall:Firewall").filter((f) =>
      f.name.endsWith("-peer-firewall"),
    );
    expect(peers).toHaveLength(2);
    for (const server of ofType(inv, "hcloud:index/server:Server")) {
      expect(server.ignoreChanges, server.name).toContain("firewallIds");
    }
  });
});
