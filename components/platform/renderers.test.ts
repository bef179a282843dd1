import { describe, expect, it } from "vitest";
import * as YAML from "yaml";
import {
  platformBlueprint,
  issuerUrl,
  OCIS_CLIENT_ID,
  PORTAL_CLIENT_ID,
} from "./authentik-blueprint";
import { authentikValues, AUTHENTIK_ENV_SECRET } from "./authentik-values";
import {
  clusterIssuers,
  hetznerWebhookValues,
  wildcardCertificate,
  WILDCARD_SECRET,
  traefikDefaultTlsStore,
} from "./cert-manager-values";
import { collaboraValues } from "./collabora-values";
import {
  OCIS_WOPI_SRC,
  ocisDeployment,
  ocisEnv,
  ocisMetadataPvc,
  ocisConfigFiles,
} from "./ocis-manifests";
import {
  mongoStatefulSet,
  mongoUri,
  portalDeployment,
  provisioningDeployment,
} from "./portal-manifests";
import { postgresStatefulSet } from "./postgres-manifests";
import { zulipValues } from "./zulip-values";

const tags = ["!Find", "!KeyOf", "!Env"].map((tag) => ({
  tag,
  resolve: (value: unknown) => ({ [tag]: value }),
  collection: undefined,
}));
function parseBlueprint(text: string) {
  const customTags = [
    ...tags.map((t) => ({ tag: t.tag, resolve: (s: string) => ({ [t.tag]: s }) })),
    ...tags.map((t) => ({
      tag: t.tag,
      collection: "seq" as const,
      resolve: (s: YAML.YAMLSeq) => ({ [t.tag]: s.toJSON() }),
    })),
  ];
  return YAML.parse(text, { customTags }) as {
    entries: {
      model: string;
      identifiers: Record<string, unknown>;
      attrs?: Record<string, unknown>;
    }[];
  };
}

const ocisOptions = {
  domain: "dezky.eu",
  cell: "c",
  version: "7.1.3",
  s3: { endpoint: "https://fsn1.your-objectstorage.com", region: "fsn1", bucket: "b" },
  metadataGi: 20,
};
const portalOptions = {
  domain: "dezky.eu",
  cell: "c",
  mongoImage: "mongo:7",
  portalImage: "p:1",
  provisioningImage: "q:1",
};

type Container = {
  name: string;
  resources?: { requests?: object; limits?: object };
  readinessProbe?: object;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
};
const containersOf = (w: { spec: { template: { spec: { containers: Container[] } } } }) =>
  w.spec.template.spec.containers;

describe("Authentik blueprint", () => {
  const entries = parseBlueprint(platformBlueprint({ domain: "dezky.eu", zulip: false })).entries;
  const byModel = (model: string) => entries.filter((e) => e.model === model);

  it("declares the OCIS app (public, client_credentials for the service identity) and the portal app with the groups scope", () => {
    const providers = byModel("authentik_providers_oauth2.oauth2provider");
    const ocis = providers.find((p) => p.attrs?.client_id === OCIS_CLIENT_ID)!;
    expect(ocis.attrs).toMatchObject({ client_type: "public" });
    expect(ocis.attrs?.grant_types).toContain("client_credentials");
    const portal = providers.find((p) => p.attrs?.client_id === PORTAL_CLIENT_ID)!;
    expect(portal.attrs?.property_mappings).toContainEqual({ "!KeyOf": "scope-groups" });
    expect(portal.attrs?.client_secret).toEqual({ "!Env": "DEZKY_PORTAL_CLIENT_SECRET" });
    expect(byModel("authentik_core.application").map((a) => a.identifiers.slug)).toEqual([
      "ocis",
      "portal",
    ]);
  });

  it("creates the OCIS service account in the OCIS admin group with an app password from the environment", () => {
    const user = byModel("authentik_core.user")[0];
    expect(user.attrs).toMatchObject({
      type: "service_account",
      email: "dezky-ocis-provisioner@dezky.eu",
      groups: [{ "!KeyOf": "group-ocis-admins" }],
    });
    const token = byModel("authentik_core.token")[0];
    expect(token.attrs).toMatchObject({
      intent: "app_password",
      key: { "!Env": "DEZKY_OCIS_SERVICE_PASSWORD" },
    });
  });

  it("adds Zulip only when the environment enables it", () => {
    const withZulip = parseBlueprint(
      platformBlueprint({ domain: "dezky.eu", zulip: true }),
    ).entries;
    expect(
      withZulip
        .filter((e) => e.model === "authentik_core.application")
        .map((a) => a.identifiers.slug),
    ).toContain("zulip");
  });
});

