/**
 * The Authentik component hands the tenant providers the tenant provisioner's token, which
 * the blueprint binds to the least-privilege service account through `!Env`, and never the
 * bootstrap (superuser) token. Runs the component under Pulumi's mock runtime.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { identitiesFromBlueprint } from "../../test/simulators/authentik/permissions";
import { Authentik } from "./authentik";
import { platformBlueprint } from "./authentik-blueprint";
import { ENV_TENANT_PROVISIONER_TOKEN, TENANT_PROVISIONER_USER } from "./authentik-tenant-identity";

const created: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        created.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state =
          args.type === "random:index/randomPassword:RandomPassword"
            ? { ...args.inputs, result: `generated-${args.name}` }
            : args.inputs;
        return { id: `${args.name}-id`, state };
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

describe("Authentik tenant credential", () => {
  it("is the tenant provisioner's token from the env Secret, not AUTHENTIK_BOOTSTRAP_TOKEN", async () => {
    const authentik = new Authentik("a", {
      provider: new k8s.Provider("k", {}),
      domain: "dezky.test",
      cell: "c",
      version: { chart: "2026.8.3", app: "2026.8.3" },
      postgresImage: "postgres:17",
      adminEmail: "ops@dezky.test",
      zulip: false,
      production: false,
    });
    const connection = await value(authentik.connection);
    expect(await (pulumi.isSecret(authentik.connection) as unknown as Promise<boolean>)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    const env = created.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "a-env");
    // Secret inputs reach the mock wrapped as {<secret signature>, value}.
    const raw = env?.inputs.stringData as { value?: Record<string, string> } & Record<
      string,
      string
    >;
    const data = raw.value ?? raw;
    expect(connection.token).toBe(data[ENV_TENANT_PROVISIONER_TOKEN]);
    expect(connection.token).not.toBe(data.AUTHENTIK_BOOTSTRAP_TOKEN);
    // The blueprint turns exactly that env value into the provisioner's API token.
    const identities = identitiesFromBlueprint(
      platformBlueprint({ domain: "dezky.test", zulip: false }),
      data,
    );
    expect(identities.get(connection.token)?.username).toBe(TENANT_PROVISIONER_USER);
  });
});
