/**
 * Dynamic provider for an API readiness gate. It owns no remote object: create and update poll
 * the health endpoint (see probe.ts) so dependants wait for a real answer. A gate that mints a
 * token re-runs on every deploy, because the token is short-lived.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type ClientCredentials, type ProbeSpec, waitUntilReady } from "./probe";

export interface ReadinessInputs {
  service: string;
  url: string;
  acceptStatus: number[];
  deadlineSeconds: number;
  intervalSeconds: number;
  credentials?: ClientCredentials;
  /** OCIS: the system role the minted identity must hold (see ProbeSpec.requireRole). */
  requireRole?: ProbeSpec["requireRole"];
  /** Anything whose change should re-check readiness (e.g. a chart version). */
  trigger?: string;
}

export interface ReadinessOutputs extends ReadinessInputs {
  status: number;
  attempts: number;
  /** Bearer minted for the service identity; only when `credentials` are set. */
  token?: string;
}

async function probe(inputs: ReadinessInputs): Promise<ReadinessOutputs> {
  const result = await waitUntilReady(inputs);
  return { ...inputs, status: result.status, attempts: result.attempts, token: result.token };
}

export const readinessProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: ReadinessInputs, news: ReadinessInputs) {
    const failures: { property: string; reason: string }[] = [];
    if (!/^https?:\/\//.test(news.url ?? "")) {
      failures.push({ property: "url", reason: "must be an http(s) URL" });
    }
    if (!(news.deadlineSeconds > 0)) {
      failures.push({ property: "deadlineSeconds", reason: "must be positive" });
    }
    if (!Array.isArray(news.acceptStatus) || news.acceptStatus.length === 0) {
      failures.push({ property: "acceptStatus", reason: "list at least one status code" });
    }
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: ReadinessOutputs, news: ReadinessInputs) {
    const keys = [
      "service",
      "url",
      "acceptStatus",
      "deadlineSeconds",
      "intervalSeconds",
      "trigger",
      "credentials",
      "requireRole",
    ] as const;
    const changes = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    // A minted token expires: re-mint on every deploy so dependants never get a stale one.
    if (news.credentials && !changes.includes("credentials")) changes.push("credentials");
    return { changes: changes.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: ReadinessInputs) {
    const outs = await probe(inputs);
    return { id: `${inputs.service.toLowerCase()}-ready`, outs };
  },

  async read(id: string, props: ReadinessOutputs) {
    // Nothing remote to drift: the gate's state is its last successful probe.
    return { id, props };
  },

  async update(_id: string, _olds: ReadinessOutputs, news: ReadinessInputs) {
    return { outs: await probe(news) };
  },

  async delete() {
    // Nothing to delete.
  },
};