describe("Authentik values", () => {
  it("feeds every secret through the env Secret and sets no secret value", () => {
    const values = authentikValues({ domain: "dezky.eu", appVersion: "2026.8.3" });
    expect(values.global.envFrom).toEqual([{ secretRef: { name: AUTHENTIK_ENV_SECRET } }]);
    expect(JSON.stringify(values)).not.toMatch(/secret_key|password"\s*:/i);
    expect(values.server.readinessProbe.httpGet.path).toBe("/-/health/ready/");
    expect(values.server.resources.limits.memory).toBeTruthy();
    expect(values.worker.resources.requests.cpu).toBeTruthy();
  });
});

describe("cert-manager", () => {
  it("solves DNS-01 through the webhook group it installs, and HTTP-01 as a second issuer", () => {
    const [dns, http] = clusterIssuers({ acmeEmail: "ops@dezky.eu" });
    const solver = dns.spec.acme.solvers[0] as { dns01: { webhook: { groupName: string } } };
    expect(solver.dns01.webhook.groupName).toBe(hetznerWebhookValues().groupName);
    expect(http.spec.acme.solvers[0]).toHaveProperty("http01");
    expect(dns.spec.acme.server).toBe("https://acme-v02.api.letsencrypt.org/directory");
  });

  it("issues the apex + wildcard into Traefik's default certificate", () => {
    expect(wildcardCertificate("staging.dezky.eu").spec.dnsNames).toEqual([
      "staging.dezky.eu",
      "*.staging.dezky.eu",
    ]);
    expect(traefikDefaultTlsStore().spec.defaultCertificate.secretName).toBe(WILDCARD_SECRET);
  });
});

describe("OCIS", () => {
  const env = ocisEnv(ocisOptions);
  it("uses s3ng on the cell bucket, Authentik as IdP, explicit groups claim and OIDC roles", () => {
    expect(env).toMatchObject({
      STORAGE_USERS_DRIVER: "s3ng",
      STORAGE_USERS_S3NG_BUCKET: "b",
      OCIS_OIDC_ISSUER: issuerUrl("dezky.eu", "ocis"),
      PROXY_AUTOPROVISION_ACCOUNTS: "true",
      PROXY_AUTOPROVISION_CLAIM_GROUPS: "groups",
      PROXY_ROLE_ASSIGNMENT_DRIVER: "oidc",
      OCIS_EXCLUDE_RUN_SERVICES: "idp",
      COLLABORATION_APP_ADDR: "https://office.dezky.eu",
    });
    expect(ocisConfigFiles("dezky.eu")["proxy.yaml"]).toContain("claim_value: dezkyOcisSpaceAdmin");
  });

  it("reads the S3 keys from a Secret, never as literal values", () => {
    for (const c of containersOf(ocisDeployment(ocisOptions))) {
      const keys = c.env!.filter(
        (e) => e.name.startsWith("STORAGE_USERS_S3NG_") && e.name.endsWith("_KEY"),
      );
      expect(keys.map((k) => k.name).sort()).toEqual([
        "STORAGE_USERS_S3NG_ACCESS_KEY",
        "STORAGE_USERS_S3NG_SECRET_KEY",
      ]);
      for (const k of keys) expect(k.value).toBeUndefined();
    }
  });

  it("keeps metadata on the ocis-metadata PVC in namespace ocis, marked for backup", () => {
    const pvc = ocisMetadataPvc({ cell: "c", metadataGi: 20 });
    expect(pvc.metadata).toMatchObject({ name: "ocis-metadata", namespace: "ocis" });
    expect(pvc.metadata.labels["dezky.eu/backup"]).toBe("true");
    expect(
      ocisDeployment(ocisOptions).spec.template.spec.volumes[0].persistentVolumeClaim?.claimName,
    ).toBe("ocis-metadata");
  });

  it("lets Collabora call back the collaboration service only", () => {
    expect(collaboraValues({ domain: "dezky.eu", appVersion: "1" }).collabora.aliasgroups).toEqual([
      { host: OCIS_WOPI_SRC },
    ]);
  });
});

describe("portal and provisioning", () => {
  it("validates Authentik tokens with issuer, JWKS and the portal audience; secrets by reference", () => {
    const env = Object.fromEntries(
      containersOf(provisioningDeployment(portalOptions))[0].env!.map((e) => [e.name, e]),
    );
    expect(env.OIDC_JWKS_URI.value).toBe("https://auth.dezky.eu/application/o/portal/jwks/");
    expect(env.OIDC_AUDIENCE.value).toBe(PORTAL_CLIENT_ID);
    for (const k of ["MONGODB_URI", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"])
      expect(env[k].valueFrom).toBeDefined();
    const portal = Object.fromEntries(
      containersOf(portalDeployment(portalOptions))[0].env!.map((e) => [e.name, e]),
    );
    expect(portal.OIDC_SCOPES.value).toContain("groups");
    expect(portal.OIDC_CLIENT_SECRET.valueFrom).toBeDefined();
  });

  it("points the provisioning service at mongodb.portal and escapes the password", () => {
    expect(mongoUri("u", "p@ss/w")).toBe(
      "mongodb://u:p%40ss%2Fw@mongodb.portal.svc.cluster.local:27017/provisioning?authSource=admin",
    );
  });
});

describe("every workload rendered here", () => {
  const workloads = {
    ocis: ocisDeployment(ocisOptions),
    portal: portalDeployment(portalOptions),
    provisioning: provisioningDeployment(portalOptions),
    mongodb: mongoStatefulSet(portalOptions),
    postgres: postgresStatefulSet({
      name: "pg",
      namespace: "a",
      image: "postgres:16",
      database: "d",
      user: "u",
      passwordSecret: "s",
      storageGi: 1,
      cell: "c",
    }),
  };
  it.each(Object.entries(workloads))(
    "%s has requests, limits and a readiness probe on every container",
    (_n, w) => {
      for (const c of containersOf(w)) {
        expect(c.resources?.requests).toBeDefined();
        expect(c.resources?.limits).toBeDefined();
        expect(c.readinessProbe).toBeDefined();
      }
    },
  );

  it("sets resources and probes for the charts through the keys the charts read", () => {
    const z = zulipValues({ domain: "dezky.eu", appVersion: "12.1-0", adminEmail: "ops@dezky.eu" });
    const c = collaboraValues({ domain: "dezky.eu", appVersion: "1" });
    for (const v of [z, c]) expect(v.resources.limits).toBeDefined();
    // Collabora: probes.* (the chart has no readinessProbe key); Zulip 2.1.0 keeps its own
    // liveness/startup probes (enabled by default in the chart).
    expect(c.probes.readiness.enabled).toBe(true);
    expect(c).not.toHaveProperty("readinessProbe");
  });
});
