/** The S3 simulator's state types, error bodies and listings (s3-simulator.ts uses them). */
import type { SimRequest, SimResponse } from "../fault-server";
import { NOT_IMPLEMENTED, type Refusal } from "./hetzner-limits";
import { el, escapeXml, xmlDoc } from "./xml";

export interface SimObjectVersion {
  versionId: string;
  body: string;
  deleteMarker: boolean;
  lastModified: string;
}

export interface SimBucket {
  owner: string;
  created: string;
  versioning: "" | "Enabled" | "Suspended";
  lifecycleXml?: string;
  lifecycleRules?: Array<{
    id: string;
    status: string;
    abortDays?: number;
    noncurrentDays?: number;
  }>;
  /** key -> versions, newest last. */
  objects: Map<string, SimObjectVersion[]>;
}

export interface S3SimulatorOptions {
  /** access key -> account id. @default { SIMKEY: "acct-dezky" } */
  accounts?: Record<string, string>;
  /** The location this endpoint serves (a CreateBucket LocationConstraint must name it). @default "fsn1" */
  location?: string;
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  resource = "",
): SimResponse {
  const fields = el("Error", {
    Code: code,
    Message: message,
    Resource: resource,
    RequestId: "sim",
  });
  return {
    status,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${fields}`,
  };
}

/** Hetzner's answer to an action it does not implement (hetzner-limits.ts): no request id. */
export function refusal(r: Refusal, resource: string): SimResponse {
  if (r.code !== NOT_IMPLEMENTED.code) return errorResponse(r.status, r.code, r.message, resource);
  return {
    status: r.status,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${el("Error", { Code: r.code, Message: r.message, Resource: resource })}`,
  };
}

export function xml(status: number, body: string): SimResponse {
  return { status, headers: { "content-type": "application/xml" }, body };
}

export function page<T>(
  req: SimRequest,
  entries: Array<[string, T]>,
): { items: Array<[string, T]>; truncated: boolean } {
  const prefix = req.query.get("prefix") ?? "";
  const max = Number(req.query.get("max-keys") ?? "1000");
  const matching = entries
    .filter(([key]) => key.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return { items: matching.slice(0, max), truncated: matching.length > max };
}

export function listObjects(req: SimRequest, name: string, bucket: SimBucket): SimResponse {
  const live = [...bucket.objects.entries()].filter(([, v]) => !v[v.length - 1].deleteMarker);
  const { items, truncated } = page(req, live);
  const contents = items
    .map(([key, v]) =>
      el("Contents", {
        Key: key,
        Size: v[v.length - 1].body.length,
        LastModified: v[v.length - 1].lastModified,
      }),
    )
    .join("");
  return xml(
    200,
    xmlDoc(
      "ListBucketResult",
      el("Name", escapeXml(name)) +
        el("KeyCount", String(items.length)) +
        el("IsTruncated", String(truncated)) +
        contents,
    ),
  );
}

export function listVersions(req: SimRequest, name: string, bucket: SimBucket): SimResponse {
  const all = [...bucket.objects.entries()].flatMap(([key, versions]) =>
    versions.map((v, i): [string, string] => [
      key,
      el(v.deleteMarker ? "DeleteMarker" : "Version", {
        Key: key,
        VersionId: v.versionId,
        IsLatest: String(i === versions.length - 1),
        LastModified: v.lastModified,
      }),
    ]),
  );
  const { items, truncated } = page(req, all);
  return xml(
    200,
    xmlDoc(
      "ListVersionsResult",
      el("Name", escapeXml(name)) +
        el("IsTruncated", String(truncated)) +
        items.map(([, x]) => x).join(""),
    ),
  );
}
