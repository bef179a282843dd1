import { describe, expect, it } from "vitest";
import { noPublicAdminPorts, nftablesProblems } from "../rules/exposure";
import { productionDataProtected } from "../rules/data-safety";
import { euDataResidency } from "../rules/residency";
import { noPlaintextSecrets } from "../rules/secrets";
import { typedDynamicResources } from "../rules/typed-dynamic";
import { versionsPinned } from "../rules/versions";
import { resourceArgs, resourceViolations } from "./harness";

const SERVER = "hcloud:index/server:Server";
const FIREWALL = "hcloud:index/firewall:Firewall";

describe("eu-data-residency", () => {
  it("passes EU locations and datacenters", async () => {
    expect(
      await resourceViolations(
        euDataResidency,
        resourceArgs(SERVER, { location: "fsn1", serverType: "cx33" }),
      ),
    ).toEqual([]);
    expect(
      await resourceViolations(euDataResidency, resourceArgs(SERVER, { datacenter: "hel1-dc2" })),
    ).toEqual([]);
  });
  it("fails a US location, a US network zone and a location-less server", async () => {
    expect(
      await resourceViolations(euDataResidency, resourceArgs(SERVER, { location: "ash" })),
    ).toEqual(['subject: location "ash" is outside the EU; use one of fsn1, nbg1, hel1.']);
    const box = resourceArgs("hcloud:index/network:NetworkSubnet", { networkZone: "us-east" });
    expect(await resourceViolations(euDataResidency, box)).toHaveLength(1);
    expect(
      (await resourceViolations(euDataResidency, resourceArgs(SERVER, { serverType: "cx33" })))[0],
    ).toMatch(/has no location/);
  });
  it("ignores non-Hetzner resources", async () => {
    expect(
      await resourceViolations(
        euDataResidency,
        resourceArgs("kubernetes:core/v1:Namespace", { location: "us" }),
      ),
    ).toEqual([]);
  });
});

describe("no-public-admin-ports", () => {
  const rule = (port: string, sourceIps: string[]) => ({
    direction: "in",
    protocol: "tcp",
    port,
    sourceIps,
  });
  it("passes SSH from admin networks and HTTPS from anywhere", async () => {
    const fw = resourceArgs(FIREWALL, {
      rules: [rule("22", ["203.0.113.0/28"]), rule("443", ["0.0.0.0/0", "::/0"])],
    });
    expect(await resourceViolations(noPublicAdminPorts, fw)).toEqual([]);
  });
  it("fails 22 open to the internet, and a port range covering 6443", async () => {
    const fw = resourceArgs(FIREWALL, {
      rules: [rule("22", ["0.0.0.0/0"]), rule("6000-7000", ["::/0"])],
    });
    const v = await resourceViolations(noPublicAdminPorts, fw);
    expect(v).toHaveLength(2);
    expect(v[0]).toMatch(/SSH \(22\) to 0\.0\.0\.0\/0/);
    expect(v[1]).toMatch(/k3s API \(6443\)/);
  });
  it("fails a Robot firewall rule accepting 22 from any source, passes one with a source", async () => {
    const open = resourceArgs("pulumi-nodejs:dynamic/robot:Firewall", {
      rules: { input: [{ dstPort: "22", action: "accept" }] },
    });
    expect(await resourceViolations(noPublicAdminPorts, open)).toHaveLength(1);
    const scoped = resourceArgs("pulumi-nodejs:dynamic/robot:Firewall", {
      rules: { input: [{ dst_port: "22", src_ip: "203.0.113.0/28", action: "accept" }] },
    });
    expect(await resourceViolations(noPublicAdminPorts, scoped)).toEqual([]);
  });
  it("reads nftables rendered into a remote command", async () => {
    const ruleset =
      "table inet filter {\n chain input {\n  tcp dport { 22, 6443 } accept\n  tcp dport 443 accept\n }\n}";
    const cmd = resourceArgs("command:remote:Command", {
      create: `nft -f - <<'EOF'\n${ruleset}\nEOF`,
    });
    expect(await resourceViolations(noPublicAdminPorts, cmd)).toHaveLength(2);
    const scoped = ruleset.replace(
      "tcp dport { 22, 6443 } accept",
      "ip saddr @admin tcp dport { 22, 6443 } accept",
    );
    expect(nftablesProblems(scoped)).toEqual([]);
  });
});

