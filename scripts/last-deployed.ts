/**
 * pulumi stack history --stack <s> --json --page-size 100 | npm run -s last-deployed
 *
 * Prints the commit the stack last deployed successfully (nothing when it was never deployed),
 * for `npm run retention:check -- --base <commit>` before the next deploy. Exit 1, with the
 * reason, when the history has deploys but none says which commit.
 */
import * as fs from "node:fs";
import { lastDeployedCommit } from "./lib/last-deployed";

const result = lastDeployedCommit(fs.readFileSync(0, "utf8"));
if (result.kind === "commit") process.stdout.write(`${result.commit}\n`);
else if (result.kind === "never") process.stderr.write("never deployed: no base to compare with\n");
else {
  process.stderr.write(
    `cannot tell the last deployed commit: ${result.reason}. Run the deploy workflow by hand with the input retention-base set to that commit.\n`,
  );
  process.exitCode = 1;
}
