/**
 * Malformed environment edits: a changed field in stacks/<stack>.ts, or a new cell file.
 * Each names the problem line it must produce (file, field, part of the fix).
 */
import { ENV_IMPORTS, type ScratchConfig } from "./fixture";
import type { MalformedCase } from "./tenant-cases";

const PROD = "stacks/prod.ts";
const DEV = "stacks/dev.ts";
const STAGING = "stacks/staging.ts";
const CELL_B = "stacks/prod-fsn1-b.ts";

/** A case replacing `from` by `to` in one environment file. */
function edit(
  name: string,
  file: string,
  from: string | RegExp,
  to: string,
  field: string,
  fix: string | RegExp,
  pair?: string,
): MalformedCase {
  return { name, apply: (s) => s.edit(file, from, to), expect: [{ file, field, fix, pair }] };
}

/** A second production cell, valid unless `change` says otherwise. */
export function cellB(change: Record<string, string> = {}): string {
  const v = {
    stack: '"prod-fsn1-b"',
    cell: '"prod-fsn1-b"',
    domain: '"b.dezky.eu"',
    robot: "2345679",
    ipv4: '"198.51.100.25"',
    ipv6: '"2a01:4f8:10a:1f2e::/64"',
    ocis: '"dezky-prod-fsn1-b-ocis"',
    etcd: '"dezky-prod-fsn1-b-etcd"',
    extra: "",
    ...change,
  };
  return `${ENV_IMPORTS}

export default defineEnvironment({
  stack: ${v.stack},
  cell: ${v.cell},
  production: true,${v.extra}
  domain: ${v.domain},
  ...operators,
  host: {
    kind: "dedicated",
    model: "AX41-NVMe",
    location: "fsn1",
    robotServerNumber: ${v.robot},
    ipv4: ${v.ipv4},
    ipv6Net: ${v.ipv6},
    sshHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM0yA7Ue3gTgI3Jw1r1o2bQp8xjvS7x9mMZ1i6oYk0cR",
    diskGb: 476,
  },
  k3s: { version: "v1.33.5+k3s1" },
  objectStorage: { location: "fsn1", buckets: { ocis: ${v.ocis}, etcd: ${v.etcd} } },
  backup: { primaryLocation: "fsn1", drLocation: "hel1" },
  versions: platformVersions,
  costCeilingEur: 120,
});
`;
}

function newCell(
  name: string,
  change: Record<string, string>,
  field: string,
  fix: string | RegExp,
  pair: string | null = PROD,
): MalformedCase {
  return {
    name,
    apply: (s: ScratchConfig) => s.write(CELL_B, cellB(change)),
    expect: [{ file: CELL_B, field, fix, pair: pair ?? undefined }],
  };
}

const adminCidrs = (list: string) => `...operators,\n  adminCidrs: ${list},`;

