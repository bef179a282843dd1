/**
 * k3s on the cell's hosts, installed over SSH the same way on Cloud and dedicated hosts (cloud-init
 * only prepares the machine). Embedded etcd even on one node (so snapshots to Object Storage
 * work), secrets encryption, the version pinned in the environment. The kubeconfig is read back
 * as a secret with the server URL rewritten, and a kubernetes Provider is built from it.
 */
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Environment } from "../../stacks/schema";
import type { StackSecrets } from "../../stacks/secrets";
import type { CellHost } from "../host/types";
import { contentHash } from "../host/host-scripts";
import { checkSnapshotCron } from "./cron";
import { etcdS3, type NodeRole, renderK3sConfig, renderSecretsDropIn } from "./config";
import {
  apiServerUrl,
  KUBECONFIG_READ,
  renderInstallScript,
  renderSecretsWriteScript,
  rewriteKubeconfigServer,
  type UpgradeMode,
} from "./scripts";
import { renderSucInstallScript, renderUpgradePlans, SUC_VERSION } from "./upgrade";

export const K3S_TYPE = "dezky:k3s:K3s";

export interface K3sArgs {
  env: Environment;
  /** The primary host (cluster-init server). */
  host: CellHost;
  /** Extra nodes joining the cell (env.extraNodes with their hosts). */
  extraNodes: Array<{ name: string; role: "agent" | "server"; host: CellHost }>;
  secrets: StackSecrets;
}

interface NodeInstall {
  install: command.remote.Command;
}

export class K3s extends pulumi.ComponentResource {
  /** Kubernetes provider for everything on the cluster. */
  readonly provider: k8s.Provider;
  /** Admin kubeconfig (secret), server URL pointing at the primary's IPv4. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly serverUrl: pulumi.Output<string>;
  readonly version: string;
  /** The primary's install command (its triggers carry the version and config hash). */
  readonly install: command.remote.Command;

  constructor(name: string, args: K3sArgs, opts?: pulumi.ComponentResourceOptions) {
    super(K3S_TYPE, name, {}, opts);
    const { env, host, secrets } = args;
    // Before any resource: a schedule k3s cannot parse would silently stop snapshots.
    checkSnapshotCron(env.k3s.snapshotSchedule);
    this.version = env.k3s.version;
    const upgradeMode: UpgradeMode =
      args.extraNodes.length > 0 ? "system-upgrade-controller" : "script";
    const token = new random.RandomPassword(
      `${name}-token`,
      { length: 48, special: false },
      { parent: this },
    );
    this.serverUrl = host.ipv4.apply(apiServerUrl);
    const s3 = etcdS3(env);

    const node = (
      role: NodeRole,
      prefix: string,
      nodeHost: CellHost,
      nodeName: string,
      after: pulumi.Resource[],
    ): NodeInstall => {
      const secretsFile = new command.remote.Command(
        `${prefix}-secrets`,
        {
          connection: nodeHost.connection,
          create: renderSecretsWriteScript(role),
          update: renderSecretsWriteScript(role),
          stdin: pulumi.secret(
            pulumi
              .all([token.result, secrets.s3AccessKey, secrets.s3SecretKey])
              .apply(([t, a, s]) =>
                renderSecretsDropIn({ role, token: t, s3AccessKey: a, s3SecretKey: s }),
              ),
          ),
          logging: "stderr",
        },
        { parent: this, dependsOn: [nodeHost.ready, ...after], additionalSecretOutputs: ["stdin"] },
      );
      const script = pulumi
        .all([nodeHost.ipv4, nodeHost.ipv6, this.serverUrl])
        .apply(([ipv4, ipv6, serverUrl]) =>
          renderInstallScript({
            version: env.k3s.version,
            role,
            upgradeMode,
            config: renderK3sConfig({
              role,
              nodeName,
              tlsSans: [ipv4, ipv6, `k3s.${env.domain}`],
              serverUrl: role === "primary" ? undefined : serverUrl,
              cell: env.cell,
              version: env.k3s.version,
              snapshotSchedule: env.k3s.snapshotSchedule,
              snapshotRetention: env.k3s.snapshotRetention,
              s3,
            }),
          }),
        );
      const install = new command.remote.Command(
        `${prefix}-install`,
        {
          connection: nodeHost.connection,
          create: script,
          // A new version or config re-runs the install in place; the host is never touched.
          triggers: [env.k3s.version, script.apply(contentHash)],
        },
        {
          parent: this,
          dependsOn: [secretsFile],
          customTimeouts: { create: "30m", update: "30m" },
        },
      );
      return { install };
    };

    const primary = node("primary", name, host, env.cell, []);
    this.install = primary.install;
    const kubeconfigRead = new command.remote.Command(
      `${name}-kubeconfig`,
      {
        connection: host.connection,
        create: KUBECONFIG_READ,
        triggers: [primary.install.id, primary.install.triggers],
        logging: "stderr",
      },
      { parent: this, dependsOn: [primary.install], additionalSecretOutputs: ["stdout"] },
    );
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([pulumi.secret(kubeconfigRead.stdout), this.serverUrl])
        .apply(([raw, url]) => rewriteKubeconfigServer(raw, url)),
    );
    this.provider = new k8s.Provider(
      `${name}-provider`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { parent: this },
    );

    // Servers first (etcd quorum), then agents.
    const servers = args.extraNodes.filter((n) => n.role === "server");
    const agents = args.extraNodes.filter((n) => n.role === "agent");
    const joined = servers.map(
      (n) => node("server", `${name}-${n.name}`, n.host, n.name, [primary.install]).install,
    );
    for (const n of agents)
      node("agent", `${name}-${n.name}`, n.host, n.name, [primary.install, ...joined]);

    if (upgradeMode === "system-upgrade-controller") {
      const suc = new command.remote.Command(
        `${name}-system-upgrade-controller`,
        { connection: host.connection, create: renderSucInstallScript(), triggers: [SUC_VERSION] },
        { parent: this, dependsOn: [primary.install] },
      );
      for (const plan of renderUpgradePlans(env.k3s.version)) {
        new k8s.apiextensions.CustomResource(
          `${name}-plan-${plan.metadata.name}`,
          { ...plan },
          { parent: this, provider: this.provider, dependsOn: [suc] },
        );
      }
    }

    this.registerOutputs({
      serverUrl: this.serverUrl,
      kubeconfig: this.kubeconfig,
      version: this.version,
    });
  }
}
