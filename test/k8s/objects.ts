/** Collects the raw (secret-unmasked) inputs of every Kubernetes object of one stack run. */
import { runStackUnderMocks } from "../support/harness";
import { toManifest, type Manifest } from "./validate";

const SIG = "4dabf18193072939515e22adb298388d"; // Pulumi's special signature key

/** Inputs with Pulumi's secret wrappers ({<sig>: <secret sig>, value}) replaced by the value. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value !== "object" || value === null) return value;
  const o = value as Record<string, unknown>;
  if (SIG in o) return unwrapSecrets(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unwrapSecrets(v)]));
}

export async function stackManifests(stack: string): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  await runStackUnderMocks(stack, {
    onNewResource: (type, _name, inputs) => {
      const plain = unwrapSecrets(JSON.parse(JSON.stringify(inputs))) as Record<string, unknown>;
      const m = toManifest(type, plain);
      if (m) manifests.push(m);
    },
  });
  return manifests;
}
