/**
 * npm run tenant:new -- <slug> --stack <stack> [--plan starter|business|enterprise]
 *                        [--domain example.de ...] [--name "Display Name"]
 *
 * Scaffolds tenants/<stack>/<slug>.ts, valid for its plan. Refuses a slug that exists on any
 * stack or a domain another tenant claims (the whole tenant set is validated before writing).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stackDomains } from "../stacks/program";
import { PLAN_NAMES, type PlanName } from "../tenants/plans";
import { readTenantFiles, tenantsRoot } from "../tenants/load";
import { validateTenantFiles } from "../tenants/validate";
import { ConfigurationError } from "../stacks/issues";
import { newTenantValue, renderTenantFile } from "./lib/tenant-file";

const USAGE =
  "usage: npm run tenant:new -- <slug> --stack <stack> [--plan starter|business|enterprise] [--domain d ...] [--name N]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      stack: { type: "string" },
      plan: { type: "string", default: "starter" },
      domain: { type: "string", multiple: true, default: [] },
      name: { type: "string" },
    },
  });
  const slug = positionals[0];
  if (!slug || !values.stack) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!PLAN_NAMES.includes(values.plan as PlanName)) {
    process.stderr.write(
      `--plan ${values.plan} is not a plan; use one of ${PLAN_NAMES.join(", ")}\n`,
    );
    return 2;
  }
  const root = tenantsRoot();
  const target = path.join(root, values.stack, `${slug}.ts`);
  const options = {
    slug,
    plan: values.plan as PlanName,
    displayName: values.name,
    domains: values.domain!.map((d) => d.toLowerCase()),
    schemaImport: path
      .relative(path.dirname(target), path.resolve(__dirname, "..", "tenants", "schema"))
      .split(path.sep)
      .join("/"),
  };
  const rel = `tenants/${values.stack}/${slug}.ts`;
  // Validate the set as it would be with the new file; nothing is written when it fails.
  const existing = await readTenantFiles(root);
  if (existing.problems.length) throw new ConfigurationError(existing.problems);
  validateTenantFiles(
    [...existing.files, { file: rel, stack: values.stack, value: newTenantValue(options) }],
    stackDomains(),
  );
  if (fs.existsSync(target)) throw new Error(`${rel} exists already`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, renderTenantFile(options));
  process.stdout.write(
    [
      `Wrote ${rel} (${values.plan}).`,
      "Next steps:",
      `  1. Edit ${rel}: display name, branding (colour, logo URL), departments, spaces and quotas, admins.`,
      `  2. npm run plan -- --stack ${values.stack}   (validates and shows what the tenant creates)`,
      `  3. Commit on a branch and open a pull request; the preview comment shows the change and cost.`,
      options.domains.length
        ? `  4. After merge, send the customer the DNS records from the plan's "DNS records to publish".`
        : "",
      "",
    ].join("\n"),
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
