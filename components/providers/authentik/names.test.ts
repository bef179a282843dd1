/** Pure naming, body and diff rules, tested without a server. */
import { describe, expect, it } from "vitest";
import {
  desiredApp,
  diffApplication,
  inertApp,
  observeBindings,
  type ApplicationOutputs,
} from "./application.runtime";
import { creationBudget, REQUESTS } from "./budget";
import {
  applicationSlug,
  checkSlug,
  clientId,
  groupAttributes,
  isOwnGroup,
  issuerUrl,
  redirectUris,
  sameSet,
  tenantGroupName,
  TENANT_GROUP_PREFIX,
} from "./names";
import { providerBody } from "./oauth2-provider.runtime";

const app = {
  tenant: "acme",
  name: "Acme",
  provider: 7,
  accessGroup: "g1",
  launchUrl: "https://acme.test/",
};

describe("names", () => {
  it("derives reserved-prefix names that cannot collide between tenants and departments", () => {
    expect(TENANT_GROUP_PREFIX).toBe("dezky-");
    expect(tenantGroupName("acme")).toBe("dezky-acme");
    expect(tenantGroupName("acme", "sales")).toBe("dezky-acme--sales");
    expect(checkSlug("tenant", "acme-sales")).toBeUndefined();
    expect(checkSlug("tenant", "acme--sales")).toMatch(/single hyphens/);
    expect(checkSlug("tenant", "Acme")).toMatch(/lowercase/);
    expect(applicationSlug("acme")).toBe("dezky-acme");
    expect(clientId("acme")).toBe("dezky-acme");
    expect(issuerUrl("https://auth.test/", "acme")).toBe(
      "https://auth.test/application/o/dezky-acme/",
    );
  });

  it("marks groups as owned per tenant and department", () => {
    const attrs = groupAttributes("acme", "sales", { colour: "blue" });
    expect(isOwnGroup(attrs, "acme", "sales")).toBe(true);
    expect(isOwnGroup(attrs, "acme")).toBe(false);
    expect(isOwnGroup(groupAttributes("acme", undefined), "other")).toBe(false);
    expect(isOwnGroup({ dezky_tenant: "acme" }, "acme")).toBe(false);
    // Groups older versions marked are still recognised as ours.
    expect(isOwnGroup({ dezky_tenant: "acme", dezky_managed_by: "dezky-infra" }, "acme")).toBe(
      true,
    );
    expect(isOwnGroup({ dezky_tenant: "acme", dezky_managed_by: "someone" }, "acme")).toBe(false);
  });

  it("builds strict redirect URIs with a logout entry and explicit grant types", () => {
    expect(redirectUris(["https://a/cb", "https://a/cb"], ["https://a/"])).toEqual([
      { matching_mode: "strict", url: "https://a/cb", redirect_uri_type: "authorization" },
      { matching_mode: "strict", url: "https://a/", redirect_uri_type: "logout" },
    ]);
    const body = providerBody(
      { tenant: "acme", redirectUris: ["https://a/cb"], logoutRedirectUris: [] },
      { authorizationFlow: "f1", invalidationFlow: "f2", signingKey: "k", propertyMappings: ["m"] },
    );
    expect(body).toMatchObject({
      clientType: "confidential",
      clientId: "dezky-acme",
      grantTypes: ["authorization_code", "refresh_token"],
      invalidationFlow: "f2",
    });
    expect(sameSet(["b", "a"], ["a", "b"])).toBe(true);
    expect(sameSet(["a"], ["a", "b"])).toBe(false);
  });
});

describe("application state", () => {
  it("creates inert (no provider, no launch URL, hidden), suspends by detaching the provider", () => {
    expect(inertApp(app)).toMatchObject({ provider: null, metaHide: true });
    expect(inertApp(app)).not.toHaveProperty("metaLaunchUrl");
    expect(desiredApp(app)).toMatchObject({
      provider: 7,
      metaHide: false,
      metaLaunchUrl: "https://acme.test/",
    });
    expect(desiredApp({ ...app, enabled: false })).toMatchObject({
      provider: null,
      metaHide: true,
      metaLaunchUrl: "https://acme.test/",
    });
  });

  it("diff flags a missing, disabled or extra binding and field drift", () => {
    const binding = observeBindings(
      [{ pk: "b1", group: "g1", enabled: true, negate: false }],
      "g1",
    );
    const olds = {
      ...app,
      slug: "dezky-acme",
      applicationId: "a",
      bindingId: "b1",
      observed: desiredApp(app),
      binding,
    } as ApplicationOutputs;
    expect(diffApplication(olds, app)).toEqual([]);
    expect(diffApplication({ ...olds, binding: observeBindings([], "g1") }, app)).toEqual([
      "accessGroup",
    ]);
    expect(diffApplication({ ...olds, binding: { ...binding, enabled: false } }, app)).toEqual([
      "accessGroup",
    ]);
    expect(diffApplication({ ...olds, binding: { ...binding, others: ["b2"] } }, app)).toEqual([
      "accessGroup",
    ]);
    expect(diffApplication(olds, { ...app, enabled: false })).toEqual(["provider", "enabled"]);
    expect(diffApplication(olds, { ...app, icon: "fa://x" })).toEqual(["icon"]);
  });
});

describe("budget", () => {
  it("adds per-run lookups once and per-tenant requests per tenant", () => {
    expect(creationBudget(0)).toBe(0);
    expect(creationBudget(1)).toBe(REQUESTS.lookupsPerRun + 5);
    expect(creationBudget(50, 2)).toBe(REQUESTS.lookupsPerRun + 50 * 7);
  });
});