export const ENVIRONMENT_CASES: MalformedCase[] = [
  edit(
    "server IPv4 999.1.1.1 (was: a crash deep in the DNS component)",
    PROD,
    '"198.51.100.24"',
    '"999.1.1.1"',
    "host.ipv4",
    "four numbers from 0 to 255",
  ),
  edit(
    "server IPv4 that is private",
    PROD,
    '"198.51.100.24"',
    '"10.0.0.5"',
    "host.ipv4",
    "copy the main IPv4 from Robot",
  ),
  edit(
    "admin CIDR 300.1.2.3/32",
    DEV,
    "...operators,",
    adminCidrs('["300.1.2.3/32"]'),
    "adminCidrs.0",
    "each IPv4 number 0-255",
  ),
  edit(
    "admin CIDR with host bits set",
    DEV,
    "...operators,",
    adminCidrs('["203.0.113.7/28"]'),
    "adminCidrs.0",
    "write the network 203.0.113.0/28",
  ),
  edit(
    "admin CIDR half the internet",
    DEV,
    "...operators,",
    adminCidrs('["0.0.0.0/1"]'),
    "adminCidrs.0",
    "list your office or VPN networks",
  ),
  edit(
    "admin CIDR ::/0",
    DEV,
    "...operators,",
    adminCidrs('["::/0"]'),
    "adminCidrs.0",
    "list your office or VPN networks",
  ),
  edit(
    "admin CIDR prefix /33",
    DEV,
    "...operators,",
    adminCidrs('["203.0.113.0/33"]'),
    "adminCidrs.0",
    "up to /32",
  ),
  edit(
    "the same admin network spelt twice",
    DEV,
    "...operators,",
    adminCidrs('["2001:db8:10::/48", "2001:0db8:0010::/48"]'),
    "adminCidrs.1",
    "remove one",
  ),
  edit(
    "server IPv6 network that is a /48",
    PROD,
    '"2a01:4f8:10a:1f2d::/64"',
    '"2a01:4f8:10a::/48"',
    "host.ipv6Net",
    "routes a /64 to each server",
  ),
  edit(
    "server IPv6 network that is link-local",
    PROD,
    '"2a01:4f8:10a:1f2d::/64"',
    '"fe80::/64"',
    "host.ipv6Net",
    "copy the IPv6 /64 from Robot",
  ),
  edit(
    "server IPv6 network with a typo",
    PROD,
    '"2a01:4f8:10a:1f2d::/64"',
    '"2a01:4f8:10a:1g2d::/64"',
    "host.ipv6Net",
    "is not an IPv6 network",
  ),
  edit(
    "server IPv6 given as an IPv4 network",
    PROD,
    '"2a01:4f8:10a:1f2d::/64"',
    '"198.51.100.0/24"',
    "host.ipv6Net",
    "write the server's IPv6 /64",
  ),
  edit(
    "staging's domain equal to prod's",
    STAGING,
    '"staging.dezky.eu"',
    '"dezky.eu"',
    "domain",
    "give each cell its own domain",
  ),
  edit(
    "staging's domain on a platform host of prod",
    STAGING,
    '"staging.dezky.eu"',
    '"auth.dezky.eu"',
    "domain",
    "choose another name under dezky.eu",
  ),
  edit(
    "dev bucket equal to prod's",
    DEV,
    '"dezky-dev-ocis"',
    '"dezky-prod-fsn1-a-ocis"',
    "objectStorage.buckets.ocis",
    "bucket names are global",
    PROD,
  ),
  edit(
    "dev cell id equal to prod's",
    DEV,
    'cell: "dev"',
    'cell: "prod-fsn1-a"',
    "cell",
    "give each cell its own id",
    PROD,
  ),
  edit(
    "OCIS and etcd in one bucket",
    DEV,
    '"dezky-dev-etcd"',
    '"dezky-dev-ocis"',
    "objectStorage.buckets.etcd",
    "etcd snapshots need their own bucket",
  ),
  edit(
    "misspelt top-level key",
    DEV,
    "costCeilingEur: 60,",
    "costCeilingEur: 60,\n  costCeilingEuro: 60,",
    "costCeilingEuro",
    /did you mean "costCeilingEur"|correct its spelling/,
  ),
  edit(
    "unknown key in the host",
    PROD,
    "diskGb: 476,",
    'diskGb: 476,\n    ipv6: "2a01:4f8::1",',
    "host.ipv6",
    /remove the field|correct its spelling/,
  ),
  edit(
    "stack field that is not the file name (was: the blame put on stacks/production.ts)",
    PROD,
    'stack: "prod"',
    'stack: "production"',
    "stack",
    'set stack: "prod"',
  ),
  edit(
    "canary on a development cell",
    DEV,
    "production: false,",
    "production: false,\n  canary: true,",
    "canary",
    "only a production cell can be the canary",
  ),
  edit(
    "k3s version latest",
    DEV,
    '"v1.33.5+k3s1"',
    '"latest"',
    "k3s.version",
    "write it like v1.33.5+k3s1",
  ),
  edit(
    "a location outside the EU",
    DEV,
    'location: "nbg1", diskGb',
    'location: "ash", diskGb',
    "host.location",
    "value of the expected type",
  ),
  edit(
    "a production cell on a cloud server",
    STAGING,
    "production: false,",
    "production: true,",
    "host.kind",
    "set host.kind to dedicated",
  ),
  edit(
    "disaster recovery in the primary site",
    DEV,
    'drLocation: "hel1"',
    'drLocation: "nbg1"',
    "backup.drLocation",
    "use hel1",
  ),
  edit(
    "cost ceiling as text",
    DEV,
    "costCeilingEur: 60",
    'costCeilingEur: "60"',
    "costCeilingEur",
    "value of the expected type",
  ),
  edit(
    "stack id with a trailing hyphen",
    DEV,
    'cell: "dev"',
    'cell: "dev-"',
    "cell",
    "lower-case words joined by single hyphens",
  ),
  edit(
    "syntax error",
    DEV,
    "costCeilingEur: 60,",
    "costCeilingEur: 60,,",
    "costCeilingEur",
    "correct the syntax",
  ),
  edit(
    "an ACME address that is not one",
    DEV,
    "...operators,",
    '...operators,\n  acmeEmail: "ops-at-dezky.eu",',
    "acmeEmail",
    "write it like name@example.com",
  ),
  newCell(
    "a second cell reusing prod's server",
    { robot: "2345678" },
    "host.robotServerNumber",
    "each cell adopts its own server",
  ),
  newCell(
    "a second cell reusing prod's IPv4",
    { ipv4: '"198.51.100.24"' },
    "host.ipv4",
    "each cell adopts its own server",
  ),
  newCell(
    "a second cell reusing prod's IPv6 network, spelt differently",
    { ipv6: '"2a01:04f8:010a:1f2d::/64"' },
    "host.ipv6Net",
    "each cell adopts its own server",
  ),
  newCell(
    "a second cell reusing prod's buckets",
    { etcd: '"dezky-prod-fsn1-a-etcd"' },
    "objectStorage.buckets.etcd",
    "bucket names are global",
  ),
  newCell(
    "a second cell whose stack differs from its file name",
    { stack: '"prod-b"' },
    "stack",
    "rename the file to stacks/prod-b.ts",
    null,
  ),
  {
    name: "two canary cells",
    apply: (s) => {
      s.write(CELL_B, cellB({ extra: "\n  canary: true," }));
    },
    expect: [
      {
        file: CELL_B,
        field: "canary",
        fix: "at most one production cell is deployed first",
        pair: PROD,
      },
    ],
  },
  {
    name: "a cell file that TypeScript would not load (.tsx)",
    apply: (s) => s.write("stacks/prod-fsn1-b.tsx", cellB()),
    expect: [
      { file: "stacks/prod-fsn1-b.tsx", field: "(file)", fix: "rename it to prod-fsn1-b.ts" },
    ],
  },
  {
    name: "extra nodes with one name",
    apply: (s) =>
      s.edit(
        DEV,
        "costCeilingEur: 60,",
        `costCeilingEur: 60,
  extraNodes: [
    { name: "worker", role: "agent", host: { kind: "cloud", serverType: "cx32", location: "nbg1", diskGb: 160 } },
    { name: "worker", role: "agent", host: { kind: "cloud", serverType: "cx32", location: "nbg1", diskGb: 160 } },
  ],`,
      ),
    expect: [{ file: DEV, field: "extraNodes.1.name", fix: "node names are unique in a cell" }],
  },
];
