/**
 * Kubernetes OpenAPI (swagger v2 definitions) and CRD schemas turned into the standalone JSON
 * schemas kubeconform reads, strict like `kubectl --validate=strict`: every object that lists
 * its properties refuses any other (additionalProperties: false), and int-or-string fields take
 * either. The same rules as kubeconform's own scripts/openapi2jsonschema.py, written for this
 * project; refs stay `#/definitions/...` inside each file (only the definitions it reaches).
 */

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** kubeconform's file name for a kind: `<kind>-<first group label or version>[-<version>]`. */
export function schemaFileName(kind: string, apiVersion: string): string {
  const [groupOrVersion, version] = apiVersion.split("/");
  const suffix = `-${groupOrVersion.split(".")[0].toLowerCase()}${version ? `-${version.toLowerCase()}` : ""}`;
  return `${kind.toLowerCase()}${suffix}.json`;
}

/** Strict copy of a schema tree (see the file comment). */
export function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!isObj(node)) return node;
  if (node.format === "int-or-string" || node["x-kubernetes-int-or-string"] === true) {
    return { oneOf: [{ type: "string" }, { type: "integer" }] };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    // `properties` is a map of names, not a schema: strictify its values only.
    out[k] =
      k === "properties" && isObj(v)
        ? Object.fromEntries(Object.entries(v).map(([name, s]) => [name, strictify(s)]))
        : strictify(v);
  }
  if (isObj(node.properties) && !("additionalProperties" in node)) {
    out.additionalProperties = node["x-kubernetes-preserve-unknown-fields"] === true;
  }
  if (node.nullable === true && typeof node.type === "string") out.type = [node.type, "null"];
  return out;
}

function refsOf(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, found));
  else if (isObj(node)) {
    if (typeof node.$ref === "string") found.add(node.$ref.replace("#/definitions/", ""));
    Object.values(node).forEach((n) => refsOf(n, found));
  }
  return found;
}

/** The definitions a definition reaches, itself excluded. */
function closure(definitions: Record<string, Json>, root: string): Record<string, Json> {
  const seen = new Set<string>();
  const queue = [...refsOf(definitions[root], new Set())];
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name) || !definitions[name]) continue;
    seen.add(name);
    queue.push(...refsOf(definitions[name], new Set()));
  }
  return Object.fromEntries([...seen].map((n) => [n, definitions[n]]));
}

/** One strict schema per kind the swagger document serves, keyed by kubeconform file name. */
export function schemasFromSwagger(swagger: { definitions: Record<string, Json> }) {
  const files: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(swagger.definitions)) {
    const gvks = def["x-kubernetes-group-version-kind"] as
      { group: string; version: string; kind: string }[] | undefined;
    for (const gvk of gvks ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      files[schemaFileName(gvk.kind, apiVersion)] = strictify({
        ...def,
        definitions: closure(swagger.definitions, name),
      });
    }
  }
  return files;
}

interface Crd {
  kind?: string;
  spec?: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema?: { openAPIV3Schema?: Json } }[];
  };
}

/** One strict schema per served version of each CustomResourceDefinition document. */
export function schemasFromCrds(docs: unknown[]) {
  const files: Record<string, unknown> = {};
  for (const doc of docs as Crd[]) {
    if (doc?.kind !== "CustomResourceDefinition" || !doc.spec) continue;
    for (const v of doc.spec.versions) {
      const schema = v.schema?.openAPIV3Schema;
      if (!schema) continue;
      files[schemaFileName(doc.spec.names.kind, `${doc.spec.group}/${v.name}`)] = strictify(schema);
    }
  }
  return files;
}
