/**
 * One engine-suite run: the loopback services, a temporary folder with the file backend, the
 * stack's config and the tenant files, and the CLI bound to them.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENGINE_PROJECT, ENGINE_STACK } from "../project/constants";
import { Apis } from "./apis";
import { type CliResult, PulumiCli, TOOLS_BIN } from "./cli";
import { type Step, changesOf, errorsOf } from "./events";
import { TenantFiles } from "./tenant-files";

export const PLATFORM_DOMAIN = "dezky.test";
/** "Today" for the tenant lifecycle; purge tests move it past a retention date. */
export const TODAY = "2026-11-30";

export interface UpResult extends CliResult {
  planned: Step[];
  applied: Step[];
  errors: string[];
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Engine errors whose cause is not in the message, explained once here. */
const HINTS: Array<[RegExp, string]> = [
  [
    /Unexpected struct type/,
    "a dynamic provider returned an output whose value is undefined: the real dynamic-provider " +
      "host sends outputs through Struct.fromJavaScript (@pulumi/pulumi 3.276.0 " +
      "cmd/dynamic-provider/index.js:221), which rejects undefined; omit such keys instead",
  ],
  [
    /HTTP 401/,
    "a provider used a credential stored in the state (refresh and delete read inputs from " +
      "the state, not from the program): short-lived tokens there expire",
  ],
];

export class EngineWorld {
  readonly apis = new Apis();
  readonly workDir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-engine-"));
  readonly passphrase = `canary-passphrase-${randomBytes(16).toString("hex")}`;
  readonly cli = new PulumiCli({
    workDir: this.workDir,
    stack: ENGINE_STACK,
    passphrase: this.passphrase,
    log: progress,
  });
  readonly tenants = new TenantFiles(path.join(this.workDir, "tenants"));
  readonly log = progress;

  async start(): Promise<void> {
    const cli = path.join(TOOLS_BIN, "pulumi");
    if (!fs.existsSync(cli)) {
      throw new Error(`${cli} is missing: build the Pulumi CLI first with npm run tools:build`);
    }
    const urls = await this.apis.start();
    const { canaries } = this.apis;
    await this.cli.init(
      {
        "engine:endpoints": JSON.stringify(urls),
        "engine:platformDomain": PLATFORM_DOMAIN,
        "engine:production": "true",
        "engine:date": TODAY,
        "engine:tenantsDir": this.tenants.root,
      },
      {
        "engine:authentikToken": canaries.authentikToken,
        "engine:stalwartPassword": canaries.stalwartPassword,
        "engine:ocisServicePassword": canaries.ocisServicePassword,
      },
    );
  }

  async stop(): Promise<void> {
    await this.apis.stop();
    if (process.env.ENGINE_KEEP_WORKDIR === "1") this.log(`[engine] kept ${this.workDir}`);
    else fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  /**
   * `pulumi preview` (what the engine plans), then `pulumi up --skip-preview` (what it does).
   * The event log of an `up` holds only the update's events, so the plan needs its own run.
   */
  async deploy(label: string): Promise<UpResult> {
    const preview = await this.cli.preview(`${label}: preview`);
    const result = await this.up(label);
    return {
      ...result,
      planned: changesOf(preview.events),
      errors: [...errorsOf(preview.events), ...result.errors],
      code: preview.code || result.code,
    };
  }

  /** `pulumi up --skip-preview`: the steps applied (planned is empty). */
  async up(label: string): Promise<UpResult> {
    const result = await this.cli.up(label);
    return {
      ...result,
      planned: [],
      applied: changesOf(result.events),
      errors: errorsOf(result.events),
    };
  }

  /** Fails with the CLI's errors and output when the command did not succeed. */
  static expectSuccess(result: CliResult & { errors?: string[] }, what: string): void {
    if (result.code === 0) return;
    const errors = result.errors ?? errorsOf(result.events);
    const hints = HINTS.filter(([pattern]) => errors.some((e) => pattern.test(e))).map(
      ([, hint]) => `hint: ${hint}`,
    );
    throw new Error(
      `${what} failed (exit ${result.code}):\n${[...errors, ...hints].join("\n")}\n` +
        `${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
    );
  }

  get project(): string {
    return ENGINE_PROJECT;
  }
}
