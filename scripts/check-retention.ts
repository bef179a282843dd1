/**
 * npm run retention:check -- --base <commit> [--head <commit>] [--stack <stack> ...] [--today YYYY-MM-DD]
 *
 * Refuses a change that would delete tenant data before its time, judged against history: the
 * deploy workflow passes the last deployed commit as --base (a PR preview its base). Rules in
 * components/tenant/lifecycle.ts; see docs/tenants.md. Exit codes: 0 ok, 1 refused, 2 usage.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { today } from "../components/tenant/lifecycle";
import { gitRoot } from "./lib/plan-base";
import { checkRetention } from "./lib/retention-check";

const USAGE =
  "usage: npm run retention:check -- --base <last deployed commit> [--head <commit>] [--stack <stack> ...] [--today YYYY-MM-DD]";

function main(): number {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      head: { type: "string" },
      stack: { type: "string", multiple: true },
      today: { type: "string" },
    },
  });
  if (!values.base || (values.today && !/^\d{4}-\d{2}-\d{2}$/.test(values.today))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const root = gitRoot(process.cwd()) ?? gitRoot(path.resolve(__dirname, ".."));
  if (!root) {
    process.stderr.write("retention:check needs a git checkout\n");
    return 2;
  }
  const { problems, tenants } = checkRetention({
    root,
    base: values.base,
    head: values.head,
    stacks: values.stack,
    date: values.today ?? today(),
  });
  if (problems.length) {
    process.stderr.write(
      `Refused: this change would delete tenant data before its time (compared with ${values.base}):\n${problems.map((p) => `  ${p}`).join("\n")}\n`,
    );
    return 1;
  }
  process.stdout.write(`retention: ok (${tenants} tenants compared with ${values.base})\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
