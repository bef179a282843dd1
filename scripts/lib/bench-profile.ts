/**
 * Summary of a V8 CPU profile (`node --cpu-prof`): self time per function, top first, so a
 * missed benchmark target comes with where the time went.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

/** The parts of a .cpuprofile file this summary reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Node id of each sample. */
  samples: number[];
  /** Microseconds since the previous sample, per sample. */
  timeDeltas: number[];
}

export interface SelfTime {
  /** function (file:line), with node_modules paths shortened to the package. */
  name: string;
  selfMs: number;
  percent: number;
}

/** node_modules/@pulumi/pulumi/runtime/rpc.js -> @pulumi/pulumi/runtime/rpc.js */
export function shortLocation(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const nm = path.lastIndexOf("node_modules/");
  if (nm >= 0) return path.slice(nm + "node_modules/".length);
  const repo = path.search(/\/(components|stacks|tenants|scripts)\//);
  return repo >= 0 ? path.slice(repo + 1) : path;
}

function frameName(frame: CallFrame): string {
  const fn = frame.functionName || "(anonymous)";
  if (!frame.url) return fn;
  return `${fn} (${shortLocation(frame.url)}:${frame.lineNumber + 1})`;
}

/** Self time summed per key (a function, a package...), largest first. */
function selfTimeBy(profile: CpuProfile, keyOf: (frame: CallFrame) => string): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!node || us < 0) return;
    const key = keyOf(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + us);
    all += us;
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ name, selfMs: us / 1000, percent: all ? (100 * us) / all : 0 }));
}

/** Self time per function (same name and location merged), largest first. */
export function selfTimes(profile: CpuProfile, top = 15): SelfTime[] {
  return selfTimeBy(profile, frameName).slice(0, top);
}

/** Self time per package or repository folder (where a function lives), largest first. */
export function selfTimeByArea(profile: CpuProfile): SelfTime[] {
  return selfTimeBy(profile, areaOf);
}

/** "@pulumi/pulumi", "zod", "components", "node:internal", "(program)", "(garbage collector)". */
export function areaOf(frame: CallFrame): string {
  if (!frame.url) return frame.functionName || "(native)";
  const loc = shortLocation(frame.url);
  if (loc.startsWith("node:")) return "node internals";
  const parts = loc.split("/");
  if (frame.url.includes("node_modules/")) {
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (/^(components|stacks|tenants|scripts)$/.test(parts[0])) return `${parts[0]}/`;
  return loc;
}
