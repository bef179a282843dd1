/** Collabora Online on k3s (official chart) at office.<domain>, the WOPI office app of OCIS. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  COLLABORA_ADMIN_SECRET,
  COLLABORA_NAMESPACE,
  COLLABORA_REPO,
  collaboraValues,
} from "./collabora-values";

export interface CollaboraArgs {
  provider: k8s.Provider;
  domain: string;
  /** env.versions.collabora. */
  version: { chart: string; app: string };
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Collabora extends pulumi.ComponentResource {
  readonly url: string;

  constructor(name: string, args: CollaboraArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:Collabora", name, {}, opts);
    const o = { parent: this, provider: args.provider };
    const ns = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: COLLABORA_NAMESPACE } },
      o,
    );
    const adminPassword = new random.RandomPassword(
      `${name}-admin-password`,
      { length: 32, special: false },
      { parent: this },
    );
    const admin = new k8s.core.v1.Secret(
      `${name}-admin`,
      {
        metadata: { name: COLLABORA_ADMIN_SECRET, namespace: COLLABORA_NAMESPACE },
        stringData: pulumi.secret({ username: "admin", password: adminPassword.result }),
      },
      { ...o, dependsOn: [ns] },
    );
    new k8s.helm.v3.Release(
      `${name}-chart`,
      {
        name: "collabora",
        chart: "collabora-online",
        version: args.version.chart,
        namespace: COLLABORA_NAMESPACE,
        repositoryOpts: { repo: COLLABORA_REPO },
        values: collaboraValues({ domain: args.domain, appVersion: args.version.app }),
      },
      { ...o, dependsOn: [admin, ...(args.dependsOn ?? [])] },
    );
    this.url = `https://office.${args.domain}`;
    this.registerOutputs({ url: this.url });
  }
}
