/**
 * The OCIS provisioning identity end to end, from the files we deploy: the Authentik blueprint
 * (service account, its groups and e-mail, the `roles` scope expression) produces the claims;
 * the OCIS manifests (proxy env and proxy.yaml role_mapping) configure the simulator's proxy;
 * then the providers create a tenant's group, space and grant with that identity. The
 * simulator enforces what OCIS 7.1 does: autoprovisioning needs a valid e-mail, one role per
 * user from the first matching mapping, POST /groups only for Accounts.ReadWrite (Admin).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { create } from "../providers/test-kit";
import { waitUntilReady } from "../providers/readiness/probe";
import { ocisOps } from "../../test/simulators/ocis/ocis-ops";
import { FaultServer } from "../../test/simulators/fault-server";
import {
  isValidEmail,
  ROLE_IDS,
  type Claims,
  type OcisRoleName,
  type ProxyConfig,
} from "../../test/simulators/ocis/ocis-identity";
import { OcisSimulator } from "../../test/simulators/ocis/ocis-simulator";
import { OCIS_SERVICE_USER, platformBlueprint } from "./authentik-blueprint";
import { ocisConfigFiles, ocisEnv, OCIS_PROVISIONER_ROLE } from "./ocis-manifests";

const DOMAIN = "dezky.eu";
type Entry = {
  model: string;
  id?: string;
  identifiers: Record<string, unknown>;
  attrs?: Record<string, unknown>;
};

function blueprintEntries(): Entry[] {
  const tag = (name: string) => [
    { tag: name, resolve: (s: string) => ({ [name]: s }) },
    {
      tag: name,
      collection: "seq" as const,
      resolve: (s: YAML.YAMLSeq) => ({ [name]: s.toJSON() }),
    },
  ];
  const customTags = ["!Find", "!KeyOf", "!Env"].flatMap(tag);
  return (
    YAML.parse(platformBlueprint({ domain: DOMAIN, zulip: false }), { customTags }) as {
      entries: Entry[];
    }
  ).entries;
}

/**
 * Evaluates the `roles` scope expression for a user's group names. It understands exactly the
 * shape the blueprint writes (`if "<g>" in names [or ...]:` / `return {...}`) and throws on
 * anything else, so a rewritten expression fails here instead of passing unchecked.
 */
function evaluateRolesExpression(expression: string, groups: string[]): Claims {
  const lines = expression
    .trim()
    .split("\n")
    .map((l) => l.trim());
  if (!lines[0].startsWith("names = ")) throw new Error(`unexpected first line: ${lines[0]}`);
  for (let i = 1; i < lines.length; i++) {
    const cond = /^if (.+):$/.exec(lines[i]);
    if (cond) {
      const wanted = cond[1].split(" or ").map((part) => {
        const m = /^"([^"]+)" in names$/.exec(part.trim());
        if (!m) throw new Error(`unexpected condition: ${part}`);
        return m[1];
      });
      const ret = /^return (.+)$/.exec(lines[++i]);
      if (!ret) throw new Error(`unexpected line: ${lines[i]}`);
      if (wanted.some((g) => groups.includes(g))) return JSON.parse(ret[1]) as Claims;
      continue;
    }
    const ret = /^return (.+)$/.exec(lines[i]);
    if (ret) return JSON.parse(ret[1]) as Claims;
    throw new Error(`unexpected line: ${lines[i]}`);
  }
  throw new Error("expression returns nothing");
}

/** The claims Authentik issues for the OCIS service account, from the blueprint. */
function serviceAccountClaims(): Claims {
  const entries = blueprintEntries();
  const user = entries.find((e) => e.model === "authentik_core.user")!;
  const groupKeys = (user.attrs?.groups as { "!KeyOf": string }[]).map((g) => g["!KeyOf"]);
  const groups = groupKeys.map((key) =>
    String(entries.find((e) => e.id === key)!.identifiers.name),
  );
  const scope = entries.find((e) => e.id === "scope-ocis-roles")!;
  return {
    preferred_username: user.identifiers.username,
    name: user.attrs?.name,
    email: user.attrs?.email,
    groups,
    ...evaluateRolesExpression(String(scope.attrs?.expression), groups),
  };
}

