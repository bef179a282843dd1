import { afterEach, describe, expect, it } from "vitest";
import { FaultServer } from "../../../test/simulators/fault-server";
import { waitUntilReady } from "./probe";
import { providerFor, useFastTiming } from "../test-kit";
import { runSerialized } from "../../../test/support/run-serialized";
import { OcisSimulator } from "../../../test/simulators/ocis/ocis-simulator";

let server: FaultServer | undefined;
afterEach(async () => server?.stop());
useFastTiming();
const readinessProvider = providerFor("readiness:ApiReadiness");

const fast = { sleep: async () => undefined };

describe("waitUntilReady", () => {
  it("polls through 503s and resets until the health endpoint answers 200", async () => {
    server = new FaultServer(() => ({ status: 200, body: "" }));
    const url = await server.start();
    server.inject({ kind: "status", status: 503 }, { path: "/-/health/ready/" }, 2);
    server.inject({ kind: "reset" }, { path: "/-/health/ready/" }, 1);
    const result = await waitUntilReady(
      {
        service: "Authentik",
        url: `${url}/-/health/ready/`,
        acceptStatus: [200],
      },
      fast,
    );
    expect(result).toMatchObject({ status: 200, attempts: 4 });
    expect(server.count({ path: "/-/health/ready/" })).toBe(4);
  });

  it("fails at the deadline naming the service, URL, attempts and last answer", async () => {
    server = new FaultServer(() => ({ status: 502, body: "bad gateway" }));
    const url = await server.start();
    let clock = 0;
    const deps = { sleep: async (ms: number) => void (clock += ms), now: () => clock };
    const restore = useFastTiming({ readinessDeadlineMs: 30_000, readinessIntervalMs: 10_000 });
    await expect(
      waitUntilReady(
        {
          service: "Stalwart",
          url: `${url}/healthz/ready`,
          acceptStatus: [200],
        },
        deps,
      ),
    ).rejects.toThrow(
      /Stalwart is not ready: .*\/healthz\/ready did not answer 200 within 30 s \(4 attempts; last: .*502/,
    );
    restore();
  });

  it("mints a client-credentials token and probes with it as a bearer", async () => {
    const seen: string[] = [];
    server = new FaultServer((req) => {
      if (req.path === "/application/o/token/") {
        const form = new URLSearchParams(req.rawBody);
        if (form.get("grant_type") !== "client_credentials" || form.get("password") !== "app-pw") {
          return { status: 400, body: { error: "invalid_grant" } };
        }
        return { status: 200, body: { access_token: "jwt-1", token_type: "bearer" } };
      }
      seen.push(String(req.headers.authorization));
      return req.headers.authorization === "Bearer jwt-1"
        ? { status: 200, body: {} }
        : { status: 401 };
    });
    const url = await server.start();
    const result = await waitUntilReady(
      {
        service: "OCIS",
        url: `${url}/graph/v1.0/me`,
        acceptStatus: [200],
        credentials: {
          tokenUrl: `${url}/application/o/token/`,
          clientId: "ocis",
          username: "svc",
          password: "app-pw",
          scope: "openid",
        },
      },
      fast,
    );
    expect(result.status).toBe(200);
    expect(seen).toEqual(["Bearer jwt-1"]);
  });
});

describe("waitUntilReady: the OCIS identity's role", () => {
  const admin = {
    roleId: "71881883-1768-46bd-a24d-a356a2afdf7f",
    roleName: "Admin",
    hint: "Put the account in the admin group.",
  };

  it("fails at once, naming identity, role held and role needed, when the role is wrong", async () => {
    const ocis = new OcisSimulator();
    const ocisUrl = await ocis.start();
    server = new FaultServer(() => ({ status: 200, body: { access_token: "spaceadmin-token" } }));
    const idp = await server.start();
    try {
      let polls = 0;
      await expect(
        waitUntilReady(
          {
            service: "OCIS",
            url: `${ocisUrl}/graph/v1.0/me`,
            acceptStatus: [200],
            credentials: {
              tokenUrl: `${idp}/t`,
              clientId: "c",
              username: "u",
              password: "p",
              scope: "s",
            },
            requireRole: admin,
          },
          { sleep: async () => void polls++ },
        ),
      ).rejects.toThrow(
        /OCIS: the identity "space-admin" has role 2aadd357-682c-406b-8874-293091995fdd, but needs Admin \(71881883-.*\)\. Put the account in the admin group\./,
      );
      expect(polls).toBe(0);
    } finally {
      await ocis.stop();
    }
  });
});

describe("readinessProvider", () => {
  const base = { service: "OCIS", url: "https://files.x/graph/v1.0/me", acceptStatus: [200] };
  const olds = { ...base, authenticate: true, status: 200, attempts: 1 };

  it("changes only when what it checks changes, never because a token expired", async () => {
    const news = { ...base, authenticate: true };
    expect((await readinessProvider.diff("id", olds, news)).changes).toBe(false);
    expect((await readinessProvider.diff("id", olds, { ...news, trigger: "v2" })).changes).toBe(
      true,
    );
  });

  it("updates a gate an older version wrote once (its minted token and credentials leave the state)", async () => {
    const legacy = {
      ...base,
      deadlineSeconds: 900,
      intervalSeconds: 10,
      credentials: {
        tokenUrl: "https://auth.x/t",
        clientId: "c",
        username: "u",
        password: "p",
        scope: "s",
      },
      token: "minted-last-deploy",
      status: 200,
      attempts: 1,
    };
    expect(
      await readinessProvider.diff("id", legacy, { ...base, authenticate: true }),
    ).toMatchObject({ changes: true, replaces: [] });
  });

  it("refuses a non-URL and an empty status list in check", async () => {
    const { failures } = await readinessProvider.check(
      {},
      { service: "X", url: "files", acceptStatus: [] },
    );
    expect(failures.map((f) => f.property).sort()).toEqual(["acceptStatus", "url"]);
  });

  it("runs through its serialized form under plain Node against a loopback API", async () => {
    server = new FaultServer(() => ({ status: 200, body: "ok" }));
    const url = await server.start();
    const run = await runSerialized({
      module: "components/providers/readiness/readiness.js",
      exportName: "ApiReadiness",
      name: "authentik-ready",
      service: "authentik",
      connection: { url, token: "unused" },
      inputs: { service: "Authentik", url: `${url}/-/health/ready/` },
    });
    expect(run.results.create).toMatchObject({
      id: "authentik-ready",
      outs: { status: 200, attempts: 1 },
    });
    expect(server.count({ path: "/-/health/ready/" })).toBe(1);
    expect(run.provider).not.toContain("unused");
  });
});
