/**
 * Drives the Pulumi CLI built by tools/build.sh on the engine project: a local file backend
 * and a passphrase secrets provider in a temporary folder, the stack's config file there too
 * (--config-file), and every operation's engine events written as JSON (--event-log) for the
 * assertions. Prints one progress line per command.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { type EngineEvent, parseEventLog } from "./events";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const TOOLS_BIN = path.join(REPO_ROOT, "tools", "bin");
export const PROJECT_DIR = path.join(REPO_ROOT, "test", "engine", "project");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Engine events of the operation (empty for commands without --event-log). */
  events: EngineEvent[];
}

export interface CliOptions {
  /** Root of everything this run writes (backend, PULUMI_HOME, config, event logs). */
  workDir: string;
  stack: string;
  passphrase: string;
  log?: (line: string) => void;
}

export class PulumiCli {
  private seq = 0;
  readonly backendDir: string;
  readonly configFile: string;

  constructor(private readonly options: CliOptions) {
    this.backendDir = path.join(options.workDir, "backend");
    this.configFile = path.join(options.workDir, `Pulumi.${options.stack}.yaml`);
    fs.mkdirSync(this.backendDir, { recursive: true });
    fs.mkdirSync(path.join(options.workDir, "home"), { recursive: true });
  }

  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${TOOLS_BIN}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(this.options.workDir, "home"),
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: this.options.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // --event-log exists only with debug commands on (cmd/pulumi/operations/up.go), as the
      // Automation API uses it.
      PULUMI_DEBUG_COMMANDS: "true",
      // Type checking is `npm run typecheck`'s job; ts-node only transpiles here.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      // The providers' timing, the one way it is set (components/providers/core/timing.ts):
      // production values, except that a DKIM publication check (on refresh) gives up fast,
      // since the test names resolve nowhere.
      DEZKY_PROVIDER_TIMING: JSON.stringify({ dnsTimeoutMs: 300 }),
      NO_COLOR: "1",
    };
  }

  /** Runs `pulumi <args>` in the project folder. */
  async run(
    label: string,
    args: string[],
    opts: { stdin?: string; events?: boolean } = {},
  ): Promise<CliResult> {
    const eventLog = opts.events
      ? path.join(this.options.workDir, `events-${String(++this.seq).padStart(2, "0")}.jsonl`)
      : undefined;
    const fullArgs = [
      ...args,
      "--non-interactive",
      "--color",
      "never",
      ...(eventLog ? ["--event-log", eventLog] : []),
    ];
    const started = Date.now();
    const child = spawn(path.join(TOOLS_BIN, "pulumi"), fullArgs, {
      cwd: PROJECT_DIR,
      env: this.env(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.stdin.end(opts.stdin ?? "");
    const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
    const seconds = (Date.now() - started) / 1000;
    const events =
      eventLog && fs.existsSync(eventLog) ? parseEventLog(fs.readFileSync(eventLog, "utf8")) : [];
    this.options.log?.(
      `[engine] ${label}: pulumi ${args[0]} exit ${code} in ${seconds.toFixed(1)} s`,
    );
    return { code, stdout, stderr, seconds, events };
  }

  /** Same as run, but a non-zero exit throws with the CLI's own output. */
  async ok(label: string, args: string[], opts: { stdin?: string; events?: boolean } = {}) {
    const result = await this.run(label, args, opts);
    if (result.code !== 0) {
      throw new Error(
        `${label}: pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  }

  private stackArgs(): string[] {
    return ["--stack", this.options.stack, "--config-file", this.configFile];
  }

  async init(config: Record<string, string>, secrets: Record<string, string>): Promise<void> {
    await this.ok("login", ["login", `file://${this.backendDir}`]);
    // `stack init` has no --config-file: it writes the passphrase's salt to the project's
    // Pulumi.<stack>.yaml. Move that file into this run's folder (a stale one from an
    // interrupted run would carry another passphrase's salt).
    const projectConfig = path.join(PROJECT_DIR, `Pulumi.${this.options.stack}.yaml`);
    fs.rmSync(projectConfig, { force: true });
    await this.ok("stack init", [
      "stack",
      "init",
      this.options.stack,
      "--secrets-provider",
      "passphrase",
    ]);
    fs.renameSync(projectConfig, this.configFile);
    for (const [key, value] of Object.entries(config)) {
      await this.ok(`config ${key}`, ["config", "set", key, value, ...this.stackArgs()]);
    }
    await this.setSecrets(secrets);
  }

  /** `pulumi config set --secret` for each key; values go in on stdin, never in a process listing. */
  async setSecrets(secrets: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(secrets)) {
      await this.ok(`config ${key}`, ["config", "set", "--secret", key, ...this.stackArgs()], {
        stdin: value,
      });
    }
  }

  preview(label: string, extra: string[] = []) {
    return this.run(label, ["preview", ...this.stackArgs(), ...extra], { events: true });
  }

  up(label: string, extra: string[] = []) {
    return this.run(label, ["up", "--yes", "--skip-preview", ...this.stackArgs(), ...extra], {
      events: true,
    });
  }

  refresh(label: string, extra: string[] = []) {
    return this.run(label, ["refresh", "--yes", "--skip-preview", ...this.stackArgs(), ...extra], {
      events: true,
    });
  }

  /** The stack's deployment as `pulumi stack export` prints it (secrets stay encrypted). */
  async exportState(): Promise<{ text: string; deployment: Deployment }> {
    const result = await this.ok("stack export", [
      "stack",
      "export",
      "--stack",
      this.options.stack,
    ]);
    return { text: result.stdout, deployment: JSON.parse(result.stdout) as Deployment };
  }

  /** The raw state file of the stack in the file backend. */
  stateFile(project: string): string {
    return path.join(this.backendDir, ".pulumi", "stacks", project, `${this.options.stack}.json`);
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom: boolean;
  parent?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface Deployment {
  version: number;
  deployment: { resources?: StateResource[]; secrets_providers?: unknown };
}
