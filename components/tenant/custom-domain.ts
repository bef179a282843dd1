/**
 * A tenant's own portal domain (e.g. cloud.kanzlei-weber.de): a cert-manager Certificate by
 * HTTP-01 (the customer's zone is not ours, so no DNS-01) and an Ingress routing the host to
 * the portal. The customer points the name at the tenant subdomain with a CNAME.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ingressSpec } from "../platform/k8s-shapes";

export const TENANT_CUSTOM_DOMAIN_TYPE = "dezky:tenant:TenantCustomDomain";

export interface TenantCustomDomainArgs {
  tenant: string;
  domain: string;
  /** The tenant subdomain the customer's CNAME points at. */
  target: string;
  provider: k8s.Provider;
  clusterIssuer: string;
  namespace: string;
  /** The portal's Service (name, port). */
  portalService: { name: string; port: number };
  /**
   * cert-manager's CRDs, the ClusterIssuer and the namespace (Platform.customDomainPrerequisites):
   * on a fresh cell the Certificate would otherwise race them and fail.
   */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** The record the customer sets at their registrar. */
export function customDomainRecord(domain: string, target: string): string {
  return `${domain}. 3600 IN CNAME ${target}.`;
}

export class TenantCustomDomain extends pulumi.ComponentResource {
  constructor(name: string, args: TenantCustomDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TENANT_CUSTOM_DOMAIN_TYPE, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const secretName = `tenant-${args.tenant}-portal-tls`;
    const certificate = new k8s.apiextensions.CustomResource(
      `${name}-certificate`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: `tenant-${args.tenant}-portal`, namespace: args.namespace },
        spec: {
          secretName,
          dnsNames: [args.domain],
          issuerRef: { kind: "ClusterIssuer", name: args.clusterIssuer },
        },
      },
      { ...child, dependsOn: args.dependsOn },
    );
    new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: { name: `tenant-${args.tenant}-portal`, namespace: args.namespace },
        spec: {
          ...ingressSpec(args.domain, args.portalService.name, args.portalService.port),
          tls: [{ hosts: [args.domain], secretName }],
        },
      },
      { ...child, dependsOn: [certificate, ...args.dependsOn] },
    );
    this.registerOutputs({});
  }
}
