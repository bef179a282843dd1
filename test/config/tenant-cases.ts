/**
 * Malformed tenant files, as an operator would write them. Each case edits a scratch copy of
 * the repository's configuration and names the problem line it must produce: the file, the
 * field and (a part of) the fix.
 */
import { type ScratchConfig, TENANT_IMPORT, tenantText, tenantValue } from "./fixture";

export interface Expected {
  file: string;
  field: string;
  fix: string | RegExp;
  /** For a clash of two files: the other file, which the line may name first instead. */
  pair?: string;
}

export interface MalformedCase {
  name: string;
  apply(s: ScratchConfig): void;
  expect: Expected[];
}

const ACME = "tenants/prod/acme.ts";
const KANZLEI = "tenants/prod/kanzlei-weber.ts";

/** A case that adds tenants/prod/acme.ts with some fields changed. */
function acme(
  name: string,
  extra: Record<string, unknown>,
  expect: Omit<Expected, "file">[],
): MalformedCase {
  return {
    name,
    apply: (s) => s.write(ACME, tenantText(tenantValue("acme", extra))),
    expect: expect.map((e) => ({ file: ACME, ...e })),
  };
}

const financeSpace = (extra: Record<string, unknown>) => [
  { key: "main", name: "Main acme", quotaGb: 50 },
  { key: "finance", name: "Finance acme", quotaGb: 20, ...extra },
];

