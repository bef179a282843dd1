/**
 * The engine's JSON event log (`--event-log`, apitype.EngineEvent at the pinned CLI version:
 * sdk/go/common/apitype/events.go) reduced to what the suite asserts: the steps the engine
 * took or planned, per resource, with their diffs; diagnostics; policy findings; the summary.
 */

interface StepState {
  protect?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface StepMetadata {
  op: string;
  urn: string;
  type: string;
  diffs?: string[];
  detailedDiff?: Record<string, { diffKind: string; inputDiff: boolean }> | null;
  old?: StepState | null;
  new?: StepState | null;
}

export interface EngineEvent {
  sequence: number;
  resourcePreEvent?: { metadata: StepMetadata; planning?: boolean };
  resOutputsEvent?: { metadata: StepMetadata; planning?: boolean };
  resOpFailedEvent?: { metadata: StepMetadata; status: number; steps: number };
  diagnosticEvent?: { urn?: string; prefix?: string; message: string; severity: string };
  policyEvent?: {
    resourceUrn?: string;
    message: string;
    policyName: string;
    policyPackName: string;
    enforcementLevel: string;
  };
  /** Per resource: the policies it passed and failed (the analyzer ran). */
  policyAnalyzeSummaryEvent?: { resourceUrn: string; passed?: string[]; failed?: string[] };
  summaryEvent?: { resourceChanges: Record<string, number>; maybeCorrupt: boolean };
  cancelEvent?: object;
}

export function parseEventLog(text: string): EngineEvent[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

export interface Step {
  op: string;
  urn: string;
  type: string;
  /**
   * Why: the properties the provider reported, else the inputs that visibly differ between
   * old and new state, else `secret:<key>` for secret inputs (the event log shows secrets only
   * as "[secret]", so a change there is the one left). The Node.js dynamic-provider host
   * reports no property names (cmd/dynamic-provider diff sets only changes/replaces).
   */
  diffs: string[];
}

export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** How the engine shows a value not known until the update runs (resource.UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isSecret = (v: unknown): boolean =>
  typeof v === "object" && v !== null && SECRET_SIG in v;
const isUnknown = (v: unknown) => JSON.stringify(v ?? null).includes(UNKNOWN);
const differ = (a: unknown, b: unknown) =>
  !isSecret(a) && !isSecret(b) && JSON.stringify(a) !== JSON.stringify(b);

/** The reasons a step gives, as described on Step.diffs. */
export function reasonsOf(meta: StepMetadata): string[] {
  const reported = [...(meta.diffs ?? []), ...Object.keys(meta.detailedDiff ?? {})];
  if (reported.length > 0) return [...new Set(reported)].sort();
  const olds = meta.old?.inputs;
  const news = meta.new?.inputs;
  if (!olds || !news) return [];
  const outs = meta.old?.outputs ?? {};
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].sort();
  const label = (k: string) => (isUnknown(news[k]) ? `${k}=unknown` : k);
  const changed = keys.filter((k) => differ(olds[k], news[k])).map(label);
  if (changed.length > 0) return changed;
  // Same inputs: the object drifted from them (a refresh stored what the service reports).
  const drifted = keys.filter((k) => k in outs && differ(outs[k], news[k]));
  if (drifted.length > 0) return drifted.map((k) => `${k} (drifted)`);
  return keys.filter((k) => isSecret(olds[k]) || isSecret(news[k])).map((k) => `secret:${k}`);
}

const NO_CHANGE = new Set(["same", "read", "refresh"]);

/**
 * What the engine did (or, in a preview, plans to do) to each resource: the last step event
 * per URN. Refresh steps report the refresh's verdict (update = drift, delete = gone). A step
 * the engine attempted and that failed is reported as `failed-<op>`.
 */
export function stepsOf(events: EngineEvent[]): Step[] {
  const byUrn = new Map<string, Step>();
  const failed = new Set<string>();
  for (const event of events) {
    if (event.resOpFailedEvent) failed.add(event.resOpFailedEvent.metadata.urn);
    const meta = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
    // The stack and default providers are the engine's own bookkeeping.
    if (!meta || meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("pulumi:providers:")) {
      continue;
    }
    const step = { op: meta.op, urn: meta.urn, type: meta.type, diffs: reasonsOf(meta) };
    // A replacement is several steps on one URN; keep the one that names it. Outputs events
    // carry no old inputs: keep the reasons the step's pre-event gave.
    const previous = byUrn.get(meta.urn);
    if (previous?.op === "replace" && step.op !== "replace") continue;
    if (previous && step.op === previous.op && step.diffs.length === 0) step.diffs = previous.diffs;
    byUrn.set(meta.urn, step);
  }
  for (const urn of failed) {
    const step = byUrn.get(urn);
    if (step) step.op = `failed-${step.op}`;
  }
  return [...byUrn.values()];
}

/** Steps that change something (everything but same/read/refresh-without-drift). */
export function changesOf(events: EngineEvent[]): Step[] {
  return stepsOf(events).filter((s) => !NO_CHANGE.has(s.op));
}

/** Resource name: the last URN segment (urn:pulumi:stack::project::type$type::name). */
export function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** "op name (diffs)" lines, sorted: the form assertion messages print. */
export function describe(steps: Step[]): string[] {
  return steps
    .map((s) => `${s.op} ${nameOf(s.urn)}${s.diffs.length ? ` (${s.diffs.join(", ")})` : ""}`)
    .sort();
}

/** Error diagnostics, one line each. */
export function errorsOf(events: EngineEvent[]): string[] {
  return events
    .filter((e) => e.diagnosticEvent?.severity === "error")
    .map(
      (e) =>
        `${e.diagnosticEvent!.urn ? `${nameOf(e.diagnosticEvent!.urn)}: ` : ""}${e.diagnosticEvent!.message.trim()}`,
    );
}

export interface PolicyFinding {
  policy: string;
  /** Resource name; undefined for a stack-wide finding. */
  resource?: string;
  level: string;
  message: string;
}

/** The type segment of a URN (urn:pulumi:stack::project::parent$type::name). */
export function typeOf(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/** Policy violations; a stack policy's finding on the stack itself has no resource. */
export function policyFindings(events: EngineEvent[]): PolicyFinding[] {
  return events
    .filter((e) => e.policyEvent)
    .map((e) => ({
      policy: e.policyEvent!.policyName,
      resource:
        e.policyEvent!.resourceUrn && typeOf(e.policyEvent!.resourceUrn) !== "pulumi:pulumi:Stack"
          ? nameOf(e.policyEvent!.resourceUrn)
          : undefined,
      level: e.policyEvent!.enforcementLevel,
      message: e.policyEvent!.message,
    }));
}
