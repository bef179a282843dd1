/**
 * One benchmark measurement in its own process (Pulumi's runtime state is process-global):
 *   program <stack> <tenantsRoot>            the real program under mocks
 *   record  <stack> <tenantsRoot> <out.json> the same, recording every registration
 *   floor   <stack> <recording.json>         the recording replayed as raw resources
 * Prints one line `BENCH_RESULT {"resources","wallMs","maxRssBytes"}` on stdout. With
 * BENCH_TRACE_FILE set it also writes what the mock engine saw (type, name, inputs, provider
 * per registration, and the URNs), so tests can check the floor registers the same as the
 * program; tracing costs time, so benchmark runs leave it off.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { mockState } from "./mock-outputs";
import type { RunMeasure } from "./bench-format";
import { type Recording, replay, startRecording } from "./bench-replay";

export const RESULT_PREFIX = "BENCH_RESULT ";

// tsx turns on Node's source maps; Pulumi takes `new Error().stack` for every promise it wraps
// (debuggablePromise), and source-mapping those stacks was ~30% of both program and floor.
// Off by default on both sides; BENCH_SOURCE_MAPS=1 measures with them.
if (process.env.BENCH_SOURCE_MAPS !== "1") process.setSourceMapsEnabled(false);

/** Fake secret config, the same values runStackUnderMocks uses (duplicated so the floor's
 *  process does not load the program to get them). */
const SECRET_CONFIG: Record<string, string> = {
  "hcloud:token": "mock-hcloud-token-0000000000000000000000000000000000000000000000000000",
  "dezky:s3AccessKey": "MOCKACCESSKEY0000000",
  "dezky:s3SecretKey": "mock-s3-secret-key-0000000000000000000000",
  "dezky:sshPrivateKey":
    "-----BEGIN OPENSSH PRIVATE KEY-----\nmock\n-----END OPENSSH PRIVATE KEY-----\n",
  "dezky:robotUser": "mock-robot-user",
  "dezky:robotPassword": "mock-robot-password",
  "dezky:stripeSecretKey": "sk_test_mock0000000000000000",
  "dezky:stripeWebhookSecret": "whsec_mock000000000000000000",
  "dezky:alertPingUrl": "https://hc-ping.invalid/mock-ping-key-000000",
  "dezky:hcloudDrToken": "mock-hcloud-dr-token-00000000000000000000000000000000000000000000000",
};

export interface TraceEntry {
  type: string;
  name: string;
  custom: boolean;
  provider?: string;
  /** JSON of the inputs as the engine received them (resource objects as "[resource]"). */
  inputs: string;
}

export interface Trace {
  registrations: TraceEntry[];
  urns: string[];
}

function stableJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (pulumi.Resource.isInstance(v)) return "[resource]";
    if (v && typeof v === "object") {
      if (seen.has(v)) return "[cycle]";
      seen.add(v);
      if (!Array.isArray(v)) {
        return Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        );
      }
    }
    return v;
  });
}

const trace: Trace | undefined = process.env.BENCH_TRACE_FILE
  ? { registrations: [], urns: [] }
  : undefined;

/**
 * Bytes of state the registrations would leave: each resource's type, name, inputs and outputs
 * as JSON, as a DIY backend stores them (without the engine's envelope: URNs, dependencies).
 * Counted only when recording (it costs time), so the timed runs leave it off.
 */
let stateBytes: number | undefined;

/** Sets up the mock engine; returns a counter of registered resources. */
async function mockEngine(stack: string): Promise<() => number> {
  let registered = 0;
  pulumi.runtime.setAllConfig(SECRET_CONFIG, Object.keys(SECRET_CONFIG));
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered++;
        trace?.registrations.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          ...(args.provider ? { provider: args.provider } : {}),
          inputs: stableJson(args.inputs),
        });
        const result = mockState(args.type, args.name, args.inputs as Record<string, unknown>);
        if (stateBytes !== undefined) {
          stateBytes += Buffer.byteLength(
            stableJson({
              type: args.type,
              name: args.name,
              inputs: args.inputs,
              outputs: result.state,
            }),
          );
        }
        return result;
      },
      call: (args) => {
        throw new Error(`the mock runtime has no answer for invoke ${args.token}`);
      },
    },
    "dezky",
    stack,
    false,
  );
  return () => registered;
}

/** Waits for every outstanding registration (the mock monitor answers asynchronously). */
async function settle(): Promise<void> {
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
  await settings.waitForRPCs();
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

async function measure(stack: string, work: () => Promise<unknown>): Promise<RunMeasure> {
  const start = performance.now();
  const count = await mockEngine(stack);
  await runInPulumiStack(work);
  await settle();
  const wallMs = performance.now() - start;
  if (trace && process.env.BENCH_TRACE_FILE) {
    const settings = require("@pulumi/pulumi/runtime/settings") as {
      getMonitor(): { getRegisteredResources(): Map<string, unknown> };
    };
    trace.urns = [...settings.getMonitor().getRegisteredResources().keys()];
    fs.writeFileSync(process.env.BENCH_TRACE_FILE, JSON.stringify(trace));
  }
  return {
    resources: count(),
    wallMs,
    maxRssBytes: peakRssBytes(),
    ...(stateBytes !== undefined ? { stateBytes } : {}),
  };
}

async function runProgram(stack: string, tenantsRoot: string, recordTo?: string) {
  // Loaded here, not at the top, so the floor's process never loads the program.
  const { program } = await import("../../stacks/program");
  let recorder: ReturnType<typeof startRecording> | undefined;
  const result = await measure(stack, () => {
    if (recordTo) recorder = startRecording(stack);
    return program(stack, { tenantsRoot });
  });
  if (recorder && recordTo) {
    fs.writeFileSync(recordTo, JSON.stringify(await recorder.finish()));
  }
  return result;
}

async function runFloor(stack: string, recordingFile: string) {
  const recording = JSON.parse(fs.readFileSync(recordingFile, "utf8")) as Recording;
  return measure(stack, () => {
    replay(recording);
    return Promise.resolve({});
  });
}

async function main(argv: string[]): Promise<RunMeasure> {
  const [mode, stack, a, b] = argv;
  if (mode === "program" && stack && a) return runProgram(stack, a);
  if (mode === "record" && stack && a && b) {
    stateBytes = 0;
    return runProgram(stack, a, b);
  }
  if (mode === "floor" && stack && a) return runFloor(stack, a);
  throw new Error(
    "usage: bench-child program <stack> <tenantsRoot> | record <stack> <tenantsRoot> <out.json> | floor <stack> <recording.json>",
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (result) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    },
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
