/**
 * Hetzner Cloud server types the API no longer offers for new servers. Hetzner's own note:
 * "The CX Gen 2 and CPX Gen 1 types are deprecated and will be removed from the API at the end
 * of the year" (hetznercloud/terraform-provider-hcloud commit c9cdbb9c, 2025-10-28, which moved
 * every example from cx22 to cx23; its e2e tests now use cpx12/cpx22, teste2e/testing.go:23 at
 * v1.68.0). Creating a server of a removed type fails in the provider ("server type ... not
 * found" or "unavailable", internal/server/resource.go:311-377 at v1.68.0); this check lets the
 * environment validation say so before any call.
 */

/** CX Gen 2 (cx22..cx52) and CPX Gen 1 (cpx11..cpx51). */
export const RETIRED_SERVER_TYPES = [
  "cx22",
  "cx32",
  "cx42",
  "cx52",
  "cpx11",
  "cpx21",
  "cpx31",
  "cpx41",
  "cpx51",
] as const;

/** Successors named in the upstream sources above; the others are left to `hcloud server-type list`. */
const SUCCESSOR: Record<string, string> = { cx22: "cx23", cpx11: "cpx12", cpx21: "cpx22" };

/** Why a server of this type cannot be created any more, or undefined. */
export function serverTypeProblem(serverType: string): string | undefined {
  if (!(RETIRED_SERVER_TYPES as readonly string[]).includes(serverType)) return undefined;
  return (
    `server type ${serverType} is a retired generation that the Hetzner Cloud API no longer ` +
    `creates; set host.serverType in the environment file to a current type ` +
    `(${SUCCESSOR[serverType] ?? "see `hcloud server-type list`"}) and add its price to scripts/prices`
  );
}
