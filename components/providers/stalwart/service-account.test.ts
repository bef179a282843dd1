/**
 * The tenant provisioning account: created by the recovery admin with exactly the permissions
 * in permissions.ts, and enough for the whole MailDomain lifecycle, which then runs as it.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SimRequest } from "../../../test/simulators/fault-server";
import { DnsStub } from "../../../test/simulators/stalwart/dns-stub";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import { runSerialized } from "../../../test/support/run-serialized";
import type { MailDomainOutputs } from "./mail-domain.runtime";
import { TENANT_MAIL_PERMISSIONS } from "./permissions";
import { ServiceAccount } from "./service-account";
import type { ServiceAccountInputs, ServiceAccountOutputs } from "./service-account.runtime";
import { ApiConnection } from "../core/api-connection";
import { FAST, checked as checkedDomain, provider as domains, routed } from "./test-support";

const provider = routed("stalwart:ServiceAccount");
const sim = new StalwartSimulator({ password: "pw", dkimDelayMs: 50 });
const dns = new DnsStub();
let url = "";
let resolver = "";
const PASSWORD = "generated-password-0123456789abcdefghij";
const VERIFY = ["x:Domain/get", "x:DkimSignature/get"];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WithConnection = ServiceAccountInputs & Record<string, any>;
const inputs = (over: Partial<WithConnection> = {}): WithConnection => ({
  connection: { url, username: "admin", password: "pw" },
  name: "dezky-provisioner",
  domain: "dezky.test",
  purpose: "Tenant mail provisioning",
  permissions: [...TENANT_MAIL_PERMISSIONS],
  password: PASSWORD,
  verify: VERIFY,
  timeouts: FAST,
  ...over,
});
async function checked(raw: WithConnection) {
  const { inputs: out, failures } = await provider.check({}, raw);
  if (failures?.length) throw new Error(JSON.stringify(failures));
  return out as WithConnection;
}
const accountsNamed = (name: string) =>
  [...sim.registry.accounts.values()].filter((a) => a.name === name);

beforeAll(async () => {
  url = await sim.start();
  resolver = await dns.start();
  // The platform domain, as an older version marked it: the account still finds it.
  sim.registry.createDomain({
    name: "dezky.test",
    description: "[dezky-platform]",
    dkimManagement: { "@type": "Manual" },
  });
});
afterAll(async () => {
  await sim.stop();
  await dns.stop();
});
beforeEach(() => sim.server.clearFaults());

describe("ServiceAccount", () => {
  it("creates a role with exactly the tenant mail permissions and an account holding only it", async () => {
    const { id, outs } = await provider.create(await checked(inputs()));
    const o = outs as ServiceAccountOutputs;
    expect(o.login).toBe("dezky-provisioner@dezky.test");
    const role = sim.registry.principals.roles.get(o.roleId)!;
    expect(Object.keys(role.enabledPermissions as object).sort()).toEqual(
      [...TENANT_MAIL_PERMISSIONS].sort(),
    );
    expect(TENANT_MAIL_PERMISSIONS).toHaveLength(11);
    const account = sim.registry.accounts.get(id)!;
    expect(account.roles).toEqual({ "@type": "Custom", roleIds: { [o.roleId]: true } });
    expect(sim.registry.principals.accountPermissions(account)).toEqual(
      new Set(TENANT_MAIL_PERMISSIONS),
    );
    // The recovery admin is not what the account can do: no accounts, roles or settings.
    for (const denied of [
      "sysAccountCreate",
      "sysRoleCreate",
      "sysSystemSettingsUpdate",
      "sysCertificateGet",
    ]) {
      expect(sim.registry.principals.accountPermissions(account).has(denied)).toBe(false);
    }
  });

  it("is enough for a mail domain's whole life: create, activate, rotate, delete", async () => {
    const connection = { url, username: "dezky-provisioner@dezky.test", password: PASSWORD };
    const base = { connection, tenant: "acme", timeouts: FAST, dnsResolvers: [resolver] };
    const made = await domains.create(await checkedDomain({ ...base, domain: "lp.dezky.test" }));
    let outs = made.outs as MailDomainOutputs;
    const publish = () => {
      for (const k of outs.dkim)
        dns.txt.set(k.dnsName, [`v=DKIM1; k=${k.algorithm}; h=sha256; p=${k.publicKey}`]);
    };
    publish();
    const plain = await checkedDomain({ ...base, domain: "lp.dezky.test" });
    outs = (await domains.update(made.id, outs, plain)).outs as MailDomainOutputs;
    expect(sim.registry.signingSelectors(made.id)).toEqual(["dezky-ed25519-a", "dezky-rsa-a"]);
    const rotate = await checkedDomain({ ...base, domain: "lp.dezky.test", dkimRotation: "2" });
    outs = (await domains.update(made.id, outs, rotate)).outs as MailDomainOutputs;
    publish();
    outs = (await domains.update(made.id, outs, rotate)).outs as MailDomainOutputs;
    expect(sim.registry.signingSelectors(made.id)).toEqual(["dezky-ed25519-b", "dezky-rsa-b"]);
    await domains.delete(made.id, outs);
    expect(sim.registry.domains.has(made.id)).toBe(false);
  });

  it("fails its own create when the role lacks a permission the calls need", async () => {
    const weak = inputs({
      name: "weak-provisioner",
      purpose: "Weak provisioning",
      permissions: TENANT_MAIL_PERMISSIONS.filter((p) => p !== "sysDkimSignatureGet"),
    });
    await expect(provider.create(await checked(weak))).rejects.toThrow(
      /account weak-provisioner@dezky\.test \(checking its permissions\): POST \/jmap\/ x:DkimSignature\/get HTTP 403/,
    );
  });

  it("adopts its own role and account after lost responses: one of each", async () => {
    const create = (object: string) => ({
      path: "/jmap/",
      when: (req: SimRequest) => JSON.stringify(req.body).includes(`"x:${object}/set",{"create"`),
    });
    sim.server.inject({ kind: "lose-response" }, create("Role"));
    sim.server.inject({ kind: "lose-response" }, create("Account"));
    const { outs } = await provider.create(
      await checked(inputs({ name: "lost-provisioner", purpose: "Lost provisioning" })),
    );
    expect(accountsNamed("lost-provisioner")).toHaveLength(1);
    const roles = [...sim.registry.principals.roles.values()].filter(
      (r) => r.description === "Lost provisioning [dezky:platform]",
    );
    expect(roles.map((r) => r.id)).toEqual([(outs as ServiceAccountOutputs).roleId]);
  });

  it("changes the password in place and refuses an account it did not create", async () => {
    const first = await provider.create(
      await checked(inputs({ name: "rotating", purpose: "Rotating" })),
    );
    const next = await checked(
      inputs({ name: "rotating", purpose: "Rotating", password: `${PASSWORD}-next` }),
    );
    const diff = await provider.diff(first.id, first.outs as ServiceAccountOutputs, next);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    await provider.update(first.id, first.outs as ServiceAccountOutputs, next);
    const login = (pw: string) =>
      fetch(`${url}/jmap/session`, {
        headers: {
          authorization: `Basic ${Buffer.from(`rotating@dezky.test:${pw}`).toString("base64")}`,
        },
      }).then((r) => r.status);
    expect(await login(PASSWORD)).toBe(401);
    expect(await login(`${PASSWORD}-next`)).toBe(200);
    // Another admin credential is no change at all.
    expect(
      await provider.diff(first.id, first.outs as ServiceAccountOutputs, {
        ...(await checked(
          inputs({ name: "rotating", purpose: "Rotating", password: `${PASSWORD}-next` }),
        )),
        connection: { url, token: "t" },
      }),
    ).toMatchObject({ changes: true, replaces: [] });

    sim.seedUser("someone@dezky.test", { password: "x", permissions: ["authenticate"] });
    sim.registry.accounts.get(
      [...sim.registry.accounts.values()].find((a) => a.name === "someone")!.id,
    )!.description = "a person";
    await expect(
      provider.create(await checked(inputs({ name: "someone", purpose: "Someone" }))),
    ).rejects.toThrow(
      /account someone@dezky\.test \(id .*\) already exists and was not created by this program/,
    );
  });

  it("read reports a changed role; delete removes account and role", async () => {
    const { id, outs } = await provider.create(
      await checked(inputs({ name: "gone", purpose: "Gone" })),
    );
    const o = outs as ServiceAccountOutputs;
    (
      sim.registry.principals.roles.get(o.roleId)!.enabledPermissions as Record<string, boolean>
    ).sysAccountCreate = true;
    const read = (await provider.read(id, o)).props as ServiceAccountOutputs;
    expect(read.permissions).toContain("sysAccountCreate");
    expect(
      (await provider.diff(id, read, await checked(inputs({ name: "gone", purpose: "Gone" }))))
        .changes,
    ).toBe(true);
    await provider.delete(id, o);
    expect(sim.registry.accounts.has(id)).toBe(false);
    expect(sim.registry.principals.roles.has(o.roleId)).toBe(false);
    expect(await provider.read(id, o)).toEqual({ id: "", props: {} });
    await provider.delete(id, o); // gone = done
  });

  it("marks the password secret and runs serialized under plain Node", async () => {
    let secretOutputs: string[] | undefined;
    await pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) },
      "dezky",
      "test",
      false,
    );
    const { connection, timeouts: _t, ...plain } = inputs();
    const api = new ApiConnection("admin-api", { service: "stalwart-admin", connection });
    const res = new ServiceAccount(
      "sa",
      { ...plain, password: pulumi.secret(PASSWORD) },
      {
        provider: api,
        transformations: [
          (args) => {
            secretOutputs = (args.opts as pulumi.CustomResourceOptions).additionalSecretOutputs;
            return undefined;
          },
        ],
      },
    );
    await new Promise<void>((resolve) => res.urn.apply(() => resolve()));
    expect(secretOutputs).toEqual(["password"]);
    expect(await pulumi.isSecret(res.password)).toBe(true);

    const run = await runSerialized({
      module: "components/providers/stalwart/service-account.js",
      exportName: "ServiceAccount",
      name: "ser-account",
      service: "stalwart-admin",
      connection,
      inputs: { ...plain, name: "serialized", purpose: "Serialized" },
      steps: ["create", "read", "delete"],
    });
    expect(run.provider).not.toContain(PASSWORD);
    expect(run.provider).not.toContain(url);
    expect((run.results.create as { outs: ServiceAccountOutputs }).outs.login).toBe(
      "serialized@dezky.test",
    );
    expect(run.results.delete).toBe("ok");
    expect(accountsNamed("serialized")).toHaveLength(0);
  });
});
