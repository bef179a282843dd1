/**
 * Stalwart 0.16 on the host over SSH: the pinned release with its checksum verified, a systemd
 * unit, data in /var/lib/stalwart, the management HTTP port served by Traefik at
 * mail.<domain>, and the TLS sync that puts the wildcard certificate on the host. The recovery
 * admin password is generated here and sent over stdin (never in the script); only the
 * server configuration (stalwart-config.ts) uses it, tenants get a least-privilege account.
 */
import * as command from "@pulumi/command";
import type * as inputs from "@pulumi/command/types/input";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as crypto from "node:crypto";
import { ingressSpec } from "./k8s-shapes";
import {
  MAIL_NAMESPACE,
  STALWART_SERVICE,
  stalwartEndpointSlice,
  stalwartService,
  tlsSyncCronJob,
} from "./stalwart-manifests";
import { stalwartInstallScript } from "./stalwart-install";
import { STALWART_RECOVERY_USER } from "./stalwart-render";

export interface StalwartArgs {
  /** SSH connection to the cell's host (root), from components/host. */
  connection: pulumi.Input<inputs.remote.ConnectionArgs>;
  /** The host's IPv4, where Traefik reaches the management port. */
  hostIpv4: pulumi.Input<string>;
  provider: k8s.Provider;
  domain: string;
  /** env.versions.stalwart. */
  version: { version: string; sha256: string };
  /** Small image with sh/cp/cmp for the TLS sync (env.versions.postgres's base is fine). */
  toolsImage: string;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface StalwartConnectionValue {
  url: string;
  username: string;
  password: string;
}

export class Stalwart extends pulumi.ComponentResource {
  readonly url: string;
  readonly connection: pulumi.Output<StalwartConnectionValue>;
  readonly install: command.remote.Command;
  /** The first copy of the certificate to the host (the certificate object reads those files). */
  readonly tlsInitial: k8s.batch.v1.Job;

  constructor(name: string, args: StalwartArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:Stalwart", name, {}, opts);
    const o = { parent: this, provider: args.provider };
    const recovery = new random.RandomPassword(
      `${name}-recovery-password`,
      { length: 40, special: false },
      { parent: this },
    );
    const password = pulumi.secret(recovery.result);
    // An unpinned sha256 (the all-zero sentinel) renders; the script refuses it on the host.
    const script = stalwartInstallScript({ domain: args.domain, ...args.version });
    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: args.connection,
        create: script,
        update: script,
        stdin: pulumi.secret(
          pulumi.interpolate`STALWART_RECOVERY_ADMIN=${STALWART_RECOVERY_USER}:${password}\n`,
        ),
        triggers: [crypto.createHash("sha256").update(script).digest("hex")],
      },
      // Removing the resource leaves the mail server and its data in place.
      {
        parent: this,
        retainOnDelete: true,
        dependsOn: args.dependsOn,
        additionalSecretOutputs: ["stdin"],
      },
    );
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: MAIL_NAMESPACE } }, o);
    const inNs = { ...o, dependsOn: [ns] };
    new k8s.core.v1.Service(`${name}-svc`, stalwartService(), inNs);
    const slice = pulumi.output(args.hostIpv4).apply((ip) => stalwartEndpointSlice(ip));
    const shape = stalwartEndpointSlice("0.0.0.0");
    new k8s.discovery.v1.EndpointSlice(
      `${name}-endpoints`,
      {
        metadata: shape.metadata,
        addressType: shape.addressType,
        ports: shape.ports,
        endpoints: slice.endpoints,
      },
      inNs,
    );
    new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: { name: STALWART_SERVICE, namespace: MAIL_NAMESPACE },
        spec: ingressSpec(`mail.${args.domain}`, STALWART_SERVICE, 80),
      },
      inNs,
    );
    const sync = tlsSyncCronJob(args.toolsImage);
    new k8s.batch.v1.CronJob(`${name}-tls-sync`, sync, { ...o, dependsOn: args.dependsOn });
    // First deploy: copy the certificate now instead of waiting for the schedule.
    this.tlsInitial = new k8s.batch.v1.Job(
      `${name}-tls-initial`,
      {
        metadata: { name: "stalwart-tls-initial", namespace: sync.metadata.namespace },
        spec: sync.spec.jobTemplate.spec,
      },
      { ...o, dependsOn: [this.install, ...(args.dependsOn ?? [])] },
    );
    this.url = `https://mail.${args.domain}`;
    this.connection = pulumi.secret(
      pulumi.output({ url: this.url, username: STALWART_RECOVERY_USER, password }),
    );
    this.registerOutputs({ url: this.url });
  }
}
