/**
 * The ownership marker of a bucket: a small object at a fixed key holding the owner labels of
 * core/markers.ts (`dezky.io/managed-by`, `dezky.io/cell`) as JSON. Bucket tags would be the
 * natural place, but Hetzner Object Storage does not implement bucket Tagging (Hetzner Docs
 * ST-010B8 "List of supported actions"; the server answers 501 NotImplemented,
 * aminueza/terraform-provider-minio#706), while Put/Get/DeleteObject and ListObjectVersions
 * are plain supported actions. The key sits outside the prefixes the bucket's users write
 * (k3s: `etcd-s3-folder` = the cell; OCIS s3ng: space ids), so neither lists or prunes it.
 */
import type * as S3 from "@aws-sdk/client-s3";
import { readOwnerLabels, ownerLabels } from "../core/markers";
import { failureOf, isMissing, sdk } from "./client";

/** Where the marker lives in every bucket this program manages. */
export const MARKER_KEY = ".dezky/owner.json";

export type Ownership = "ours" | "other-cell" | "none";

/** The marker's body for a cell (pure). */
export function markerBody(cell: string): string {
  return `${JSON.stringify(ownerLabels({ cell }), null, 2)}\n`;
}

/** Who a marker body names (pure): ours, another cell's, or none (absent or unreadable). */
export function ownershipOf(
  body: string | undefined,
  cell: string,
): { owner: Ownership; cell?: string } {
  if (body === undefined) return { owner: "none" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { owner: "none" };
  }
  const owner = readOwnerLabels(
    typeof parsed === "object" && parsed ? (parsed as Record<string, unknown>) : undefined,
  );
  if (!owner) return { owner: "none" };
  return { owner: owner.cell === cell ? "ours" : "other-cell", cell: owner.cell };
}

/** The marker's body, or undefined when the bucket has none (404 NoSuchKey). */
export async function readMarker(client: S3.S3Client, bucket: string): Promise<string | undefined> {
  try {
    const out = await client.send(
      new (sdk().GetObjectCommand)({ Bucket: bucket, Key: MARKER_KEY }),
    );
    return (await out.Body?.transformToString()) ?? "";
  } catch (error) {
    if (isMissing(error, "NoSuchKey")) return undefined;
    throw error;
  }
}

export async function writeMarker(
  client: S3.S3Client,
  bucket: string,
  cell: string,
): Promise<void> {
  await client.send(
    new (sdk().PutObjectCommand)({
      Bucket: bucket,
      Key: MARKER_KEY,
      Body: markerBody(cell),
      ContentType: "application/json",
    }),
  );
}

/** Whether a server lacks object versions (s3rver answers 501/405): nothing versioned to see. */
function lacksVersions(error: unknown): boolean {
  return ["NotImplemented", "MethodNotAllowed"].includes(failureOf(error).code);
}

/**
 * Objects and versions in the bucket other than the marker, counting one page of each list;
 * `more` when a page was truncated.
 */
export async function contentCount(
  client: S3.S3Client,
  bucket: string,
): Promise<{ count: number; more: boolean }> {
  const S = sdk();
  const others = (items: Array<{ Key?: string }> | undefined) =>
    (items ?? []).filter((i) => i.Key !== MARKER_KEY).length;
  const listed = await client.send(new S.ListObjectsV2Command({ Bucket: bucket, MaxKeys: 100 }));
  const current = others(listed.Contents);
  if (current > 0) return { count: current, more: Boolean(listed.IsTruncated) };
  try {
    const v = await client.send(new S.ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 100 }));
    return {
      count: others(v.Versions) + others(v.DeleteMarkers),
      more: Boolean(v.IsTruncated),
    };
  } catch (error) {
    if (lacksVersions(error)) return { count: 0, more: false };
    throw error;
  }
}

/**
 * Deletes every version and delete marker of the marker object (the bucket is versioned, so
 * a plain DeleteObject would leave its versions behind and DeleteBucket would refuse).
 */
export async function removeMarker(client: S3.S3Client, bucket: string): Promise<void> {
  const S = sdk();
  let entries: Array<{ Key?: string; VersionId?: string }>;
  try {
    const v = await client.send(
      new S.ListObjectVersionsCommand({ Bucket: bucket, Prefix: MARKER_KEY }),
    );
    entries = [...(v.Versions ?? []), ...(v.DeleteMarkers ?? [])].filter(
      (e) => e.Key === MARKER_KEY,
    );
  } catch (error) {
    if (!lacksVersions(error)) throw error;
    entries = [{ Key: MARKER_KEY }];
  }
  for (const e of entries) {
    await client.send(
      new S.DeleteObjectCommand({ Bucket: bucket, Key: MARKER_KEY, VersionId: e.VersionId }),
    );
  }
}