describe("production-data-protected", () => {
  const policy = productionDataProtected(() => "prod");
  const box = "hcloud:index/storageBox:StorageBox";
  it("fails a Storage Box in prod without protect, or with retainOnDelete off where it is known", async () => {
    expect(await resourceViolations(policy, resourceArgs(box, {}))).toHaveLength(1);
    // `pulumi preview` passes only protect: protect alone is what the real engine can show.
    expect(
      await resourceViolations(policy, resourceArgs(box, {}, { opts: { protect: true } })),
    ).toEqual([]);
    const both = { opts: { protect: true, retainOnDelete: true } };
    expect(await resourceViolations(policy, resourceArgs(box, {}, both))).toEqual([]);
    // The offline plan knows retainOnDelete: protect without it, or it without protect, fails.
    for (const opts of [{ protect: true, retainOnDelete: false }, { retainOnDelete: true }]) {
      const [v] = await resourceViolations(policy, resourceArgs(box, {}, { opts }));
      expect(v).toMatch(
        /lacks (protect|retainOnDelete); set \{ protect: true, retainOnDelete: true \}/,
      );
    }
  });
  it("applies to spaces, mail domains, buckets, zones, tenant groups, volume claims; not to servers", async () => {
    for (const t of [
      "pulumi-nodejs:dynamic/ocis:Space",
      "pulumi-nodejs:dynamic/stalwart:MailDomain",
      "pulumi-nodejs:dynamic/s3:Bucket",
      "hcloud:index/zone:Zone",
      "pulumi-nodejs:dynamic/authentik:Group",
      "pulumi-nodejs:dynamic/ocis:Group",
      "kubernetes:core/v1:PersistentVolumeClaim",
    ]) {
      expect(await resourceViolations(policy, resourceArgs(t, {}))).toHaveLength(1);
    }
    expect(await resourceViolations(policy, resourceArgs(SERVER, {}))).toEqual([]);
  });
  it("applies to a production cell of any name, from the environment's production flag", async () => {
    const cell = productionDataProtected(
      () => "fsn1-b",
      () => ({ production: true }),
    );
    expect(await resourceViolations(cell, resourceArgs(box, {}))).toHaveLength(1);
    const dev = productionDataProtected(
      () => "fsn1-b",
      () => ({ production: false }),
    );
    expect(await resourceViolations(dev, resourceArgs(box, {}))).toEqual([]);
  });
  it("applies to a StatefulSet with volume claim templates, not to one without", async () => {
    const sts = "kubernetes:apps/v1:StatefulSet";
    const withVolumes = { spec: { volumeClaimTemplates: [{ metadata: { name: "data" } }] } };
    expect(await resourceViolations(policy, resourceArgs(sts, withVolumes))).toHaveLength(1);
    expect(await resourceViolations(policy, resourceArgs(sts, { spec: {} }))).toEqual([]);
  });
  it("is not applicable outside production, unless the stack tag says production", async () => {
    const dev = productionDataProtected(() => "dev");
    expect(await resourceViolations(dev, resourceArgs(box, {}))).toEqual([]);
    const tagged = resourceArgs(box, {}, { stackTags: { "dezky:environment": "production" } });
    expect(await resourceViolations(dev, tagged)).toHaveLength(1);
    expect(
      await resourceViolations(
        productionDataProtected(() => "prod-fsn1-b"),
        resourceArgs(box, {}),
      ),
    ).toHaveLength(1);
  });
});

describe("versions-pinned", () => {
  const release = "kubernetes:helm.sh/v3:Release";
  it("passes exact chart versions and tagged images", async () => {
    const args = resourceArgs(release, {
      chart: "authentik",
      version: "2026.8.3",
      values: { image: { tag: "2026.8.3" } },
    });
    expect(await resourceViolations(versionsPinned, args)).toEqual([]);
    const k3s = resourceArgs("command:remote:Command", {
      create: "curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=v1.33.5+k3s1 sh -",
    });
    expect(await resourceViolations(versionsPinned, k3s)).toEqual([]);
  });
  it("fails unpinned charts, latest tags, untagged images and k3s channels", async () => {
    expect(
      await resourceViolations(versionsPinned, resourceArgs(release, { chart: "authentik" })),
    ).toHaveLength(1);
    expect(
      await resourceViolations(
        versionsPinned,
        resourceArgs(release, {
          chart: "x",
          version: "1.0.0",
          values: { image: { tag: "latest" } },
        }),
      ),
    ).toHaveLength(1);
    const deploy = resourceArgs("kubernetes:apps/v1:Deployment", {
      spec: { template: { spec: { containers: [{ image: "ghcr.io/dezky/portal" }] } } },
    });
    expect(await resourceViolations(versionsPinned, deploy)).toEqual([
      'subject: spec.template.spec.containers.0.image: image "ghcr.io/dezky/portal" has no tag; pin an exact version.',
    ]);
    const k3s = resourceArgs("command:remote:Command", {
      create: "curl -sfL https://get.k3s.io | INSTALL_K3S_CHANNEL=stable sh -",
    });
    expect((await resourceViolations(versionsPinned, k3s)).join()).toMatch(/channel/);
  });
  it("follows a shell variable to its assignment in the install script", async () => {
    const script = (version: string) =>
      resourceArgs("command:remote:Command", {
        create: `want='${version}'\nINSTALL_K3S_VERSION="$want" sh /root/k3s-install.sh # get.k3s.io`,
      });
    expect(await resourceViolations(versionsPinned, script("v1.33.5+k3s1"))).toEqual([]);
    expect(await resourceViolations(versionsPinned, script("latest"))).toEqual([
      'subject: create: k3s version "latest" is not an exact release such as v1.33.5+k3s1.',
    ]);
  });
});

