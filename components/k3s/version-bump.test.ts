/**
 * Changing only the k3s version in an environment upgrades in place: the install command's
 * trigger changes (and the kubeconfig read-back that follows it), nothing that could replace a
 * host does. Baseline: staging as committed (child process); bumped: staging with the next patch.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import staging from "../../stacks/staging";
import { type Inventory, runStackUnderMocks } from "../../test/support/harness";

const BUMPED = "v1.33.6+k3s1";
let before: Inventory;
let after: Inventory;

beforeAll(async () => {
  const root = path.resolve(__dirname, "..", "..");
  const baseline = new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [
        path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
        "components/k3s/testdata/inventory-cli.ts",
        "staging",
      ],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  after = await runStackUnderMocks("staging", {
    env: { ...staging, k3s: { ...staging.k3s, version: BUMPED } },
  });
  before = JSON.parse(await baseline) as Inventory;
}, 180_000);

describe("k3s version bump", () => {
  it("keeps the same resources (nothing added, removed or renamed)", () => {
    expect(after.resources.map((r) => r.urn).sort()).toEqual(
      before.resources.map((r) => r.urn).sort(),
    );
  });

  it("changes only the k3s install (and its kubeconfig read-back), never a host resource", () => {
    const byUrn = new Map(before.resources.map((r) => [r.urn, r]));
    // A dynamic provider's serialized code differs between the two processes (vitest transforms
    // modules, tsx does not); it is not an input the version could change.
    const comparable = (inputs: Record<string, unknown> | undefined) =>
      JSON.stringify({ ...inputs, __provider: undefined });
    const changed = after.resources
      .filter((r) => comparable(r.inputs) !== comparable(byUrn.get(r.urn)?.inputs))
      .map((r) => r.name);
    expect(changed).toContain("staging-k3s-install");
    for (const name of changed) expect(name, name).toMatch(/^staging-k3s-(install|kubeconfig)$/);
    const hostResources = after.resources.filter((r) => r.urn.includes("dezky:host:"));
    expect(hostResources.length).toBeGreaterThan(5);
    for (const r of hostResources) expect(changed).not.toContain(r.name);
  });

  it("the install trigger carries the new version and the script upgrades with a snapshot first", () => {
    const install = after.resources.find((r) => r.name === "staging-k3s-install")!;
    const old = before.resources.find((r) => r.name === "staging-k3s-install")!;
    expect(install.inputs.triggers).toEqual([BUMPED, expect.stringMatching(/^[a-f0-9]{64}$/)]);
    expect((old.inputs.triggers as string[])[0]).toBe(staging.k3s.version);
    const script = install.inputs.create as string;
    expect(script.indexOf("k3s etcd-snapshot save")).toBeLessThan(
      script.indexOf("INSTALL_K3S_VERSION="),
    );
    expect(script).toContain("v1.33.6%2Bk3s1/install.sh");
  });
});

describe("staging plan", () => {
  it("has a Cloud host in fsn1 with its firewall, k3s, and a secret kubeconfig output", () => {
    const servers = after.resources.filter((r) => r.type === "hcloud:index/server:Server");
    expect(servers.map((s) => s.inputs.location)).toEqual(["fsn1"]);
    expect(
      after.resources.filter(
        (r) => r.type === "hcloud:index/firewall:Firewall" && r.urn.includes("dezky:host:"),
      ),
    ).toHaveLength(1);
    expect(
      after.resources.some(
        (r) => r.type === "pulumi:providers:kubernetes" && r.secretInputs.includes("kubeconfig"),
      ),
    ).toBe(true);
    expect(after.outputs.kubeconfig).toBe("[secret]");
  });
});
