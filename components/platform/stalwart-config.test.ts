/**
 * The Stalwart configuration component under Pulumi's mock runtime: server settings from the
 * cell's exposure, the host restart keyed on listener changes, and a tenant connection that is
 * the least-privilege account, never the recovery admin.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiConnection, stalwart } from "@dezky/providers";
import { PUBLIC_PORTS } from "../host/firewall-policy";
import { mockState } from "../../scripts/lib/mock-outputs";
import { StalwartConfig } from "./stalwart-config";
import { stalwartRestartScript } from "./stalwart-install";
import { STALWART_HTTP_PORT, STALWART_LISTENERS, STALWART_SERVICES } from "./stalwart-render";

const created: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const plain = (v: unknown): unknown =>
  v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG]
    ? (v as { value: unknown }).value
    : v;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        created.push({ type: args.type, name: args.name, inputs: args.inputs });
        return mockState(args.type, args.name, args.inputs as Record<string, unknown>);
      },
      call: () => ({}),
    },
    "dezky",
    "test",
    false,
  );
});

const value = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((resolve) => output.apply((v) => resolve(v)));

const { TENANT_MAIL_PERMISSIONS } = stalwart;

describe("StalwartConfig", () => {
  it("configures the server with the recovery admin and hands tenants the provisioning account", async () => {
    const ready = new pulumi.ComponentResource("test:index:Ready", "ready");
    const adminApi = new ApiConnection("admin-api", {
      service: "stalwart-admin",
      connection: { url: "https://mail.dezky.test", username: "admin", password: "recovery" },
    });
    const config = new StalwartConfig("s", {
      adminApi,
      sshConnection: { host: "192.0.2.10", user: "root" },
      url: "https://mail.dezky.test",
      domain: "dezky.test",
      dependsOn: [ready],
    });
    await value(config.tenantApi.urn);
    await new Promise((r) => setTimeout(r, 50));
    // The tenants' connection: the provisioning account, a secret of its own provider resource.
    expect(config.tenantApi.service).toBe("stalwart");
    const tenantApi = created.find((r) => r.name === "s-tenant-api")!;
    expect(tenantApi.type).toBe("pulumi:providers:pulumi-nodejs");
    const connection = plain(tenantApi.inputs["dezky:connection"]) as {
      username: string;
      password: string;
    };
    expect(connection.username).toBe("dezky-provisioner@dezky.test");
    expect(connection.password).not.toBe("recovery");

    const settings = created.find(
      (r) => r.type === "pulumi-nodejs:dynamic/stalwart:ServerSettings",
    )!;
    expect(settings.inputs).not.toHaveProperty("connection");
    expect(settings.inputs).toMatchObject({
      hostname: "mail.dezky.test",
      defaultDomain: "dezky.test",
      certificate: {
        certificatePath: "/etc/stalwart/tls/tls.crt",
        privateKeyPath: "/etc/stalwart/tls/tls.key",
      },
      listeners: STALWART_LISTENERS,
      services: STALWART_SERVICES,
    });
    const restart = created.find((r) => r.name === "s-restart")!;
    expect(restart.inputs.create).toBe(stalwartRestartScript());
    // Keyed on the listener set the program asks for: known in a preview, changes only with it.
    expect(restart.inputs.triggers).toEqual([JSON.stringify(STALWART_LISTENERS)]);
    const account = created.find(
      (r) => r.type === "pulumi-nodejs:dynamic/stalwart:ServiceAccount",
    )!;
    expect(account.inputs).toMatchObject({
      name: "dezky-provisioner",
      domain: "dezky.test",
      permissions: [...TENANT_MAIL_PERMISSIONS],
    });
    expect(account.inputs).not.toHaveProperty("connection");
    // The generated password both feeds the account and is what tenants log in with.
    expect(plain(account.inputs.password)).toBe(connection.password);
    const random = created.find((r) => r.name === "s-provisioner-password")!;
    expect(random.inputs).toMatchObject({ length: 40, special: false });
  });
});

describe("what the cell exposes", () => {
  const mailPorts = PUBLIC_PORTS.map((p) => p.port).filter((p) => p !== 80 && p !== 443);
  const port = (bind: string) => Number(bind.split(":").pop());

  it("every public mail port has a listener, and Stalwart binds no public port the firewall closes", () => {
    const bound = STALWART_LISTENERS.map((l) => port(l.bind));
    expect(mailPorts.filter((p) => !bound.includes(p))).toEqual([]);
    expect(bound.filter((p) => !mailPorts.includes(p))).toEqual([STALWART_HTTP_PORT]);
    expect(bound).not.toContain(443); // Traefik's
    expect(bound).not.toContain(995); // POP3 is not offered
  });

  it("advertises only services something serves: no POP3; TLS ports only", () => {
    expect(Object.keys(STALWART_SERVICES)).not.toContain("pop3");
    expect(Object.values(STALWART_SERVICES).every((s) => !s.cleartext)).toBe(true);
    const implicit = STALWART_LISTENERS.filter((l) => l.tlsImplicit).map((l) => port(l.bind));
    expect(implicit.sort()).toEqual([465, 993]); // _submissions._tcp and _imaps._tcp
  });
});
