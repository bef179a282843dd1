/**
 * Reverse DNS of a dedicated server's IP through the Robot webservice (`hcloud.Rdns` cannot
 * target Robot servers). Natural key: the IP. A PTR has no room for an ownership marker, so a
 * create that finds an entry adopts it when it already says what we want (our own lost
 * response) or is Hetzner's default `*.your-server.de` name; anything else needs `adopt: true`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type RobotConnection, robotCall, robotFailure } from "./client";

export interface RdnsInputs {
  connection: RobotConnection;
  ip: string;
  ptr: string;
  tenant?: string;
  adopt?: boolean;
}

export interface RdnsOutputs extends RdnsInputs {
  /** The PTR found before we took it over (restored on delete is not possible; kept for audit). */
  adoptedFrom?: string;
}

interface RdnsBody {
  rdns: { ip: string; ptr: string };
}

const HETZNER_DEFAULT_PTR = /\.your-server\.de\.?$/;

function ctx(inputs: RdnsInputs, call: string) {
  return { tenant: inputs.tenant, object: `reverse DNS of ${inputs.ip}`, call };
}

async function getPtr(inputs: RdnsInputs): Promise<string | undefined> {
  const path = `/rdns/${inputs.ip}`;
  const answer = await robotCall<RdnsBody>(inputs.connection, ctx(inputs, ""), "GET", path);
  if (answer.error?.code === "RDNS_NOT_FOUND") return undefined;
  if (answer.error) throw robotFailure(ctx(inputs, `GET ${path}`), answer);
  return answer.body?.rdns.ptr;
}

async function setPtr(inputs: RdnsInputs, method: "PUT" | "POST"): Promise<number> {
  const path = `/rdns/${inputs.ip}`;
  const answer = await robotCall<RdnsBody>(inputs.connection, ctx(inputs, ""), method, path, {
    ptr: inputs.ptr,
  });
  if (answer.error && !(method === "PUT" && answer.error.code === "RDNS_ALREADY_EXISTS")) {
    throw robotFailure(ctx(inputs, `${method} ${path}`), answer);
  }
  return answer.status;
}

function validate(news: RdnsInputs): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  if (!/^[0-9a-f.:]+$/i.test(news.ip ?? ""))
    failures.push({ property: "ip", reason: "must be an IP address" });
  if (!/^([a-z0-9-]+\.)+[a-z]{2,63}$/.test(news.ptr ?? "")) {
    failures.push({
      property: "ptr",
      reason: "must be a lower-case host name such as mail.dezky.eu",
    });
  }
  return failures;
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
    let adoptedFrom: string | undefined;
    if (existing === undefined) {
      await setPtr(inputs, "PUT");
    } else if (existing !== inputs.ptr) {
      if (!inputs.adopt && !HETZNER_DEFAULT_PTR.test(existing)) {
        throw new Error(
          `Hetzner Robot: reverse DNS of ${inputs.ip} already points to ${existing}, which this program did not set; ` +
            "set adopt: true to take it over, or change it in Robot first",
        );
      }
      adoptedFrom = existing;
      await setPtr(inputs, "POST");
    }
    const outs: RdnsOutputs = { ...inputs, adoptedFrom };
    return { id: inputs.ip, outs };
  },

  async read(id: string, props?: RdnsOutputs) {
    if (!props)
      throw new Error(`Hetzner Robot: reverse DNS ${id}: read needs the last known state`);
    const ptr = await getPtr(props).catch((error: Error) => {
      if (/IP_NOT_FOUND/.test(error.message)) return undefined; // the IP left the account
      throw error;
    });
    if (ptr === undefined) return { id: "", props: {} };
    return { id, props: { ...props, ptr } };
  },

  async update(_id: string, _olds: RdnsOutputs, news: RdnsInputs) {
    await setPtr(news, "POST");
    return { outs: { ...news } };
  },

  async delete(_id: string, props: RdnsOutputs) {
    const path = `/rdns/${props.ip}`;
    const answer = await robotCall(props.connection, ctx(props, ""), "DELETE", path);
    if (answer.error && answer.status !== 404)
      throw robotFailure(ctx(props, `DELETE ${path}`), answer);
  },
};
