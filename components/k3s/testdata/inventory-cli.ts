/**
 * Test support: prints one stack's mock inventory as JSON, in its own process (Pulumi's mock
 * runtime is process-global, so a test that compares two runs does the second one here).
 * Usage: tsx components/k3s/testdata/inventory-cli.ts <stack>
 */
import { runStackUnderMocks } from "../../../scripts/lib/mock-run";

runStackUnderMocks(process.argv[2] ?? "dev")
  .then((inv) => process.stdout.write(`${JSON.stringify(inv)}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
