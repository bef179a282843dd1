/**
 * The self-managed Pulumi state backend on Hetzner Object Storage: its login URL, the versioned
 * bucket behind it and the setup steps for a new operator. Versioning keeps every checkpoint,
 * so a broken `pulumi up` or a bad state edit can be rolled back.
 */
import type * as S3 from "@aws-sdk/client-s3";
import { hetznerEndpoint, sdk } from "../../components/providers/s3/client";

export interface BackendLocation {
  bucket: string;
  /** Hetzner location, also the S3 region: fsn1, nbg1 or hel1. */
  location: string;
  /** Endpoint URL override (tests: loopback simulator). */
  endpoint?: string;
}

/** Host (and port) of the endpoint without scheme, as the gocloud s3 URL expects it. */
function endpointHost(b: BackendLocation): string {
  return (b.endpoint ?? hetznerEndpoint(b.location)).replace(/^https?:\/\//, "").replace(/\/$/, "");
}

/** `pulumi login` URL of the backend (path-style, region = location). */
export function backendUrl(b: BackendLocation): string {
  const insecure = b.endpoint?.startsWith("http://") ? "&disableSSL=true" : "";
  return `s3://${b.bucket}?endpoint=${endpointHost(b)}&s3ForcePathStyle=true&region=${b.location}${insecure}`;
}

/** What a new operator runs after the bucket exists. */
export function setupInstructions(b: BackendLocation): string {
  return [
    "# 1. State bucket credentials (Object Storage key pair, read+write on the bucket):",
    "export AWS_ACCESS_KEY_ID=<access key>  AWS_SECRET_ACCESS_KEY=<secret key>",
    "",
    "# 2. Log in to the self-managed backend:",
    `pulumi login '${backendUrl(b)}'`,
    "",
    "# 3. The passphrase that encrypts stack secrets (one per stack, kept in the password manager",
    "#    and as the GitHub Environment secret PULUMI_CONFIG_PASSPHRASE). New stack only:",
    "umask 077; mkdir -p ~/.config/dezky; openssl rand -base64 32 > ~/.config/dezky/passphrase-<stack>",
    "export PULUMI_CONFIG_PASSPHRASE_FILE=~/.config/dezky/passphrase-<stack>",
    "pulumi stack select <stack> --create --secrets-provider passphrase",
    "",
    "# Existing stack: get the passphrase from the password manager, then",
    "export PULUMI_CONFIG_PASSPHRASE_FILE=~/.config/dezky/passphrase-<stack>",
    "pulumi stack select <stack> && pulumi preview",
    "",
    "# Rotate the passphrase: docs/state-backend.md (pulumi stack change-secrets-provider passphrase)",
  ].join("\n");
}

function code(error: unknown): string {
  const e = error as { name?: string; Code?: string };
  return e?.Code ?? e?.name ?? "";
}

/**
 * Creates the bucket (or accepts it when we already own it) and turns versioning on.
 * Idempotent: running it again changes nothing. Returns whether the bucket was created.
 */
export async function ensureVersionedBucket(
  client: S3.S3Client,
  bucket: string,
): Promise<{ created: boolean }> {
  const S = sdk();
  let created = true;
  try {
    await client.send(new S.CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (code(error) === "BucketAlreadyOwnedByYou") created = false;
    else if (code(error) === "BucketAlreadyExists") {
      throw new Error(
        `bucket "${bucket}" belongs to another account; choose another name with --bucket`,
      );
    } else throw error;
  }
  await client.send(
    new S.PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: "Enabled" },
    }),
  );
  const versioning = await client.send(new S.GetBucketVersioningCommand({ Bucket: bucket }));
  if (versioning.Status !== "Enabled") {
    throw new Error(
      `bucket "${bucket}" reports versioning ${versioning.Status ?? "off"} after enabling it`,
    );
  }
  return { created };
}
