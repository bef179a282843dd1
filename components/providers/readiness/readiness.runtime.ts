/**
 * An API readiness gate. It owns no remote object: create and update poll the health endpoint
 * (probe.ts) so dependants wait for a real answer. Nothing it stores expires: the OCIS gate
 * proves the provisioning identity works (and holds its role) with a bearer it mints and
 * discards; the OCIS providers mint their own. So a gate changes only when what it checks
 * changes (URL, status codes, role, or the `trigger`, e.g. the deployed version).
 */
import { z } from "zod";
import type { TypeSpec } from "../core/contract";
import { urlField } from "../core/schema";
import type { OcisConnection } from "../ocis/connection";
import { waitUntilReady } from "./probe";

const schema = z.object({
  /** Service name for messages ("Authentik", "OCIS", "Stalwart"). */
  service: z.string().min(1),
  url: urlField,
  acceptStatus: z.array(z.number().int()).min(1, "list at least one status code").default([200]),
  /** Probe with a bearer minted from the (OCIS) connection. */
  authenticate: z.boolean().optional(),
  requireRole: z.object({ roleId: z.string(), roleName: z.string(), hint: z.string() }).optional(),
  /** Anything whose change should re-check readiness (e.g. a chart version). */
  trigger: z.string().optional(),
});

export type ReadinessInputs = z.infer<typeof schema>;

export interface ReadinessOutputs extends ReadinessInputs {
  status: number;
  attempts: number;
}

async function probe(
  inputs: ReadinessInputs,
  connection: () => OcisConnection,
): Promise<ReadinessOutputs> {
  const credentials = inputs.authenticate ? (({ url: _url, ...c }) => c)(connection()) : undefined;
  const result = await waitUntilReady({ ...inputs, credentials });
  return { ...inputs, status: result.status, attempts: result.attempts };
}

export const readinessType: TypeSpec<ReadinessInputs, ReadinessOutputs, OcisConnection> = {
  type: "readiness:ApiReadiness",
  schema,
  updates: ["service", "url", "acceptStatus", "authenticate", "requireRole", "trigger"],
  // Older gates stored the minted token, the credentials and their timing.
  legacy: ["credentials", "token", "deadlineSeconds", "intervalSeconds"],

  async create(op, inputs) {
    const outs = await probe(inputs, () => op.connection);
    return { id: `${inputs.service.toLowerCase()}-ready`, outs };
  },
  async read(_op, _id, props) {
    // Nothing remote to drift: the gate's state is its last successful probe.
    return props;
  },
  async update(op, _id, _olds, news) {
    return probe(news, () => op.connection);
  },
  async delete() {
    // Nothing to delete.
  },
};
