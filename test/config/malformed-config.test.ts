/**
 * The table of malformed configuration (issue 18): each tenant file or environment edit is
 * refused by the loader the program and the plan use, with one line naming the file, the field
 * and the fix, exactly once, and no stack trace. A valid copy of the repository loads, so each
 * refusal comes from the case's edit alone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfiguration } from "../../stacks/configuration";
import { isConfigurationError } from "../../stacks/issues";
import { ENVIRONMENT_CASES, cellB } from "./environment-cases";
import { type ScratchConfig, scratchConfig } from "./fixture";
import { type Expected, TENANT_CASES } from "./tenant-cases";

let scratch: ScratchConfig;
beforeEach(() => {
  scratch = scratchConfig();
});
afterEach(() => scratch.cleanup());

/** The refusal's message (the test fails when the configuration loads). */
async function refusal(): Promise<{ message: string; problems: string[] }> {
  try {
    await loadConfiguration({ stacksDir: scratch.stacksDir, tenantsRoot: scratch.tenantsRoot });
  } catch (error) {
    if (isConfigurationError(error)) return { message: error.message, problems: error.problems };
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

function expectLine(problems: string[], e: Expected): void {
  const prefixes = [e.file, ...(e.pair ? [e.pair] : [])].map((f) => `${f}: ${e.field}: `);
  const lines = problems.filter((p) => prefixes.some((prefix) => p.startsWith(prefix)));
  expect(
    lines,
    `one problem for ${prefixes.join(" or ")} in:\n${problems.join("\n")}`,
  ).toHaveLength(1);
  if (typeof e.fix === "string") expect(lines[0]).toContain(e.fix);
  else expect(lines[0]).toMatch(e.fix);
  // A clash names both files, whichever it is reported under.
  for (const f of [e.file, e.pair ?? e.file]) expect(lines[0]).toContain(f);
}

describe("a copy of the repository's configuration", () => {
  it("loads, with a second production cell added as one file", async () => {
    const before = await loadConfiguration({
      stacksDir: scratch.stacksDir,
      tenantsRoot: scratch.tenantsRoot,
    });
    expect(before.order).toEqual(["dev", "staging", "prod"]);
    scratch.write("stacks/prod-fsn1-b.ts", cellB());
    scratch.write("tenants/prod-fsn1-b/.gitkeep", "");
    const after = await loadConfiguration({
      stacksDir: scratch.stacksDir,
      tenantsRoot: scratch.tenantsRoot,
    });
    // Deploy order: development cells, then the canary (prod), then the other production cells.
    expect(after.order).toEqual(["dev", "staging", "prod", "prod-fsn1-b"]);
  });
});

const CASES = [...TENANT_CASES, ...ENVIRONMENT_CASES];

describe("malformed configuration is refused with file, field and fix", () => {
  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    c.apply(scratch);
    const { message, problems } = await refusal();
    for (const e of c.expect) expectLine(problems, e);
    // Each problem once (one line per expected problem, nothing else), never a stack trace.
    expect(problems, problems.join("\n")).toHaveLength(c.expect.length);
    expect(message).not.toMatch(/\n\s+at\s/);
    for (const p of problems) expect(p).toMatch(/^(stacks|tenants)\/\S+: \S+: .*; .+/);
  });
});

describe("several problems", () => {
  it("are reported together, across environment and tenant files", async () => {
    const names = [
      /^misspelt grantTo/,
      /^slug of a platform host/,
      /^server IPv4 999/,
      /^admin CIDR with host bits/,
    ];
    const chosen = names.map((n) => CASES.find((c) => n.test(c.name))!);
    for (const c of chosen) c.apply(scratch);
    const { problems } = await refusal();
    for (const c of chosen) {
      for (const e of c.expect) expectLine(problems, e);
    }
  });
});

describe("the program on a bad configuration", () => {
  it("stops with a RunError, which Pulumi prints without a stack trace", async () => {
    const { program } = await import("../../stacks/program");
    const { RunError } = await import("@pulumi/pulumi");
    scratch.write("tenants/prod/acme.tsx", "");
    const error = await program("prod", { tenantsRoot: scratch.tenantsRoot }).catch((e) => e);
    // @pulumi/pulumi 3.276.0 cmd/run/run.js:377 hides the stack of a RunError.
    expect(RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      "tenants/prod/acme.tsx: (file): is not loaded (tenant files are <slug>.ts, lower case); rename it to acme.ts or remove it",
    );
  });
});

describe("the schemas alone refuse unknown keys (a value cast past tsc gets no help from it)", () => {
  it("at every level of an environment and a tenant", async () => {
    const { environmentSchema, parseEnvironment } = await import("../../stacks/schema");
    const { parseTenant } = await import("../../tenants/schema");
    const { formatIssues } = await import("../../stacks/issues");
    const prod = (await import("../../stacks/prod")).default;
    const env = parseEnvironment({
      ...prod,
      costCeilingEuro: 1,
      backup: { ...prod.backup, hostKeys: { ...prod.backup.hostKeys, tertiary: [] } },
    });
    expect(env.success).toBe(false);
    expect(formatIssues("stacks/prod.ts", env.error!, environmentSchema).sort()).toEqual([
      "stacks/prod.ts: backup.hostKeys.tertiary: is not a known field; remove it (known fields here: primary, dr)",
      'stacks/prod.ts: costCeilingEuro: is not a known field; did you mean "costCeilingEur"? correct the spelling',
    ]);
    const tenant = parseTenant({ slug: "acme", grantto: "x" });
    expect(tenant.success).toBe(false);
    expect(tenant.error!.issues.some((i) => i.code === "unrecognized_keys")).toBe(true);
  });
});
