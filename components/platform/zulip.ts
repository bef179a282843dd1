/** Zulip chat (optional per environment, env.services.zulip) with Authentik login. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ZULIP_NAMESPACE, ZULIP_REPO, ZULIP_SECRET, zulipValues } from "./zulip-values";

export interface ZulipArgs {
  provider: k8s.Provider;
  domain: string;
  /** env.versions.zulip. */
  version: { chart: string; app: string };
  adminEmail: string;
  /** The Zulip OIDC client secret (also declared in the Authentik blueprint). */
  oidcClientSecret: pulumi.Input<string>;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Zulip extends pulumi.ComponentResource {
  readonly url: string;

  constructor(name: string, args: ZulipArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:Zulip", name, {}, opts);
    const o = { parent: this, provider: args.provider };
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: ZULIP_NAMESPACE } }, o);
    const secret = new k8s.core.v1.Secret(
      `${name}-oidc`,
      {
        metadata: { name: ZULIP_SECRET, namespace: ZULIP_NAMESPACE },
        stringData: pulumi.secret({ clientSecret: args.oidcClientSecret }),
      },
      { ...o, dependsOn: [ns] },
    );
    new k8s.helm.v3.Release(
      `${name}-chart`,
      {
        name: "zulip",
        chart: "zulip",
        version: args.version.chart,
        namespace: ZULIP_NAMESPACE,
        repositoryOpts: { repo: ZULIP_REPO },
        values: zulipValues({
          domain: args.domain,
          appVersion: args.version.app,
          adminEmail: args.adminEmail,
        }),
      },
      { ...o, dependsOn: [secret, ...(args.dependsOn ?? [])] },
    );
    this.url = `https://chat.${args.domain}`;
    this.registerOutputs({ url: this.url });
  }
}
