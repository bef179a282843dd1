/**
 * EU data residency: everything placed at Hetzner sits in Falkenstein, Nuremberg or Helsinki,
 * and no server is created without a location (Hetzner would pick one, possibly outside the EU).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isRole } from "./types";
import { read, str } from "./util";

export const EU_LOCATIONS = ["fsn1", "nbg1", "hel1"] as const;
/** Hetzner network zone of those locations. */
const EU_NETWORK_ZONE = "eu-central";

/** Location fields hcloud and our dynamic resources use. */
const LOCATION_FIELDS = ["location", "primaryLocation", "drLocation", "homeLocation"];

function locationOf(value: string): string {
  // A datacenter such as "fsn1-dc14" names its location first.
  return value.split("-")[0].toLowerCase();
}

/** Why this resource's placement breaks EU residency, or an empty list. */
export function residencyProblems(type: string, props: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const isHetzner = type.startsWith("hcloud:") || type.startsWith("pulumi-nodejs:dynamic/");
  if (!isHetzner) return problems;
  for (const field of LOCATION_FIELDS) {
    const v = str(props, field);
    if (v !== undefined && !(EU_LOCATIONS as readonly string[]).includes(locationOf(v))) {
      problems.push(`${field} "${v}" is outside the EU; use one of ${EU_LOCATIONS.join(", ")}`);
    }
  }
  const datacenter = str(props, "datacenter");
  if (
    datacenter !== undefined &&
    !(EU_LOCATIONS as readonly string[]).includes(locationOf(datacenter))
  ) {
    problems.push(
      `datacenter "${datacenter}" is outside the EU; use one in ${EU_LOCATIONS.join(", ")}`,
    );
  }
  const zone = str(props, "networkZone");
  if (zone !== undefined && zone !== EU_NETWORK_ZONE) {
    problems.push(`networkZone "${zone}" is outside the EU; use ${EU_NETWORK_ZONE}`);
  }
  if (isRole(type, "server")) {
    const location = read(props, "location");
    if (location === undefined && datacenter === undefined) {
      problems.push(
        `has no location: Hetzner would pick one; set location to one of ${EU_LOCATIONS.join(", ")}`,
      );
    }
  }
  return problems;
}

export const euDataResidency: ResourceValidationPolicy = {
  name: "eu-data-residency",
  description:
    "Every Hetzner resource is placed in fsn1, nbg1 or hel1; no server without a location.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    for (const problem of residencyProblems(args.type, args.props))
      report(`${args.name}: ${problem}.`);
  },
};
