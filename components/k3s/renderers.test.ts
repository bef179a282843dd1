import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import dev from "../../stacks/dev";
import { environmentSchema } from "../../stacks/schema";
import { checkShell, skipToolChecks } from "../host/tool-check";
import { etcdS3, renderK3sConfig, renderSecretsDropIn } from "./config";
import { renderRestoreCommands } from "./restore";
import {
  apiServerUrl,
  renderInstallScript,
  renderSecretsWriteScript,
  rewriteKubeconfigServer,
} from "./scripts";
import { renderSucInstallScript, renderUpgradePlans } from "./upgrade";
import { MOCK_KUBECONFIG } from "../../scripts/lib/mock-outputs";

const s3 = etcdS3(dev);
const base = {
  nodeName: "dev",
  tlsSans: ["192.0.2.10"],
  cell: "dev",
  version: "v1.33.5+k3s1",
  snapshotSchedule: "0 */6 * * *",
  snapshotRetention: 28,
  s3,
};
const primaryConfig = renderK3sConfig({ role: "primary", ...base });

describe("k3s config", () => {
  it("primary: embedded etcd, secrets encryption, scheduled snapshots to the etcd bucket", () => {
    expect(parse(primaryConfig)).toMatchObject({
      "cluster-init": true,
      "secrets-encryption": true,
      "etcd-snapshot-schedule-cron": "0 */6 * * *",
      "etcd-snapshot-retention": 28,
      "etcd-s3": true,
      "etcd-s3-endpoint": "nbg1.your-objectstorage.com",
      "etcd-s3-bucket": "dezky-dev-etcd",
      "etcd-s3-folder": "dev",
    });
    expect(primaryConfig).not.toMatch(/access-key|secret-key|token/);
  });
  it("joining nodes need the server URL; agents carry no etcd options", () => {
    expect(() => renderK3sConfig({ role: "agent", ...base })).toThrow(/serverUrl/);
    const agent = parse(
      renderK3sConfig({ role: "agent", ...base, serverUrl: "https://192.0.2.10:6443" }),
    );
    expect(agent).toEqual({
      server: "https://192.0.2.10:6443",
      "node-name": "dev",
      "node-label": ["dezky.eu/cell=dev"],
    });
    const server = parse(
      renderK3sConfig({ role: "server", ...base, serverUrl: "https://192.0.2.10:6443" }),
    );
    expect(server["cluster-init"]).toBeUndefined();
    expect(server["etcd-s3"]).toBe(true);
  });
  it("secrets go to a drop-in: agents get only the token", () => {
    expect(
      parse(renderSecretsDropIn({ role: "agent", token: "t", s3AccessKey: "a", s3SecretKey: "s" })),
    ).toEqual({ token: "t" });
    expect(
      parse(
        renderSecretsDropIn({ role: "primary", token: "t", s3AccessKey: "a", s3SecretKey: "s" }),
      ),
    ).toEqual({
      token: "t",
      "etcd-s3-access-key": "a",
      "etcd-s3-secret-key": "s",
    });
  });
  it("the environment schema refuses an unpinned k3s version", () => {
    for (const version of ["latest", "v1.33", "stable", ""]) {
      expect(
        environmentSchema.safeParse({ ...dev, k3s: { ...dev.k3s, version } }).success,
        version,
      ).toBe(false);
    }
  });
});

