/**
 * Backups: each cell has a primary and a disaster-recovery Storage Box in two different
 * locations, the DR box is not where the host is, Samba/WebDAV are off and delete protection
 * is on, so one site's loss or a stray `pulumi destroy` keeps a copy.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type FactsSource, NO_FACTS } from "./facts";
import { isRole, TYPES } from "./types";
import { read, str } from "./util";

/** Label that names a box's role; the resource name is the fallback ("...-dr", "...-primary"). */
export const ROLE_LABEL = "dezky.io/role";

export type BoxRole = "primary" | "dr" | "unknown";

/** The backup role of a Storage Box, from its role label or its name. */
export function boxRole(box: Pick<PolicyResource, "name" | "props">): BoxRole {
  const label = (str(read(box.props, "labels"), ROLE_LABEL) ?? "").toLowerCase();
  const text = label || box.name.toLowerCase();
  if (/(^|[-_])dr($|[-_])|disaster/.test(text)) return "dr";
  if (/primary|(^|[-_])backup($|[-_])/.test(text)) return "primary";
  return "unknown";
}

/** Per-box problems: access protocols and delete protection. */
export function boxProblems(box: Pick<PolicyResource, "name" | "props">): string[] {
  const problems: string[] = [];
  const access = read(box.props, "accessSettings");
  if (read(access, "sambaEnabled") !== false)
    problems.push("Samba must be off (accessSettings.sambaEnabled: false)");
  if (read(access, "webdavEnabled") !== false)
    problems.push("WebDAV must be off (accessSettings.webdavEnabled: false)");
  if (read(box.props, "deleteProtection") !== true)
    problems.push("delete protection must be on (deleteProtection: true)");
  return problems;
}

/** Cell-level problems: a primary and a DR box exist, in different places, DR away from the host. */
export function backupLayoutProblems(boxes: PolicyResource[], hostLocations: string[]): string[] {
  const problems: string[] = [];
  const primaries = boxes.filter((b) => boxRole(b) === "primary");
  const drs = boxes.filter((b) => boxRole(b) === "dr");
  if (primaries.length === 0)
    problems.push("the cell has no primary backup Storage Box (name or label it primary)");
  if (drs.length === 0)
    problems.push("the cell has no disaster-recovery Storage Box (name or label it dr)");
  for (const dr of drs) {
    const drLocation = str(dr.props, "location");
    for (const primary of primaries) {
      if (drLocation && drLocation === str(primary.props, "location")) {
        problems.push(
          `DR box ${dr.name} is in ${drLocation}, the same location as primary box ${primary.name}`,
        );
      }
    }
    if (drLocation && hostLocations.includes(drLocation)) {
      problems.push(
        `DR box ${dr.name} is in ${drLocation}, where the host is; move it to another location`,
      );
    }
  }
  return problems;
}

export function backupStorageBoxes(facts: FactsSource = NO_FACTS): StackValidationPolicy {
  return {
    name: "backup-storage-boxes",
    description:
      "Each cell has a primary and a DR Storage Box in different locations, DR away from the host; Samba/WebDAV off; delete protection on.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
      const boxes = args.resources.filter((r) => isRole(r.type, "storageBox"));
      const hostLocations = [
        ...args.resources
          .filter((r) => isRole(r.type, "server"))
          .map((r) => str(r.props, "location")),
        facts().hostLocation,
      ].filter((l): l is string => typeof l === "string");
      for (const problem of backupLayoutProblems(boxes, hostLocations))
        report(`${problem} (${TYPES.storageBox[0]}).`);
      for (const box of boxes) {
        for (const problem of boxProblems(box))
          report(`Storage Box ${box.name}: ${problem}.`, box.urn);
      }
    },
  };
}
