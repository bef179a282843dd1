/**
 * The commit a stack last deployed, from its own deployment history: `pulumi stack history
 * --json` lists updates newest first (DIY backend: pkg/backend/diy/state.go getHistory), each
 * with `kind`, `result` and the `environment` the CLI recorded, where `git.head` is the commit
 * checked out when `pulumi up` ran (pkg/backend/updates.go GitHead; pulumi/pulumi v3.259.0).
 * The newest successful `update` with a git.head wins; refreshes, failed and running updates
 * deployed nothing new.
 */

export interface HistoryEntry {
  version?: number;
  kind?: string;
  result?: string;
  environment?: Record<string, string>;
}

export type LastDeployed =
  | { kind: "commit"; commit: string; version?: number }
  | { kind: "never" }
  | { kind: "unknown"; reason: string };

const SHA = /^[0-9a-f]{40}$/;

/** Reads `pulumi stack history --json` output. */
export function lastDeployedCommit(historyJson: string): LastDeployed {
  const text = historyJson.trim();
  // The CLI prints nothing or `null` for a stack that was never updated.
  if (text === "" || text === "null") return { kind: "never" };
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    return { kind: "unknown", reason: "pulumi stack history --json did not print JSON" };
  }
  if (!Array.isArray(entries)) {
    return { kind: "unknown", reason: "pulumi stack history --json did not print a list" };
  }
  const updates = (entries as HistoryEntry[]).filter(
    (e) => e.kind === "update" && e.result === "succeeded",
  );
  if (updates.length === 0) return { kind: "never" };
  const found = updates.find((e) => SHA.test(e.environment?.["git.head"] ?? ""));
  if (!found) {
    return {
      kind: "unknown",
      reason: `${updates.length} successful update(s) in the history, none recording git.head (deployed outside a git checkout?)`,
    };
  }
  return { kind: "commit", commit: found.environment!["git.head"], version: found.version };
}
