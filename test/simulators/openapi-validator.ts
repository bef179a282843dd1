/**
 * Validates simulator requests against an official OpenAPI 3.0 document (Authentik's
 * schema.yml, LibreGraph's v1.0.yaml): the path template must exist for the method, the JSON
 * body must match the operation's request schema, and required query parameters must be set.
 * A simulator that accepts anything proves nothing; this is what keeps ours honest.
 */
import * as fs from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";

type Json = Record<string, unknown>;

export interface ValidationProblem {
  status: 400 | 404 | 405;
  message: string;
  /** Field-level errors in the service's shape: field name -> messages. */
  fields: Record<string, string[]>;
}

interface Operation {
  template: string;
  regex: RegExp;
  method: string;
  bodySchemaRef?: string;
  bodyRequired: boolean;
  requiredQuery: string[];
}

/** OpenAPI 3.0 `nullable` is not JSON Schema: turn it into an explicit null alternative. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = toJsonSchema(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string" && !out.$ref) {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
      return out;
    }
    return { anyOf: [out, { type: "null" }] };
  }
  if ("nullable" in out) delete out.nullable;
  return out;
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly schemas = new Map<string, Json>();

  /** @param basePath the prefix the server mounts the spec's paths under, e.g. "/api/v3". */
  constructor(
    specFile: string,
    private readonly basePath: string,
  ) {
    const doc = toJsonSchema(
      parse(fs.readFileSync(specFile, "utf8"), { maxAliasCount: -1 }),
    ) as Json;
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      discriminator: false,
      validateFormats: true,
    });
    addFormats(this.ajv);
    for (const name of ["int16", "int8", "base64url", "uint8"]) this.ajv.addFormat(name, true);
    this.ajv.addSchema(doc, "spec");
    const paths = doc.paths as Record<string, Record<string, Json>>;
    for (const [template, item] of Object.entries(paths)) {
      const regex = new RegExp(
        "^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+") + "$",
      );
      for (const [method, op] of Object.entries(item)) {
        if (!["get", "put", "post", "patch", "delete"].includes(method)) continue;
        const body = op.requestBody as Json | undefined;
        const content = body?.content as Record<string, Json> | undefined;
        const json = content?.["application/json"] ?? content?.["application/json; charset=utf-8"];
        const schema = json?.schema as Json | undefined;
        const params = [
          ...((item.parameters as unknown as Json[]) ?? []),
          ...((op.parameters as Json[]) ?? []),
        ];
        this.operations.push({
          template,
          regex,
          method: method.toUpperCase(),
          bodySchemaRef: schema ? this.register(template, method, schema) : undefined,
          bodyRequired: Boolean(body?.required),
          requiredQuery: params
            .filter((p) => p.in === "query" && p.required === true)
            .map((p) => String(p.name)),
        });
      }
    }
  }

  private register(template: string, method: string, schema: Json): string {
    const key = `${method} ${template}`;
    this.schemas.set(key, schema);
    return key;
  }

  /** Compiles on first use: a 1.8 MB spec has hundreds of operations a test never calls. */
  private validator(key: string): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      const schema = this.schemas.get(key)!;
      const ref = typeof schema.$ref === "string" ? `spec${schema.$ref}` : undefined;
      fn = ref
        ? (this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref }))
        : this.ajv.compile(this.rewriteRefs(schema));
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private rewriteRefs(schema: Json): Json {
    return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#/g, '"$ref":"spec#')) as Json;
  }

  /** Finds the operation for a request path (with the base path) and method. */
  findOperation(method: string, path: string): Operation | undefined {
    if (!path.startsWith(this.basePath)) return undefined;
    const rel = path.slice(this.basePath.length) || "/";
    // Prefer literal templates over parameterised ones (e.g. /drives/{id} vs /drives/x).
    const candidates = this.operations.filter((o) => o.regex.test(rel));
    candidates.sort(
      (a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0),
    );
    return (
      candidates.find((o) => o.method === method) ??
      (candidates.length ? { ...candidates[0], method: "" } : undefined)
    );
  }

  /** Returns a problem when the request does not conform to the spec; undefined when it does. */
  validate(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    rawBody: string,
  ): ValidationProblem | undefined {
    const op = this.findOperation(method, path);
    if (!op) return { status: 404, message: `no such path in the spec: ${path}`, fields: {} };
    if (!op.method)
      return { status: 405, message: `method ${method} not allowed on ${op.template}`, fields: {} };
    for (const name of op.requiredQuery) {
      if (!query.has(name))
        return {
          status: 400,
          message: `missing query parameter ${name}`,
          fields: { [name]: ["This field is required."] },
        };
    }
    if (!op.bodySchemaRef) return undefined;
    if (rawBody === "") {
      return op.bodyRequired
        ? {
            status: 400,
            message: "request body required",
            fields: { non_field_errors: ["No data provided"] },
          }
        : undefined;
    }
    if (body === undefined)
      return {
        status: 400,
        message: "body is not JSON",
        fields: { non_field_errors: ["JSON parse error"] },
      };
    const validate = this.validator(op.bodySchemaRef);
    if (validate(body)) return undefined;
    const fields: Record<string, string[]> = {};
    for (const error of validate.errors ?? []) {
      const field =
        error.instancePath.split("/").filter(Boolean)[0] ??
        (error.params as { missingProperty?: string }).missingProperty ??
        "non_field_errors";
      (fields[field] ??= []).push(
        `${error.instancePath || "body"} ${error.message ?? "is invalid"}`,
      );
    }
    return { status: 400, message: `body does not match ${op.template}`, fields };
  }
}