export const TENANT_CASES: MalformedCase[] = [
  acme(
    "misspelt grantTo (was: the key dropped, the space granted to everyone)",
    { spaces: financeSpace({ grantTo: undefined, grantto: "finance" }) },
    [{ field: "spaces.1.grantto", fix: /correct its spelling|did you mean "grantTo"/ }],
  ),
  acme("unknown top-level key", { colour: "#ff0000" }, [
    { field: "colour", fix: "remove the field" },
  ]),
  acme(
    "unknown key in branding",
    { branding: { primaryColor: "#112233", logoUrl: "https://e.com/l.png", logo: "x" } },
    [{ field: "branding.logo", fix: "remove the field" }],
  ),
  acme("unknown key in a mail domain", { mailDomains: [{ name: "acme.de", dnss: "hetzner" }] }, [
    { field: "mailDomains.0.dnss", fix: /remove the field|correct its spelling/ },
  ]),
  acme(
    "unknown key in a department",
    { departments: [{ slug: "finance", name: "F", head: "x" }] },
    [{ field: "departments.0.head", fix: "remove the field" }],
  ),
  {
    name: "syntax error (was: the error-recovered code ran)",
    apply: (s) =>
      s.write(
        ACME,
        tenantText(tenantValue("acme")).replace('"plan": "business",', '"plan": "business"'),
      ),
    expect: [{ file: ACME, field: "plan", fix: "correct the syntax" }],
  },
  acme("quota as text", { spaces: [{ key: "main", name: "Main acme", quotaGb: "50" }] }, [
    { field: "spaces.0.quotaGb", fix: "value of the expected type" },
  ]),
  acme("unknown plan", { plan: "gold" }, [{ field: "plan", fix: "value of the expected type" }]),
  acme("unknown status", { status: "archived" }, [
    { field: "status", fix: "value of the expected type" },
  ]),
  acme("impossible retention date", { status: "offboarded", retainUntil: "2027-02-30" }, [
    { field: "retainUntil", fix: "such as 2027-03-31" },
  ]),
  acme("offboarded without a retention date", { status: "offboarded" }, [
    { field: "retainUntil", fix: "set the date until which data is kept" },
  ]),
  acme("purge on an active tenant", { purge: true }, [
    { field: "purge", fix: "set status: offboarded" },
  ]),
  acme("retention date on an active tenant", { retainUntil: "2027-01-01" }, [
    { field: "retainUntil", fix: "remove it" },
  ]),
  acme(
    "department slug all (was: the main space went to a department group)",
    { departments: [{ slug: "all", name: "Alle" }], spaces: financeSpace({ grantTo: "all" }) },
    [{ field: "departments.0.slug", fix: "name the department differently" }],
  ),
  acme(
    "duplicate department slug (was: two resources with one URN)",
    {
      departments: [
        { slug: "finance", name: "F" },
        { slug: "finance", name: "F2" },
      ],
    },
    [{ field: "departments.1.slug", fix: "rename or remove one" }],
  ),
  acme(
    "space granted to a department that does not exist",
    { spaces: financeSpace({ grantTo: "hr" }) },
    [{ field: "spaces.1.grantTo", fix: 'add it there or grant to "all"' }],
  ),
  acme("duplicate space key", { spaces: financeSpace({ key: "main" }) }, [
    { field: "spaces.1.key", fix: "rename one" },
  ]),
  acme(
    "no main space",
    { spaces: [{ key: "finance", name: "F acme", quotaGb: 20, grantTo: "finance" }] },
    [{ field: "spaces", fix: 'key "main"; add it' }],
  ),
  acme(
    "quotas over the plan",
    { plan: "starter", departments: [], spaces: [{ key: "main", name: "M acme", quotaGb: 500 }] },
    [{ field: "spaces", fix: "lower a quota or change plan" }],
  ),
  acme(
    "too many spaces for the plan",
    {
      plan: "starter",
      departments: [],
      spaces: [1, 2, 3].map((i) => ({
        key: i === 1 ? "main" : `s${i}`,
        name: `S${i} acme`,
        quotaGb: 10,
      })),
    },
    [{ field: "spaces", fix: "remove spaces or change plan" }],
  ),
  acme(
    "too many mail domains for the plan",
    {
      plan: "starter",
      departments: [],
      spaces: [{ key: "main", name: "M acme", quotaGb: 10 }],
      mailDomains: [{ name: "a-acme.de" }, { name: "b-acme.de" }],
    },
    [{ field: "mailDomains", fix: "remove domains or change plan" }],
  ),
  acme("the same mail domain twice", { mailDomains: [{ name: "acme.de" }, { name: "acme.de" }] }, [
    { field: "mailDomains.1.name", fix: "remove one" },
  ]),
  {
    name: "slug with -- (was: its group name equal to another tenant's department group)",
    apply: (s) =>
      s.write(
        "tenants/prod/kanzlei-weber--partners.ts",
        tenantText(tenantValue("kanzlei-weber--partners")),
      ),
    expect: [
      { file: "tenants/prod/kanzlei-weber--partners.ts", field: "slug", fix: "single hyphens" },
    ],
  },
  {
    name: "slug of a platform host (chat, Zulip)",
    apply: (s) => s.write("tenants/prod/chat.ts", tenantText(tenantValue("chat"))),
    expect: [{ file: "tenants/prod/chat.ts", field: "slug", fix: "choose another slug" }],
  },
  {
    name: "file name and slug differ",
    apply: (s) => s.write("tenants/prod/acme-gmbh.ts", tenantText(tenantValue("acme"))),
    expect: [
      { file: "tenants/prod/acme-gmbh.ts", field: "slug", fix: "rename the file to acme.ts" },
    ],
  },
  {
    name: "the same slug on two stacks",
    apply: (s) => {
      s.write(ACME, tenantText(tenantValue("acme")));
      s.write(
        "tenants/staging/acme.ts",
        tenantText(
          tenantValue("acme", {
            spaces: [{ key: "main", name: "M2", quotaGb: 5 }],
            departments: [],
          }),
        ),
      );
    },
    expect: [
      { file: "tenants/staging/acme.ts", field: "slug", fix: "slugs are unique across all stacks" },
    ],
  },
  acme("mail domain of another tenant", { mailDomains: [{ name: "kanzlei-weber.de" }] }, [
    { field: "mailDomains.0.name", fix: "a domain belongs to one tenant", pair: KANZLEI },
  ]),
  acme(
    "mail domain under another tenant's domain",
    { mailDomains: [{ name: "mail.kanzlei-weber.de" }] },
    [{ field: "mailDomains.0.name", fix: "belong to one tenant" }],
  ),
  {
    name: "dev tenant claiming prod's platform domain",
    apply: (s) =>
      s.write(
        "tenants/dev/acme.ts",
        tenantText(tenantValue("acme", { mailDomains: [{ name: "dezky.eu" }] })),
      ),
    expect: [
      {
        file: "tenants/dev/acme.ts",
        field: "mailDomains.0.name",
        fix: "platform domain dezky.eu of stack prod; only acme.dezky-dev.eu",
      },
    ],
  },
  acme(
    "managed mail domain that is a subdomain (Hetzner Cloud DNS creates no subdomain zones)",
    { mailDomains: [{ name: "mail.acme-gmbh.de", dns: "hetzner" }] },
    [{ field: "mailDomains.0.name", fix: 'keep dns: "external"' }],
  ),
  acme("mail domain on a platform host", { mailDomains: [{ name: "files.dezky.eu" }] }, [
    { field: "mailDomains.0.name", fix: "only acme.dezky.eu and names under it" },
  ]),
  acme("custom domain that is another tenant's subdomain", { customDomain: "dezky.dezky.eu" }, [
    { field: "customDomain", fix: "only acme.dezky.eu and names under it" },
  ]),
  acme(
    "custom domain equal to its own mail domain",
    { mailDomains: [{ name: "acme.de" }], customDomain: "acme.de" },
    [{ field: "customDomain", fix: "use a name under it such as cloud.acme.de" }],
  ),
  acme(
    "space name another tenant on the cell uses",
    {
      spaces: [
        { key: "main", name: "Kanzlei", quotaGb: 10 },
        { key: "finance", name: "F acme", quotaGb: 5, grantTo: "finance" },
      ],
    },
    [{ field: "spaces.0.name", fix: "OCIS space names are unique in a cell", pair: KANZLEI }],
  ),
  acme("a former slug of another tenant", { renamedFrom: ["kanzlei-weber"] }, [
    { field: "renamedFrom.0", fix: "a former slug stays reserved for its tenant", pair: KANZLEI },
  ]),
  acme("its own slug as a former one", { renamedFrom: ["acme"] }, [
    { field: "renamedFrom.0", fix: "list each former slug once" },
  ]),
  acme("the same admin twice", { admins: ["it@acme.de", "IT@acme.de"] }, [
    { field: "admins.1", fix: "remove one" },
  ]),
  acme("admin that is not an e-mail address", { admins: ["it-at-acme.de"] }, [
    { field: "admins.0", fix: "write it like it@example.com" },
  ]),
  acme(
    "logo over plain http",
    { branding: { primaryColor: "#112233", logoUrl: "http://acme.de/logo.png" } },
    [{ field: "branding.logoUrl", fix: "write it like https://example.com/logo.svg" }],
  ),
  acme(
    "colour by name",
    { branding: { primaryColor: "red", logoUrl: "https://acme.de/logo.png" } },
    [{ field: "branding.primaryColor", fix: "# and six hex digits" }],
  ),
  acme("mail domain in capitals", { mailDomains: [{ name: "Acme.DE" }] }, [
    { field: "mailDomains.0.name", fix: "write it like example.de" },
  ]),
  acme("empty display name", { displayName: "" }, [{ field: "displayName", fix: "fill it in" }]),
  acme("unknown space role", { spaces: financeSpace({ role: "owner" }) }, [
    { field: "spaces.1.role", fix: "value of the expected type" },
  ]),
  acme("zero quota", { spaces: financeSpace({ quotaGb: 0 }) }, [
    { field: "spaces.1.quotaGb", fix: "more than 0 GB; give the space a quota" },
  ]),
  acme("fractional quota", { spaces: financeSpace({ quotaGb: 1.5 }) }, [
    { field: "spaces.1.quotaGb", fix: "write it as a whole number" },
  ]),
  acme("unknown DNS mode", { mailDomains: [{ name: "acme.de", dns: "cloudflare" }] }, [
    { field: "mailDomains.0.dns", fix: "value of the expected type" },
  ]),
  {
    name: "acme.tsx (was: silently ignored)",
    apply: (s) => s.write("tenants/prod/acme.tsx", tenantText(tenantValue("acme"))),
    expect: [{ file: "tenants/prod/acme.tsx", field: "(file)", fix: "rename it to acme.ts" }],
  },
  {
    name: "tenants/prod/archive/acme.ts (was: silently ignored)",
    apply: (s) => s.write("tenants/prod/archive/acme.ts", tenantText(tenantValue("acme"))),
    expect: [
      {
        file: "tenants/prod/archive/",
        field: "(folder)",
        fix: "move an archived tenant out of tenants/",
      },
    ],
  },
  {
    name: "a note in a stack folder",
    apply: (s) => s.write("tenants/prod/README.md", "notes"),
    expect: [
      { file: "tenants/prod/README.md", field: "(file)", fix: "move it out of tenants/<stack>/" },
    ],
  },
  {
    name: "Acme.ts in capitals",
    apply: (s) => s.write("tenants/prod/Acme.ts", tenantText(tenantValue("acme"))),
    expect: [{ file: "tenants/prod/Acme.ts", field: "(file)", fix: "rename it to acme.ts" }],
  },
  {
    name: "a stack folder without a stack",
    apply: (s) => s.write("tenants/qa/acme.ts", tenantText(tenantValue("acme"))),
    expect: [{ file: "tenants/qa/acme.ts", field: "(file)", fix: "add stacks/qa.ts" }],
  },
  {
    name: "no default export",
    apply: (s) =>
      s.write(
        ACME,
        `${TENANT_IMPORT}\n\nexport const tenant = defineTenant(${JSON.stringify(tenantValue("acme"))});\n`,
      ),
    expect: [{ file: ACME, field: "(file)", fix: "end it with export default defineTenant" }],
  },
  {
    name: "a tenant file that imports more than the schema",
    apply: (s) =>
      s.write(
        ACME,
        `import * as fs from "node:fs";\n${tenantText(tenantValue("acme", { displayName: "x" })).replace('"x"', "fs.readFileSync('/etc/hostname', 'utf8')")}`,
      ),
    expect: [{ file: ACME, field: "(file)", fix: 'imports only defineTenant from "../schema"' }],
  },
];