describe("no-plaintext-secrets", () => {
  it("passes masked and Secret-declared credentials", async () => {
    const masked = resourceArgs("hcloud:index/storageBox:StorageBox", {
      password: "[secret]",
      location: "hel1",
    });
    expect(await resourceViolations(noPlaintextSecrets, masked)).toEqual([]);
    // Under the engine secrets arrive unwrapped: the declaration in additionalSecretOutputs counts.
    const engine = resourceArgs(
      "hcloud:index/storageBox:StorageBox",
      { password: "hunter2" },
      { opts: { additionalSecretOutputs: ["password"] } },
    );
    expect(await resourceViolations(noPlaintextSecrets, engine)).toEqual([]);
  });
  it("fails plain credentials, nested ones too, and ignores references to secrets", async () => {
    const plain = resourceArgs("pulumi-nodejs:dynamic/authentik:OAuth2Provider", {
      clientSecret: "abc",
      connection: { url: "https://auth", token: "t0k" },
      existingSecret: "authentik-env",
    });
    expect(await resourceViolations(noPlaintextSecrets, plain)).toEqual([
      "subject: clientSecret is a credential in plain text; pass it as pulumi.secret(...) from encrypted config or a generated value.",
      "subject: connection.token is a credential in plain text; pass it as pulumi.secret(...) from encrypted config or a generated value.",
    ]);
  });
  it("treats a Secret's name under a credential block as a reference, its value as a credential", async () => {
    const job = resourceArgs("kubernetes:batch/v1:CronJob", {
      spec: { volumes: [{ name: "tls", secret: { secretName: "stalwart-tls" } }] },
    });
    expect(await resourceViolations(noPlaintextSecrets, job)).toEqual([]);
    const leaked = resourceArgs("kubernetes:batch/v1:CronJob", { secret: { value: "hunter2" } });
    expect(await resourceViolations(noPlaintextSecrets, leaked)).toHaveLength(1);
  });
  it("offline, secretInputs is authoritative: a declared but plain field still fails", async () => {
    const args = resourceArgs(
      "pulumi-nodejs:dynamic/stalwart:MailDomain",
      { connection: { password: "pw" } },
      {
        opts: { additionalSecretOutputs: ["connection"], secretInputs: [] },
      },
    );
    expect(await resourceViolations(noPlaintextSecrets, args)).toHaveLength(1);
  });
});

describe("no-plaintext-secrets on provider resources", () => {
  // What the analyzer receives under `pulumi preview`: secrets unwrapped, no secret flag.
  const config = { "engine:authentikToken": "canary-token", "engine:date": "2026-11-30" };

  it("does not judge a default provider: its inputs are the stack configuration", async () => {
    const args = resourceArgs("pulumi:providers:pulumi-nodejs", config, { name: "default" });
    expect(await resourceViolations(noPlaintextSecrets, args)).toEqual([]);
    const versioned = resourceArgs(
      "pulumi:providers:hcloud",
      { token: "t" },
      { name: "default_1_41_0" },
    );
    expect(await resourceViolations(noPlaintextSecrets, versioned)).toEqual([]);
  });

  it("judges a provider the program creates, by its declared secret inputs", async () => {
    const connection = {
      "dezky:service": "authentik",
      "dezky:connection": { url: "u", token: "t0k" },
    };
    const undeclared = resourceArgs("pulumi:providers:pulumi-nodejs", connection, {
      name: "cell-authentik-api",
    });
    expect(await resourceViolations(noPlaintextSecrets, undeclared)).toEqual([
      "cell-authentik-api: dezky:connection.token is a credential in plain text; pass it as pulumi.secret(...) from encrypted config or a generated value.",
    ]);
    const declared = resourceArgs("pulumi:providers:pulumi-nodejs", connection, {
      name: "cell-authentik-api",
      opts: { additionalSecretOutputs: ["dezky:connection"] },
    });
    expect(await resourceViolations(noPlaintextSecrets, declared)).toEqual([]);
    // A provider named like the default one is still recognised only by its name.
    const named = resourceArgs("pulumi:providers:pulumi-nodejs", config, { name: "defaults" });
    expect(await resourceViolations(noPlaintextSecrets, named)).toHaveLength(1);
  });
});

describe("typed-dynamic-resources", () => {
  it("fails the untyped dynamic token, passes typed ones", async () => {
    expect(
      await resourceViolations(
        typedDynamicResources,
        resourceArgs("pulumi-nodejs:dynamic:Resource", {}),
      ),
    ).toHaveLength(1);
    expect(
      await resourceViolations(
        typedDynamicResources,
        resourceArgs("pulumi-nodejs:dynamic/ocis:Space", {}),
      ),
    ).toEqual([]);
  });
});
