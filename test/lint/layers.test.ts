/**
 * The layering rule (eslint.layers.mjs, issue 19): an upward import fails lint, in every layer;
 * the recorded debt allows exactly the imports that exist today, and no entry outlives its need.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error: an ES module of the lint configuration, without types
import { LAYER_DEBT, layerConfig } from "../../eslint.layers.mjs";

const REPO = path.resolve(__dirname, "../..");
const eslint = new ESLint({
  cwd: REPO,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } },
    ...layerConfig,
  ],
});

/** The messages of the layering rule for `source` as the file at `file`. */
async function layerErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(REPO, file) });
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const imports = (...modules: string[]) =>
  modules.map((m, i) => `import * as m${i} from "${m}";\nvoid m${i};`).join("\n");

describe("an upward import fails lint", () => {
  it.each([
    ["components/tenant/new.ts", "../../stacks/schema", /components do not import from stacks/],
    ["components/cell-new.ts", "../tenants/schema", /components do not import/],
    ["components/tenant/new.ts", "../providers/ocis", /by its name, @dezky\/providers/],
    ["components/providers/index-new.ts", "../tenant/shared", /imports nothing outside/],
    ["components/providers/ocis/new.ts", "../../tenant/shared", /imports nothing outside/],
    ["components/providers/ocis/new.ts", "../../../stacks/schema", /imports nothing outside/],
    ["components/providers/core/x/new.ts", "../../../k3s/k3s", /imports nothing outside/],
    ["tenants/new.ts", "../components/tenant/tenant", /tenants depend only on shared rules/],
    ["tenants/prod/new.ts", "../../stacks/schema", /tenants depend only on shared rules/],
    ["tenants/new.ts", "@dezky/providers", /tenants do not use the providers package/],
    ["policies/rules/new.ts", "../../stacks/schema", /policies depend only on shared rules/],
    ["policies/rules/new.ts", "../../components/tenant/shared", /policies depend only/],
  ])("%s importing %s", async (file, module, message) => {
    const errors = await layerErrors(file, imports(module));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it("a recorded debt allows its own imports only", async () => {
    expect(await layerErrors("components/cell.ts", imports("../stacks/schema"))).toEqual([]);
    expect(await layerErrors("components/cell.ts", imports("../stacks/environments"))).toHaveLength(
      1,
    );
    expect(await layerErrors("tenants/load.ts", imports("../stacks/issues"))).toEqual([]);
    expect(
      await layerErrors("tenants/load.ts", imports("../components/tenant/tenant")),
    ).toHaveLength(1);
  });
});

describe("downward and sideways imports pass", () => {
  it.each([
    ["components/tenant/new.ts", ["./shared", "../k3s/k3s", "@dezky/providers", "@pulumi/pulumi"]],
    ["components/providers/ocis/new.ts", ["../core/errors", "./client", "zod"]],
    ["components/providers/index-new.ts", ["./core/api-connection"]],
    ["stacks/new.ts", ["../components/cell", "../tenants/load", "@dezky/providers"]],
    ["tenants/prod/new.ts", ["../schema"]],
    ["policies/rules/new.ts", ["./types", "@pulumi/policy"]],
    [
      "components/tenant/new.test.ts",
      ["../../tenants/schema", "../../test/simulators/fault-server"],
    ],
  ])("%s", async (file, modules) => {
    expect(await layerErrors(file, imports(...modules))).toEqual([]);
  });
});

describe("the recorded debt", () => {
  it.each(Object.entries(LAYER_DEBT as Record<string, string[]>))(
    "%s still imports each module it lists (remove the entry once it does not)",
    (file, modules) => {
      const text = fs.readFileSync(path.join(REPO, file), "utf8");
      for (const module of modules)
        expect(text, module).toMatch(new RegExp(`"(\\.\\./)+${module}"`));
    },
  );
});
