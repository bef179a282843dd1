/**
 * npm run pins:check -- [--stack <name> ...] [--dry-run]
 *
 * Fails (exit 1) when a pinned chart, image or release of the named stacks (default: all) does
 * not exist upstream, or when a pin has no recorded source. --dry-run asks nothing: it lists
 * every check (URL and source) and fails only on a pin without a source. CI runs it before
 * `pulumi preview`/`pulumi up`; GITHUB_TOKEN, when set, is used for GitHub's releases API.
 */
import { parseArgs } from "node:util";
import { STACKS, environmentFor } from "../stacks/environments";
import { checkPins, checkUrl, describeCheck, distinctPins } from "./lib/check-pins";
import { pinsOf } from "./lib/pin-sources";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string", multiple: true },
      "dry-run": { type: "boolean", default: false },
    },
  });
  const stacks = values.stack ?? STACKS;
  const pins = distinctPins(stacks.flatMap((s) => pinsOf(environmentFor(s))));
  const unsourced = pins.filter((p) => !p.source);
  for (const p of unsourced) {
    process.stderr.write(
      `no recorded source for pin ${p.id}: add it to scripts/lib/pin-sources.ts\n`,
    );
  }
  if (values["dry-run"]) {
    for (const p of pins)
      process.stdout.write(
        `would check ${p.id}: ${describeCheck(p.check)} (${checkUrl(p.check)})\n`,
      );
    return unsourced.length ? 1 : 0;
  }
  const results = await checkPins(pins, { githubToken: process.env.GITHUB_TOKEN });
  for (const r of results) {
    process.stdout.write(
      `${r.ok ? "ok     " : "MISSING"} ${r.pin.id}: ${describeCheck(r.pin.check)}${r.ok ? "" : ` (${r.detail})`}\n`,
    );
  }
  const missing = results.filter((r) => !r.ok).length;
  process.stdout.write(`${results.length - missing} pins exist upstream, ${missing} missing\n`);
  return missing || unsourced.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`check-pins: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
