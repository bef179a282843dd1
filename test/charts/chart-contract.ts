/**
 * A Helm chart's values contract at one version, and the check of our values against it:
 * the chart's own values.schema.json where it ships one (validated, like Helm does, against
 * the chart defaults merged with our values), otherwise the keys its values.yaml and templates
 * read. Shared chart files are read from ../shared/specs/charts (never copied here); charts
 * whose files are not there have a contract of our own under test/charts/contracts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";

const SHARED = join(__dirname, "..", "..", "..", "shared", "specs", "charts");
const OWN = join(__dirname, "contracts");

type Values = Record<string, unknown>;

export type Contract =
  | { kind: "schema"; source: string; defaults: Values; schema: object }
  | { kind: "keys"; source: string; keys: Set<string>; passThrough: Set<string> };

const isMap = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** Helm's coalescing of user values over chart defaults: maps merge, everything else replaces. */
export function mergeValues(defaults: Values, user: Values): Values {
  const out: Values = { ...defaults };
  for (const [k, v] of Object.entries(user)) {
    out[k] = isMap(v) && isMap(defaults[k]) ? mergeValues(defaults[k], v) : v;
  }
  return out;
}

/** Dotted paths of the leaves of a values tree (arrays and empty maps are leaves). */
export function leafPaths(values: Values, prefix = ""): string[] {
  return Object.entries(values).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return isMap(v) && Object.keys(v).length > 0 ? leafPaths(v, path) : [path];
  });
}

/** From a chart's values.yaml: every key it declares; empty maps and lists take anything. */
export function keysOfValuesYaml(defaults: Values): {
  keys: Set<string>;
  passThrough: Set<string>;
} {
  const keys = new Set(leafPaths(defaults));
  const passThrough = new Set(
    [...keys].filter((p) => {
      const v = p.split(".").reduce<unknown>((o, k) => (isMap(o) ? o[k] : undefined), defaults);
      return (isMap(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
    }),
  );
  return { keys, passThrough };
}

/** Paths of our values the chart does not read, with the reason. Empty means conforming. */
export function checkKeys(
  values: Values,
  contract: { keys: Set<string>; passThrough: Set<string> },
): string[] {
  const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`);
  return leafPaths(values)
    .filter((p) => !contract.keys.has(p))
    .filter((p) => ![...contract.passThrough].some((open) => under(p, open)))
    .map((p) => `${p}: not a key the chart reads`);
}

function readYaml(path: string): Values {
  return (parse(readFileSync(path, "utf8")) ?? {}) as Values;
}

/** Where the shared copy of a chart version lives (cert-manager tags have a v, zulip helm-). */
function sharedDir(chart: string, version: string): string | undefined {
  const candidates = [version, `v${version.replace(/^v/, "")}`, `helm-${version}`];
  return candidates.map((v) => join(SHARED, chart, v)).find((dir) => existsSync(dir));
}

/** The contract of `chart` at `version`; throws when none is recorded (a pin nobody checked). */
export function loadContract(chart: string, version: string): Contract {
  const dir = sharedDir(chart, version);
  if (dir) {
    const defaults = readYaml(join(dir, "values.yaml"));
    const schemaPath = join(dir, "values.schema.json");
    if (existsSync(schemaPath)) {
      const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as object;
      return { kind: "schema", source: schemaPath, defaults, schema };
    }
    return { kind: "keys", source: join(dir, "values.yaml"), ...keysOfValuesYaml(defaults) };
  }
  const own = join(OWN, `${chart}@${version.replace(/^v/, "")}.json`);
  if (existsSync(own)) {
    const c = JSON.parse(readFileSync(own, "utf8")) as {
      keys: Record<string, string>;
      passThrough: Record<string, string>;
    };
    return {
      kind: "keys",
      source: own,
      keys: new Set(Object.keys(c.keys)),
      passThrough: new Set(Object.keys(c.passThrough)),
    };
  }
  throw new Error(
    `no values contract for chart ${chart} ${version}: add its values.yaml/values.schema.json ` +
      `under ../shared/specs/charts/${chart}/ or the keys it reads to test/charts/contracts/${chart}@${version}.json`,
  );
}

/** Everything wrong with `values` for the chart; empty means Helm would accept and read them. */
export function checkValues(contract: Contract, values: Values): string[] {
  if (contract.kind === "keys") return checkKeys(values, contract);
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The draft-07 meta-schema URL is only a label here (zulip spells it with https).
  const { $schema: _meta, ...schema } = contract.schema as Record<string, unknown>;
  const validate = ajv.compile(schema);
  if (validate(mergeValues(contract.defaults, values))) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `${e.instancePath || "/"}${extra ? `/${extra}` : ""}: ${e.message ?? "invalid"}`;
  });
}