/** The proxy settings of our manifests, as the simulator takes them. */
function proxyFromManifests(): ProxyConfig {
  const env = ocisEnv({
    domain: DOMAIN,
    cell: "c",
    version: "7.1.3",
    s3: { endpoint: "", region: "", bucket: "" },
    metadataGi: 1,
  });
  const proxy = YAML.parse(ocisConfigFiles(DOMAIN)["proxy.yaml"]) as {
    role_assignment: {
      driver: string;
      oidc_role_mapper: {
        role_claim: string;
        role_mapping: { role_name: OcisRoleName; claim_value: string }[];
      };
    };
  };
  expect(proxy.role_assignment.driver).toBe(env.PROXY_ROLE_ASSIGNMENT_DRIVER);
  return {
    userOidcClaim: env.PROXY_USER_OIDC_CLAIM,
    autoprovision: env.PROXY_AUTOPROVISION_ACCOUNTS === "true",
    claims: {
      username: env.PROXY_AUTOPROVISION_CLAIM_USERNAME,
      email: env.PROXY_AUTOPROVISION_CLAIM_EMAIL,
      displayName: env.PROXY_AUTOPROVISION_CLAIM_DISPLAYNAME,
    },
    roleClaim: proxy.role_assignment.oidc_role_mapper.role_claim,
    roleMapping: proxy.role_assignment.oidc_role_mapper.role_mapping,
  };
}

const claims = serviceAccountClaims();
const sim = new OcisSimulator({ proxy: proxyFromManifests() });
const token = sim.issueToken(claims);
let connection: { url: string; token: string };

beforeAll(async () => {
  connection = { url: await sim.start(), token };
});
afterAll(() => sim.stop());

describe("the OCIS provisioning identity, as deployed", () => {
  it("has a username and a valid e-mail, so OCIS can autoprovision it", () => {
    expect(claims.preferred_username).toBe(OCIS_SERVICE_USER);
    expect(isValidEmail(String(claims.email))).toBe(true);
  });

  it("maps to the OCIS Admin role, the only built-in role allowed to create groups", () => {
    expect(sim.userFor(token).role).toBe("admin");
    expect(OCIS_PROVISIONER_ROLE.roleId).toBe(ROLE_IDS.admin);
  });

  it("creates a tenant's group, space and grant", async () => {
    const { groupProvider, spaceProvider, spaceMemberProvider } = ocisOps(connection);
    const group = await create(groupProvider, {
      tenant: "acme",
      displayName: "dezky-acme",
    });
    const space = await create(spaceProvider, {
      tenant: "acme",
      key: "main",
      name: "Acme",
      quotaBytes: 1e9,
      enabled: true,
    });
    const member = await create(spaceMemberProvider, {
      tenant: "acme",
      driveId: space.id,
      groupId: group.id,
      role: "editor",
    });
    expect(sim.groups.get(group.id)?.displayName).toBe("dezky-acme");
    expect(member.id).toBe(`g:${group.id}`);
  });

  it("passes the readiness gate's role check", async () => {
    const idp = new FaultServer(() => ({
      status: 200,
      body: { access_token: token, token_type: "bearer" },
    }));
    const idpUrl = await idp.start();
    try {
      const result = await waitUntilReady(
        {
          service: "OCIS",
          url: `${sim.url}/graph/v1.0/me`,
          acceptStatus: [200],
          credentials: {
            tokenUrl: `${idpUrl}/t`,
            clientId: "c",
            username: "u",
            password: "p",
            scope: "openid",
          },
          requireRole: OCIS_PROVISIONER_ROLE,
        },
        { sleep: async () => undefined },
      );
      expect(result.status).toBe(200);
    } finally {
      await idp.stop();
    }
  });
});
