/** The customer portal, the provisioning service and their MongoDB (namespace "portal"). */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ingressSpec } from "./k8s-shapes";
import {
  MONGODB_SECRET,
  MONGODB_SERVICE,
  PORTAL_NAMESPACE,
  PORTAL_SECRET,
  PROVISIONING_SECRET,
  clusterService,
  mongoStatefulSet,
  mongoUri,
  portalDeployment,
  provisioningDeployment,
} from "./portal-manifests";

export interface PortalArgs {
  provider: k8s.Provider;
  domain: string;
  cell: string;
  images: { mongodb: string; portal: string; provisioning: string };
  /** The portal's OIDC client secret (secret; also declared in the Authentik blueprint). */
  oidcClientSecret: pulumi.Input<string>;
  stripeSecretKey: pulumi.Input<string>;
  stripeWebhookSecret: pulumi.Input<string>;
  production: boolean;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Portal extends pulumi.ComponentResource {
  readonly appUrl: string;
  readonly apiUrl: string;
  /** The portal namespace (tenants' own-domain Ingresses live in it). */
  readonly namespace: k8s.core.v1.Namespace;

  constructor(name: string, args: PortalArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dezky:platform:Portal", name, {}, opts);
    const o = { parent: this, provider: args.provider };
    const secret = (role: string, length: number) =>
      pulumi.secret(
        new random.RandomPassword(`${name}-${role}`, { length, special: false }, { parent: this })
          .result,
      );
    const mongoPassword = secret("mongodb-password", 40);
    const tokenKey = secret("token-key", 64);

    const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: PORTAL_NAMESPACE } }, o);
    this.namespace = ns;
    const inNs = { ...o, dependsOn: [ns] };
    const mongoSecret = new k8s.core.v1.Secret(
      `${name}-mongodb-secret`,
      {
        metadata: { name: MONGODB_SECRET, namespace: PORTAL_NAMESPACE },
        // `uri` is read by the backup CronJob (components/storage/k8s-backup.ts).
        stringData: pulumi.secret({
          username: "provisioning",
          password: mongoPassword,
          uri: mongoPassword.apply((p) => mongoUri("provisioning", p)),
        }),
      },
      inNs,
    );
    const portalSecret = new k8s.core.v1.Secret(
      `${name}-portal-secret`,
      {
        metadata: { name: PORTAL_SECRET, namespace: PORTAL_NAMESPACE },
        stringData: pulumi.secret({ oidcClientSecret: args.oidcClientSecret, tokenKey }),
      },
      inNs,
    );
    const provisioningSecret = new k8s.core.v1.Secret(
      `${name}-provisioning-secret`,
      {
        metadata: { name: PROVISIONING_SECRET, namespace: PORTAL_NAMESPACE },
        stringData: pulumi.secret({
          mongodbUri: mongoPassword.apply((p) => mongoUri("provisioning", p)),
          stripeSecretKey: args.stripeSecretKey,
          stripeWebhookSecret: args.stripeWebhookSecret,
        }),
      },
      inNs,
    );
    const options = {
      domain: args.domain,
      cell: args.cell,
      mongoImage: args.images.mongodb,
      portalImage: args.images.portal,
      provisioningImage: args.images.provisioning,
    };
    const mongo = new k8s.apps.v1.StatefulSet(`${name}-mongodb`, mongoStatefulSet(options), {
      ...o,
      dependsOn: [mongoSecret],
      protect: args.production,
      retainOnDelete: args.production,
    });
    new k8s.core.v1.Service(
      `${name}-mongodb-svc`,
      clusterService(MONGODB_SERVICE, args.cell, 27017, 27017),
      inNs,
    );
    new k8s.apps.v1.Deployment(`${name}-portal`, portalDeployment(options), {
      ...o,
      dependsOn: [portalSecret, ...(args.dependsOn ?? [])],
    });
    new k8s.apps.v1.Deployment(`${name}-provisioning`, provisioningDeployment(options), {
      ...o,
      dependsOn: [provisioningSecret, mongo, ...(args.dependsOn ?? [])],
    });
    new k8s.core.v1.Service(
      `${name}-portal-svc`,
      clusterService("portal", args.cell, 80, 3000),
      inNs,
    );
    new k8s.core.v1.Service(
      `${name}-provisioning-svc`,
      clusterService("provisioning", args.cell, 80, 8080),
      inNs,
    );
    this.appUrl = `https://app.${args.domain}`;
    this.apiUrl = `https://api.${args.domain}`;
    new k8s.networking.v1.Ingress(
      `${name}-app-ingress`,
      {
        metadata: { name: "portal", namespace: PORTAL_NAMESPACE },
        spec: ingressSpec(`app.${args.domain}`, "portal", 80),
      },
      inNs,
    );
    new k8s.networking.v1.Ingress(
      `${name}-api-ingress`,
      {
        metadata: { name: "provisioning", namespace: PORTAL_NAMESPACE },
        spec: ingressSpec(`api.${args.domain}`, "provisioning", 80),
      },
      inNs,
    );
    this.registerOutputs({ appUrl: this.appUrl, apiUrl: this.apiUrl });
  }
}
