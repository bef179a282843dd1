/**
 * Every attribute the platform blueprint sets exists on the model's serializer in authentik
 * 2026.8.3 (the `<Model>Request` schema of schema.yml, which the blueprint importer's
 * serializers produce), plus the documented blueprint-only fields (models.mdx: token `key`,
 * user/role `permissions`); enum values are ones the schema allows; every `!KeyOf` points at
 * an entry id, and every `!Env` at a key of the authentik-env Secret.
 */
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { SCHEMA_FILE } from "../../test/simulators/authentik/simulator";
import { platformBlueprint } from "./authentik-blueprint";
import { ENV_TENANT_PROVISIONER_TOKEN } from "./authentik-tenant-identity";

type Schema = {
  properties?: Record<string, Schema>;
  $ref?: string;
  allOf?: Schema[];
  enum?: string[];
  items?: Schema;
};
const spec = YAML.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as {
  components: { schemas: Record<string, Schema> };
};
const schemas = spec.components.schemas;
const deref = (s: Schema | undefined): Schema | undefined => {
  if (!s) return s;
  if (s.$ref) return deref(schemas[s.$ref.split("/").pop()!]);
  if (s.allOf?.length === 1) return deref(s.allOf[0]);
  return s;
};

/** Blueprint model -> request schema in schema.yml. */
const REQUEST: Record<string, string> = {
  "authentik_core.group": "GroupRequest",
  "authentik_core.user": "UserRequest",
  "authentik_core.token": "TokenRequest",
  "authentik_core.application": "ApplicationRequest",
  "authentik_providers_oauth2.oauth2provider": "OAuth2ProviderRequest",
  "authentik_providers_oauth2.scopemapping": "ScopeMappingRequest",
  "authentik_rbac.role": "RoleRequest",
};
/** Fields only blueprints accept (website/docs/customize/blueprints/v1/models.mdx). */
const BLUEPRINT_ONLY: Record<string, string[]> = {
  "authentik_core.token": ["key"],
  "authentik_core.user": ["password", "permissions"],
  "authentik_rbac.role": ["permissions"],
};

type Entry = { model: string; id?: string; identifiers: Record<string, unknown>; attrs?: object };
function entries(zulip: boolean): Entry[] {
  const scalar = (tag: string) => ({ tag, resolve: (s: string) => ({ [tag]: s }) });
  const seq = (tag: string) => ({
    tag,
    collection: "seq" as const,
    resolve: (s: YAML.YAMLSeq) => ({ [tag]: s.toJSON() }),
  });
  const customTags = ["!Env", "!KeyOf", "!Find"].flatMap((t) => [scalar(t), seq(t)]);
  const text = platformBlueprint({ domain: "dezky.eu", zulip });
  return (YAML.parse(text, { customTags }) as { entries: Entry[] }).entries;
}

function walk(value: unknown, visit: (tag: string, arg: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith("!")) visit(k, v);
      else walk(v, visit);
    }
  }
}

describe("platform blueprint against authentik 2026.8.3", () => {
  for (const zulip of [false, true]) {
    it(`uses only fields and enum values the serializers accept (zulip: ${zulip})`, () => {
      const problems: string[] = [];
      for (const e of entries(zulip)) {
        const request = schemas[REQUEST[e.model]];
        if (!request) {
          problems.push(`${e.model}: no request schema mapped`);
          continue;
        }
        const fields = { ...e.identifiers, ...(e.attrs ?? {}) } as Record<string, unknown>;
        for (const [field, value] of Object.entries(fields)) {
          const prop = deref(request.properties?.[field]);
          if (!prop) {
            if (!(BLUEPRINT_ONLY[e.model] ?? []).includes(field))
              problems.push(`${e.model}.${field}: not a field`);
            continue;
          }
          const allowed = prop.enum ?? deref(prop.items)?.enum;
          const values = Array.isArray(value) ? value : [value];
          for (const v of values)
            if (allowed && typeof v === "string" && !allowed.includes(v))
              problems.push(`${e.model}.${field}: ${v} not in ${allowed.join("|")}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it("resolves every !KeyOf to an entry id and every !Env to a generated Secret key", () => {
    const all = entries(true);
    const ids = new Set(all.map((e) => e.id).filter(Boolean));
    const envKeys = new Set([
      "DEZKY_OCIS_SERVICE_PASSWORD",
      "DEZKY_PORTAL_CLIENT_SECRET",
      "DEZKY_ZULIP_CLIENT_SECRET",
      ENV_TENANT_PROVISIONER_TOKEN,
    ]);
    const problems: string[] = [];
    walk(all, (tag, arg) => {
      if (tag === "!KeyOf" && !ids.has(String(arg))) problems.push(`!KeyOf ${String(arg)}`);
      if (tag === "!Env" && !envKeys.has(String(arg))) problems.push(`!Env ${String(arg)}`);
    });
    expect(problems).toEqual([]);
  });
});