describe("install / upgrade script", () => {
  const script = renderInstallScript({
    version: "v1.33.5+k3s1",
    role: "primary",
    config: primaryConfig,
    upgradeMode: "script",
  });
  it("installs exactly the pinned release and guards upgrades", () => {
    expect(script).toContain("want='v1.33.5+k3s1'");
    expect(script).toContain(
      "https://raw.githubusercontent.com/k3s-io/k3s/v1.33.5%2Bk3s1/install.sh",
    );
    expect(script).toMatch(/refusing to downgrade/);
    expect(script).toMatch(/refusing to skip a minor version/);
    expect(script.indexOf("etcd-snapshot save")).toBeLessThan(
      script.indexOf("INSTALL_K3S_VERSION="),
    );
  });
  it("in SUC mode leaves version changes to the plans", () => {
    const suc = renderInstallScript({
      version: "v1.33.5+k3s1",
      role: "agent",
      config: "server: x\n",
      upgradeMode: "system-upgrade-controller",
    });
    expect(suc).toContain("upgrade_mode='system-upgrade-controller'");
    expect(suc).not.toContain("etcd-snapshot save"); // agents have no etcd
    expect(suc).toContain("INSTALL_K3S_EXEC='agent'");
  });
  it.skipIf(skipToolChecks)("every k3s script passes shellcheck", () => {
    const restore = renderRestoreCommands({ snapshot: "etcd-snapshot-dev-1700000000.zip", s3 });
    const all = {
      primary: script,
      agent: renderInstallScript({
        version: "v1.33.5+k3s1",
        role: "agent",
        config: "server: x\n",
        upgradeMode: "system-upgrade-controller",
      }),
      secrets: renderSecretsWriteScript("primary"),
      suc: renderSucInstallScript(),
      restorePrimary: restore.primary,
      restoreOtherServers: restore.otherServers,
      restoreRejoin: restore.rejoin,
      restoreLocal: renderRestoreCommands({
        snapshot: "etcd-snapshot-dev-1700000000.zip",
        s3,
        source: "local",
      }).primary,
    };
    for (const [name, text] of Object.entries(all)) {
      const result = checkShell(text);
      expect(result.ok, `${name}: ${result.output}`).toBe(true);
    }
  });
});

describe("restore commands", () => {
  const plan = renderRestoreCommands({ snapshot: "etcd-snapshot-dev-1700000000.zip", s3 });
  it("reset from the S3 snapshot with the cell's bucket and folder, then start and wait", () => {
    expect(plan.primary).toContain("systemctl stop k3s");
    expect(plan.primary).toContain(
      "k3s server --cluster-reset \\\n  --cluster-reset-restore-path='etcd-snapshot-dev-1700000000.zip'",
    );
    for (const flag of [
      "--etcd-s3 ",
      "--etcd-s3-endpoint='nbg1.your-objectstorage.com'",
      "--etcd-s3-bucket='dezky-dev-etcd'",
      "--etcd-s3-folder='dev'",
    ]) {
      expect(plan.primary).toContain(flag);
    }
    expect(plan.primary.indexOf("--cluster-reset")).toBeLessThan(
      plan.primary.indexOf("systemctl start k3s"),
    );
    expect(plan.primary).not.toMatch(/access-key|secret-key/); // read from the drop-in on the host
    expect(plan.otherServers).toContain("rm -rf /var/lib/rancher/k3s/server/db");
  });
  it("refuses snapshot names that could inject shell", () => {
    expect(() => renderRestoreCommands({ snapshot: "x; rm -rf /", s3 })).toThrow(
      /not a k3s snapshot name/,
    );
  });
});

describe("kubeconfig and upgrade plans", () => {
  it("rewrites the loopback server URL to the host", () => {
    const out = parse(rewriteKubeconfigServer(MOCK_KUBECONFIG, apiServerUrl("192.0.2.10")));
    expect(out.clusters[0].cluster.server).toBe("https://192.0.2.10:6443");
    expect(apiServerUrl("2001:db8::1")).toBe("https://[2001:db8::1]:6443");
    expect(() => rewriteKubeconfigServer("", "https://x:6443")).toThrow(/no clusters/);
  });
  it("SUC plans: servers one at a time, agents after the server plan", () => {
    const [server, agent] = renderUpgradePlans("v1.33.6+k3s1");
    expect(server.spec).toMatchObject({ version: "v1.33.6+k3s1", concurrency: 1, cordon: true });
    expect(agent.spec).toMatchObject({
      version: "v1.33.6+k3s1",
      prepare: { args: ["prepare", "k3s-server"] },
    });
  });
});
