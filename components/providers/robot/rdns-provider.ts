/**
 * Reverse DNS of a dedicated server's IP through the Robot webservice (`hcloud.Rdns` cannot
 * target Robot servers). Natural key: the IP. Writes use POST /rdns/{ip}, which the webservice
 * documents as create-or-update (robot.hetzner.com/doc/webservice/en.html#post-rdns-ip); PUT
 * is create-only and answers 409 RDNS_ALREADY_EXISTS when an entry exists, so it is never used.
 * A PTR has no room for an ownership marker, so a create that finds an entry takes it over when
 * it already says what we want (our own lost response) or is Hetzner's default
 * `*.your-server.de` name; anything else needs `adopt: true`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type RobotConnection, type RobotHttpTuning, robotCall, robotFailure } from "./client";

export interface RdnsInputs {
  connection: RobotConnection;
  ip: string;
  ptr: string;
  tenant?: string;
  adopt?: boolean;
  /** HTTP and rate-limit timing (tests); production keeps the defaults. */
  http?: RobotHttpTuning;
}

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
async function getPtr(inputs: RdnsInputs): Promise<string | undefined | null> {
  const path = `/rdns/${inputs.ip}`;
  const answer = await robotCall<RdnsBody>(
    inputs.connection,
    ctx(inputs, ""),
    "GET",
    path,
    undefined,
    inputs.http,
  );
  if (answer.error?.code === "RDNS_NOT_FOUND") return undefined;
  if (answer.error?.code === "IP_NOT_FOUND") return null;
  if (answer.error) throw robotFailure(ctx(inputs, `GET ${path}`), answer);
  return answer.body?.rdns.ptr;
}

/** POST: create-or-update; the answer carries the PTR the server now holds. */
async function setPtr(inputs: RdnsInputs): Promise<void> {
  const path = `/rdns/${inputs.ip}`;
  const call = `POST ${path}`;
  const answer = await robotCall<RdnsBody>(
    inputs.connection,
    ctx(inputs, ""),
    "POST",
    path,
    { ptr: inputs.ptr },
    inputs.http,
  );
  if (answer.error) throw robotFailure(ctx(inputs, call), answer);
  const held = answer.body?.rdns?.ptr;
  if (held !== undefined && held !== inputs.ptr) {
    throw new Error(
      `Hetzner Robot: reverse DNS of ${inputs.ip}: ${call} answered PTR ${held}, not ${inputs.ptr}; check the entry in Robot`,
    );
  }
}

function validate(news: RdnsInputs): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  if (!/^[0-9a-f.:]+$/i.test(news.ip ?? ""))
    failures.push({ property: "ip", reason: "must be an IP address" });
  if (!/^([a-z0-9-]+\.)+[a-z]{2,63}$/.test(news.ptr ?? "") || news.ptr.length > 253) {
    failures.push({
      property: "ptr",
      reason: "must be a lower-case host name such as mail.dezky.eu",
    });
  }
  return failures;
}

function ipMissing(inputs: RdnsInputs): Error {
  return new Error(
    `Hetzner Robot: ${ctx(inputs, "").object}: GET /rdns/${inputs.ip} HTTP 404 [IP_NOT_FOUND]: ` +
      "the IP is not in this Robot account; check the host's IPs in the stack file",
  );
}

export const rdnsProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: RdnsInputs, news: RdnsInputs) {
    return { inputs: news, failures: validate(news) };
  },

  async diff(_id: string, olds: RdnsOutputs, news: RdnsInputs) {
    const changes =
      olds.ptr !== news.ptr ||
      olds.ip !== news.ip ||
      JSON.stringify(olds.connection) !== JSON.stringify(news.connection);
    return { changes, replaces: olds.ip !== news.ip ? ["ip"] : [], deleteBeforeReplace: false };
  },

  async create(inputs: RdnsInputs) {
    const existing = await getPtr(inputs);
    if (existing === null) throw ipMissing(inputs);
    let adoptedFrom: string | undefined;
    if (existing !== undefined && existing !== inputs.ptr) {
      if (!inputs.adopt && !HETZNER_DEFAULT_PTR.test(existing)) {
        throw new Error(
          `Hetzner Robot: reverse DNS of ${inputs.ip} already points to ${existing}, which this program did not set; ` +
            "set adopt: true to take it over, or change it in Robot first",
        );
      }
      adoptedFrom = existing;
    }
    if (existing !== inputs.ptr) await setPtr(inputs);
    const outs: RdnsOutputs = { ...inputs, adoptedFrom };
    return { id: inputs.ip, outs };
  },

  async read(id: string, props?: RdnsOutputs) {
    if (!props)
      throw new Error(`Hetzner Robot: reverse DNS ${id}: read needs the last known state`);
    const ptr = await getPtr(props);
    // No entry, or the IP left the account: gone, so refresh drops it.
    if (ptr === undefined || ptr === null) return { id: "", props: {} };
    return { id, props: { ...props, ptr } };
  },

  async update(_id: string, _olds: RdnsOutputs, news: RdnsInputs) {
    await setPtr(news);
    return { outs: { ...news } };
  },

  async delete(_id: string, props: RdnsOutputs) {
    const path = `/rdns/${props.ip}`;
    const answer = await robotCall(
      props.connection,
      ctx(props, ""),
      "DELETE",
      path,
      undefined,
      props.http,
    );
    // 404: no entry (RDNS_NOT_FOUND) or the IP left the account (IP_NOT_FOUND): nothing to do.
    if (answer.error && answer.status !== 404)
      throw robotFailure(ctx(props, `DELETE ${path}`), answer);
  },
};
