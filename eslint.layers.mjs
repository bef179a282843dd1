// Layers point one way (issue 19): stacks -> components -> the providers package
// (@dezky/providers, components/providers). Tenants and policies depend only on shared rules.
// Enforced with no-restricted-imports on relative import paths; tests and test support are
// exempt (they drive every layer). test/lint/layers.test.ts proves an upward import fails.
//
// LAYER_DEBT lists the upward imports that exist today, file by file: each such file may keep
// exactly those imports and no other. The test fails on an entry that is no longer needed, so
// the list only shrinks.

/** Upward imports that exist today (file -> modules it may still import, repository paths). */
export const LAYER_DEBT = {
  // Components take the whole environment (stacks/schema) where they need a few fields.
  "components/cell.ts": ["stacks/schema", "stacks/secrets", "tenants/schema"],
  "components/platform/platform.ts": ["stacks/schema"],
  "components/k3s/k3s.ts": ["stacks/schema", "stacks/secrets"],
  "components/k3s/config.ts": ["stacks/schema"],
  "components/storage/cell-storage.ts": ["stacks/schema"],
  "components/host/firewall-policy.ts": ["stacks/schema"],
  "components/host/dedicated-host.ts": ["stacks/schema", "stacks/secrets"],
  "components/host/cell-hosts.ts": ["stacks/schema", "stacks/secrets"],
  "components/host/cloud-host.ts": ["stacks/schema", "stacks/secrets"],
  "components/host/labels.ts": ["stacks/schema"],
  "components/host/types.ts": ["stacks/schema"],
  // The retention rules read the plans' minimum retention.
  "components/tenant/lifecycle.ts": ["tenants/plans", "tenants/schema"],
  // Tenant validation formats its problems with the stacks' issue helpers.
  "tenants/validate.ts": ["stacks/issues"],
  "tenants/schema.ts": ["stacks/issues"],
  "tenants/load.ts": ["stacks/issues", "stacks/typecheck"],
  // The pack's offline evaluation runs the program under the mock runtime.
  "policies/evaluate.ts": ["scripts/lib/mock-run", "stacks/schema"],
  "policies/cell-facts.ts": ["stacks/environments", "stacks/schema"],
  "policies/inventory-args.ts": ["scripts/lib/mock-run"],
};

const TESTS = [
  "**/*.test.ts",
  "**/test/**",
  "**/testdata/**",
  "components/providers/contract/**",
  "components/providers/test-kit.ts",
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A relative import that climbs (`../` at least `depth` times, or any number when depth is 0)
 * into one of `dirs`, except the modules in `allowed` (repository paths).
 */
function upInto(dirs, allowed = [], depth = 0) {
  const climb = depth ? `(?:\\.\\./){${depth}}` : "(?:\\.\\./)+";
  const except = allowed.length ? `(?!(?:${allowed.map(escape).join("|")})$)` : "";
  return `^${climb}${except}(?:${dirs.join("|")})(?:/|$)`;
}

function rule(patterns) {
  return { "no-restricted-imports": ["error", { patterns }] };
}

const LAYERS = [
  {
    name: "components",
    files: ["components/**/*.ts"],
    ignores: ["components/providers/**"],
    patterns: (allowed) => [
      {
        regex: upInto(["stacks", "tenants", "policies", "scripts", "test"], allowed),
        message:
          "components do not import from stacks, tenants, policies, scripts or tests (layers: stacks -> components -> providers): take what you need as a narrow argument",
      },
      {
        regex: "^(?:\\.\\./)+providers(?:/|$)",
        message:
          "components use the providers package by its name, @dezky/providers (captured by reference, so each resource stores a small stub)",
      },
    ],
  },
  {
    name: "tenants",
    files: ["tenants/**/*.ts"],
    patterns: (allowed) => [
      {
        regex: upInto(["components", "stacks", "policies", "scripts", "test"], allowed),
        message:
          "tenants depend only on shared rules (names, DNS names, slugs, EU locations), not on components, stacks, policies or scripts",
      },
      {
        regex: "^@dezky/providers(?!/rules$)",
        message:
          "tenants do not use the providers package (only its shared rules, @dezky/providers/rules)",
      },
    ],
  },
  {
    name: "policies",
    files: ["policies/**/*.ts"],
    ignores: ["policies/node_modules/**"],
    patterns: (allowed) => [
      {
        regex: upInto(["components", "stacks", "tenants", "scripts", "test"], allowed),
        message:
          "policies depend only on shared rules (names, DNS names, slugs, EU locations), not on components, stacks, tenants or scripts",
      },
      {
        regex: "^@dezky/providers(?!/rules$)",
        message:
          "policies do not use the providers package (only its shared rules, @dezky/providers/rules)",
      },
    ],
  },
];

/** The providers package imports nothing outside itself (by depth of the importing file). */
const PROVIDERS = [1, 2, 3, 4].map((depth) => ({
  files: [`components/providers/${"*/".repeat(depth - 1)}*.ts`],
  ignores: TESTS,
  rules: rule([
    {
      regex: upInto([".*"], [], depth),
      message:
        "the providers package (@dezky/providers) imports nothing outside components/providers: it is the bottom layer",
    },
  ]),
}));

export const layerConfig = [
  ...LAYERS.flatMap((layer) => [
    {
      files: layer.files,
      ignores: [...(layer.ignores ?? []), ...TESTS],
      rules: rule(layer.patterns([])),
    },
    ...Object.entries(LAYER_DEBT)
      .filter(([file]) => file.startsWith(`${layer.name}/`))
      .map(([file, allowed]) => ({ files: [file], rules: rule(layer.patterns(allowed)) })),
  ]),
  ...PROVIDERS,
];
