/**
 * Answers the OCIS simulator shares: the OData error envelope with the status the handler
 * renders (services/graph/pkg/errorcode/errorcode.go Render), and strict body decoding.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { SimResponse } from "../fault-server";
import type { SimDrive, SimGroup } from "./ocis-model";
import type { Claims, ProxyConfig, SimUser } from "./ocis-identity";
import { odataError } from "./ocis-model";

export const SPEC_FILE = path.resolve(
  __dirname,
  "../../../components/providers/ocis/spec/v1.0.yaml",
);

const specDoc = parse(fs.readFileSync(SPEC_FILE, "utf8"), { maxAliasCount: -1 }) as {
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
function known(schema: string): Set<string> {
  return new Set(Object.keys(specDoc.components.schemas[schema]?.properties ?? {}));
}
/** Properties each decoded type knows (libre-graph-api-go models follow the spec). */
export const KNOWN = {
  drive: known("driveUpdate"),
  invite: known("driveItemInvite"),
  recipient: known("driveRecipient"),
  group: known("group"),
  permission: known("permission"),
};

export const err = (status: number, code: string, message: string): SimResponse => ({
  status,
  body: odataError(code, message),
});

/** drives.go: NOT_FOUND and PERMISSION_DENIED both render itemNotFound "drive not found". */
export const driveNotFound = () => err(404, "itemNotFound", "drive not found");

/**
 * utils.go StrictJSONUnmarshal (json.Decoder.DisallowUnknownFields): an unknown property of
 * the body, or of a nested recipient, fails decoding. Handlers render their own message.
 */
export function hasUnknownField(body: unknown, fields: Set<string>): boolean {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return false;
  return Object.keys(body).some((k) => !fields.has(k));
}

/** What every route handler sees. */
export interface SimContext {
  url: string;
  caller: SimUser;
  drives: Map<string, SimDrive>;
  groups: Map<string, SimGroup>;
  users: SimUser[];
  options: { version: 7 | 8; searchMinLength: number };
}

/** Settings a test may give the simulator. */
export interface OcisSimulatorOptions {
  /** 7 = OCIS 7.x (v1beta1 single-drive routes absent), 8 = 8.x. @default 7 */
  version?: 7 | 8;
  /** GRAPH_IDENTITY_SEARCH_MIN_LENGTH for users without Accounts.ReadWrite. @default 3 */
  searchMinLength?: number;
  /** The proxy's user, autoprovisioning and role-mapping settings. @default OCIS defaults */
  proxy?: ProxyConfig;
  /** Tokens issued up front (token -> claims), in addition to the default ones. */
  tokens?: Record<string, Claims>;
}
