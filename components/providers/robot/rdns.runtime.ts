/**
 * Reverse DNS of a dedicated server's IP through the Robot webservice (`hcloud.Rdns` cannot
 * target Robot servers). Natural key: the IP. Writes use POST /rdns/{ip}, which the webservice
 * documents as create-or-update (robot.hetzner.com/doc/webservice/en.html#post-rdns-ip); PUT
 * is create-only and answers 409 RDNS_ALREADY_EXISTS when an entry exists, so it is never used.
 * A PTR has no room for an ownership marker, so a create that finds an entry takes it over when
 * it already says what we want (our own lost response) or is Hetzner's default
 * `*.your-server.de` name; anything else needs `adopt: true`.
 */
import { z } from "zod";
import type { TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { type RobotConnection, robotCall, robotFailure } from "./client";

const schema = z.object({
  ip: z.string().regex(/^[0-9a-f.:]+$/i, "must be an IP address"),
  ptr: z
    .string()
    .max(253)
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,63}$/, "must be a lower-case host name such as mail.dezky.eu"),
  tenant: z.string().optional(),
  adopt: z.boolean().optional(),
});

export type RdnsInputs = z.infer<typeof schema>;

export interface RdnsOutputs extends RdnsInputs {
  /** The PTR found before we took it over (kept for audit; Robot cannot restore it). */
  adoptedFrom?: string;
}

interface RdnsBody {
  rdns: { ip: string; ptr: string };
}

const HETZNER_DEFAULT_PTR = /\.your-server\.de\.?$/;

function ctx(inputs: RdnsInputs, call: string) {
  return { tenant: inputs.tenant, object: `reverse DNS of ${inputs.ip}`, call };
}

/** The current PTR; `undefined` when none is set, `null` when the IP is not in the account. */
async function getPtr(
  connection: RobotConnection,
  inputs: RdnsInputs,
): Promise<string | undefined | null> {
  const path = `/rdns/${inputs.ip}`;
  const answer = await robotCall<RdnsBody>(connection, ctx(inputs, ""), "GET", path);
  if (answer.error?.code === "RDNS_NOT_FOUND") return undefined;
  if (answer.error?.code === "IP_NOT_FOUND") return null;
  if (answer.error) throw robotFailure(ctx(inputs, `GET ${path}`), answer);
  return answer.body?.rdns.ptr;
}

/** POST: create-or-update; the answer carries the PTR the server now holds. */
async function setPtr(connection: RobotConnection, inputs: RdnsInputs): Promise<void> {
  const path = `/rdns/${inputs.ip}`;
  const call = `POST ${path}`;
  const answer = await robotCall<RdnsBody>(connection, ctx(inputs, ""), "POST", path, {
    ptr: inputs.ptr,
  });
  if (answer.error) throw robotFailure(ctx(inputs, call), answer);
  const held = answer.body?.rdns?.ptr;
  if (held !== undefined && held !== inputs.ptr) {
    throw objectError(
      { service: "Hetzner Robot", object: `reverse DNS of ${inputs.ip}: ${call}` },
      `answered PTR ${held}, not ${inputs.ptr}`,
      "check the entry in Robot",
    );
  }
}

function ipMissing(inputs: RdnsInputs): Error {
  return new Error(
    `Hetzner Robot: ${ctx(inputs, "").object}: GET /rdns/${inputs.ip} HTTP 404 [IP_NOT_FOUND]: ` +
      "the IP is not in this Robot account; check the host's IPs in the stack file",
  );
}

export const rdnsType: TypeSpec<RdnsInputs, RdnsOutputs, RobotConnection> = {
  type: "robot:Rdns",
  service: "robot",
  schema,
  replaces: ["ip"],
  updates: ["ptr", "tenant"],

  async create(op, inputs) {
    const existing = await getPtr(op.connection, inputs);
    if (existing === null) throw ipMissing(inputs);
    let adoptedFrom: string | undefined;
    if (existing !== undefined && existing !== inputs.ptr) {
      if (!inputs.adopt && !HETZNER_DEFAULT_PTR.test(existing)) {
        throw objectError(
          { service: "Hetzner Robot", object: `reverse DNS of ${inputs.ip}` },
          `already points to ${existing}, which this program did not set`,
          "set adopt: true to take it over, or change it in Robot first",
        );
      }
      adoptedFrom = existing;
    }
    if (existing !== inputs.ptr) await setPtr(op.connection, inputs);
    return { id: inputs.ip, outs: { ...inputs, adoptedFrom } };
  },

  async read(op, _id, props) {
    const ptr = await getPtr(op.connection, props);
    // No entry, or the IP left the account: gone, so refresh drops it.
    if (ptr === undefined || ptr === null) return undefined;
    return { ...props, ptr };
  },

  async update(op, _id, _olds, news) {
    await setPtr(op.connection, news);
    return { ...news };
  },

  async delete(op, _id, props) {
    const path = `/rdns/${props.ip}`;
    const answer = await robotCall(op.connection, ctx(props, ""), "DELETE", path);
    // 404: no entry (RDNS_NOT_FOUND) or the IP left the account (IP_NOT_FOUND): nothing to do.
    if (answer.error && answer.status !== 404)
      throw robotFailure(ctx(props, `DELETE ${path}`), answer);
  },
};
