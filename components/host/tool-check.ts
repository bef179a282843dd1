/**
 * Runs the real tools on rendered artifacts (test support): `cloud-init schema`, `shellcheck`,
 * `nft -c`. `nft -c` needs CAP_NET_ADMIN for its netlink cache; without it (unprivileged CI)
 * the check runs inside a fresh user+network namespace (`unshare -Urn`), where it has that
 * capability over an empty network stack. A missing tool fails the check with the apt package
 * to install; set DEZKY_SKIP_TOOL_CHECKS=1 only on machines that cannot install them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface ToolResult {
  ok: boolean;
  output: string;
}

export const TOOL_PACKAGES = {
  "cloud-init": "cloud-init",
  shellcheck: "shellcheck",
  nft: "nftables",
} as const;

export const skipToolChecks = process.env.DEZKY_SKIP_TOOL_CHECKS === "1";

function tempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-tool-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

function run(command: string, args: string[]): ToolResult & { missing: boolean } {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 60_000 });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
  return {
    ok: result.status === 0,
    missing,
    output: missing ? `${command} is not installed` : `${result.stdout}${result.stderr}`,
  };
}

function required(
  tool: keyof typeof TOOL_PACKAGES,
  result: ToolResult & { missing: boolean },
): ToolResult {
  if (result.missing) {
    return { ok: false, output: `${tool} is missing: apt-get install -y ${TOOL_PACKAGES[tool]}` };
  }
  return { ok: result.ok, output: result.output };
}

/** `cloud-init schema --config-file` on rendered user data. */
export function checkCloudInit(userData: string): ToolResult {
  return required(
    "cloud-init",
    run("cloud-init", ["schema", "--config-file", tempFile("user-data.yaml", userData)]),
  );
}

/** `shellcheck` (POSIX sh dialect unless the script says otherwise). */
export function checkShell(scriptText: string, shell: "sh" | "bash" = "sh"): ToolResult {
  return required(
    "shellcheck",
    run("shellcheck", ["-s", shell, "-S", "style", tempFile("script.sh", scriptText)]),
  );
}

/** `nft -c -f` (syntax and semantics, nothing applied). */
export function checkNftables(ruleset: string): ToolResult {
  const file = tempFile("ruleset.nft", ruleset);
  const direct = run("nft", ["-c", "-f", file]);
  if (direct.missing || direct.ok || !/Operation not permitted/.test(direct.output)) {
    return required("nft", direct);
  }
  const namespaced = run("unshare", ["-Urn", "nft", "-c", "-f", file]);
  return {
    ok: namespaced.ok,
    output: namespaced.ok
      ? namespaced.output
      : `nft -c needs CAP_NET_ADMIN and unshare -Urn failed too: ${namespaced.output}`,
  };
}
