import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { StalwartSimulator } from "../../../test/simulators/stalwart/stalwart-simulator";
import type { SimRequest } from "../../../test/simulators/fault-server";
import { STALWART_CREDENTIAL_KEY } from "./jmap";
import { FAST, checked, createDomain, provider } from "./test-support";

const sim = new StalwartSimulator({
  password: "pw",
  token: "tok",
  forbiddenToken: "weak",
  dkimDelayMs: 100,
});
let url = "";
const base = () => ({
  connection: { url, username: "admin", password: "pw" },
  tenant: "acme",
  timeouts: FAST,
});

/** Matches JMAP requests that create a domain. */
const domainCreate = {
  path: "/jmap/",
  when: (req: SimRequest) =>
    ((req.body as { methodCalls?: [string, { create?: object }][] })?.methodCalls ?? []).some(
      ([name, args]) => name === "x:Domain/set" && !!args.create,
    ),
};
const named = (name: string) => [...sim.registry.domains.values()].filter((d) => d.name === name);

beforeAll(async () => {
  url = await sim.start();
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.server.clearFaults();
  sim.server.resetLog();
});

describe("faults", () => {
  it("waits for Retry-After on 429 and then creates one domain", async () => {
    sim.server.inject({ kind: "status", status: 429, retryAfter: "1" }, domainCreate);
    const started = Date.now();
    const { outs } = await createDomain({ ...base(), domain: "r429.dezky.eu" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sim.methodCount("x:Domain/set")).toBe(2);
    expect(named("r429.dezky.eu")).toHaveLength(1);
    expect(outs.dkim).toHaveLength(2);
  });

  it("retries 5xx, connection resets and timeouts", async () => {
    sim.server.inject({ kind: "status", status: 503 }, domainCreate, 2);
    await createDomain({ ...base(), domain: "r503.dezky.eu" });
    sim.server.inject({ kind: "reset" }, { path: "/jmap/" });
    await createDomain({ ...base(), domain: "reset.dezky.eu" });
    sim.server.inject({ kind: "timeout" }, domainCreate);
    const started = Date.now();
    await createDomain({ ...base(), domain: "slow.dezky.eu" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.requestMs);
    for (const d of ["r503.dezky.eu", "reset.dezky.eu", "slow.dezky.eu"])
      expect(named(d)).toHaveLength(1);
  });

  it("adopts its own domain after a create whose response was lost: exactly one domain", async () => {
    sim.server.inject({ kind: "lose-response" }, domainCreate);
    const { id, outs } = await createDomain({
      ...base(),
      domain: "lost.dezky.eu",
      description: "Acme",
    });
    expect(named("lost.dezky.eu")).toHaveLength(1);
    expect(named("lost.dezky.eu")[0].id).toBe(id);
    expect(sim.methodCount("x:Domain/set")).toBe(2); // the lost create and its retry
    expect(outs.adopted).toBe(false);
    expect(outs.dkim.filter((k) => k.stage === "pending")).toHaveLength(2);
  });

  it("gives up at the deadline with a message naming tenant, domain and call", async () => {
    sim.server.inject({ kind: "status", status: 503 }, { path: "/jmap/" }, 100);
    const inputs = await checked({
      ...base(),
      domain: "down.dezky.eu",
      timeouts: { ...FAST, deadlineMs: 1500 },
    });
    await expect(provider.create(inputs)).rejects.toThrow(
      /Stalwart: tenant "acme": mail domain "down\.dezky\.eu": POST \/jmap\/ x:Domain\/set.*failed after retries.*HTTP 503/,
    );
    expect(named("down.dezky.eu")).toHaveLength(0);
  });
});

describe("errors", () => {
  it("names the recovery admin credential on 401 and 403, and an account by its name", async () => {
    const wrong = { ...base(), connection: { url, username: "admin", password: "nope" } };
    await expect(createDomain({ ...wrong, domain: "auth.dezky.eu" })).rejects.toThrow(
      new RegExp(`HTTP 401.*${STALWART_CREDENTIAL_KEY.replace(/[()]/g, "\\$&")}`),
    );
    const weak = { ...base(), connection: { url, token: "weak" } };
    await expect(createDomain({ ...weak, domain: "auth.dezky.eu" })).rejects.toThrow(
      /HTTP 403.*stalwart-admin-password/,
    );
    expect(sim.methodCount("x:Domain/set")).toBe(2); // no retries of an auth failure
    const reader = sim.seedUser("reader@platform.test", {
      password: "reader-pw",
      permissions: ["authenticate", "sysDomainGet", "sysDomainQuery"],
    });
    expect(reader.id).toBeTruthy();
    const account = {
      ...base(),
      connection: { url, username: "reader@platform.test", password: "reader-pw" },
    };
    await expect(createDomain({ ...account, domain: "auth.dezky.eu" })).rejects.toThrow(
      /HTTP 403.*the Stalwart account reader@platform\.test.*permissions\.ts/,
    );
  });

  it("names the field Stalwart rejected, and check rejects what is clearly wrong", async () => {
    await expect(createDomain({ ...base(), domain: "mail.notatld" })).rejects.toThrow(
      /HTTP 400.*invalidPatch; Invalid domain name; field\(s\): name/,
    );
    const { failures } = await provider.check(
      {},
      { ...base(), domain: "not a domain", tenant: "Bad Slug", retainUntil: "soon" },
    );
    expect(failures?.map((f) => f.property)).toEqual(["domain", "tenant", "retainUntil"]);
  });

  it("creates each DKIM key once when the key create's response is lost", async () => {
    sim.server.inject(
      { kind: "lose-response" },
      {
        path: "/jmap/",
        when: (req: SimRequest) =>
          ((req.body as { methodCalls?: [string, { create?: object }][] })?.methodCalls ?? []).some(
            ([name, args]) => name === "x:DkimSignature/set" && !!args.create,
          ),
      },
    );
    const { id, outs } = await createDomain({ ...base(), domain: "lostkey.dezky.eu" });
    const keys = [...sim.registry.signatures.values()].filter((s) => s.domainId === id);
    expect(keys.map((k) => k.selector).sort()).toEqual(["dezky-ed25519-a", "dezky-rsa-a"]);
    expect(outs.dkim.map((k) => k.id).sort()).toEqual(keys.map((k) => k.id).sort());
  });
});

describe("delete policy: mail is never deleted", () => {
  it("refuses to delete a domain that still has accounts, and keeps its keys", async () => {
    const { id, outs } = await createDomain({ ...base(), domain: "data.dezky.eu" });
    const account = sim.registry.addAccount(id, "ceo");
    await expect(provider.delete(id, outs)).rejects.toThrow(
      new RegExp(`refusing to delete: the domain still holds mail data \\(Account ${account}\\)`),
    );
    expect(sim.registry.domains.has(id)).toBe(true);
    expect([...sim.registry.signatures.values()].filter((s) => s.domainId === id)).toHaveLength(2);
    // Allowed by the Tenant component: still no mailbox is deleted; the domain stays with its data.
    await provider.delete(id, { ...outs, allowDelete: true });
    expect(sim.registry.domains.has(id)).toBe(true);
    expect(sim.registry.accounts.has(account)).toBe(true);
  });

  it("refuses before the retain-until date without calling Stalwart, deletes after it", async () => {
    const { id, outs } = await createDomain({ ...base(), domain: "offboard.dezky.eu" });
    sim.server.resetLog();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await expect(provider.delete(id, { ...outs, retainUntil: future })).rejects.toThrow(
      /retained until/,
    );
    expect(sim.server.log).toHaveLength(0);
    await provider.delete(id, { ...outs, retainUntil: "2020-01-01" });
    expect(sim.registry.domains.has(id)).toBe(false);
  });

  it("deletes a domain created moments ago whose keys are still being generated", async () => {
    const fresh = new StalwartSimulator({ password: "pw", dkimDelayMs: 300 });
    const freshUrl = await fresh.start();
    try {
      const connection = { url: freshUrl, username: "admin", password: "pw" };
      const created = fresh.registry.createDomain({
        name: "quick.dezky.eu",
        description: "[dezky:acme]",
      }) as { id: string };
      await provider.delete(created.id, {
        ...(await checked({ ...base(), connection, domain: "quick.dezky.eu" })),
      } as never);
      await new Promise((r) => setTimeout(r, 400));
      expect(fresh.registry.domains.size).toBe(0);
      expect(fresh.registry.signatures.size).toBe(0);
    } finally {
      await fresh.stop();
    }
  });
});
