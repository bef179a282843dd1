/** Zulip chat (optional per environment, env.services.zulip) with Authentik login. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  ZULIP_CHART,
  ZULIP_NAMESPACE,
  ZULIP_SECRET,
  ZULIP_SECRET_KEYS,
  zulipValues,
} from "./zulip-values";

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
    const generated = (role: string, length: number) =>
      new random.RandomPassword(`${name}-${role}`, { length, special: false }, { parent: this })
        .result;
    const k = ZULIP_SECRET_KEYS;
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: ZULIP_NAMESPACE } }, o);
    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      {
        metadata: { name: ZULIP_SECRET, namespace: ZULIP_NAMESPACE },
        stringData: pulumi.secret({
          [k.secretKey]: generated("secret-key", 64),
          [k.oidcClientSecret]: args.oidcClientSecret,
          [k.postgresUser]: generated("postgres-password", 40),
          [k.postgresAdmin]: generated("postgres-admin-password", 40),
          [k.rabbitmq]: generated("rabbitmq-password", 40),
          [k.rabbitmqErlangCookie]: generated("rabbitmq-erlang-cookie", 48),
          [k.memcached]: generated("memcached-password", 40),
          [k.redis]: generated("redis-password", 40),
        }),
      },
      { ...o, dependsOn: [ns] },
    );
    new k8s.helm.v3.Release(
      `${name}-chart`,
      {
        name: "zulip",
        // OCI chart: no repositoryOpts (Helm pulls oci:// references directly).
        chart: ZULIP_CHART,
        version: args.version.chart,
        namespace: ZULIP_NAMESPACE,
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
