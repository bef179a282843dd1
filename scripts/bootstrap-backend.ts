/**
 * npm run bootstrap-backend -- [--bucket dezky-pulumi-state] [--location fsn1] [--dry-run]
 *
 * Creates the versioned Pulumi state bucket on Hetzner Object Storage and prints the
 * `pulumi login` line and the passphrase setup. Credentials: AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY (an Object Storage key pair; the Pulumi CLI reads the same variables).
 * --dry-run prints everything without calling Object Storage.
 */
import { parseArgs } from "node:util";
import { s3Client } from "../components/providers/s3/client";
import { backendUrl, ensureVersionedBucket, setupInstructions } from "./lib/backend";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      bucket: { type: "string", default: "dezky-pulumi-state" },
      location: { type: "string", default: "fsn1" },
      endpoint: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  const where = { bucket: values.bucket!, location: values.location!, endpoint: values.endpoint };
  if (values["dry-run"]) {
    process.stdout.write(
      `[dry run] would create bucket ${where.bucket} in ${where.location} with versioning enabled\n`,
    );
  } else {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      process.stderr.write(
        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Object Storage key pair), or use --dry-run\n",
      );
      return 2;
    }
    const client = s3Client(
      { region: where.location, endpoint: where.endpoint, accessKeyId, secretAccessKey },
      { maxAttempts: 3 },
    );
    const { created } = await ensureVersionedBucket(client, where.bucket);
    process.stdout.write(
      `${created ? "created" : "found"} bucket ${where.bucket}; versioning enabled\n`,
    );
  }
  process.stdout.write(`\nBackend URL: ${backendUrl(where)}\n\n${setupInstructions(where)}\n`);
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
