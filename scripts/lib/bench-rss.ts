/**
 * Peak memory of a process tree: the plan's fast path runs its two partial programs in child
 * processes at the same time, so the peak that matters for a CI runner is the sum over the tree,
 * not the largest single process. Sampled from /proc (Linux); elsewhere nothing is sampled.
 */
import * as fs from "node:fs";

/** Resident set size of one process in bytes, from /proc/<pid>/status (VmRSS), or 0. */
export function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0; // the process has exited
  }
}

/** Parent of every live process (pid -> ppid), from /proc/<pid>/stat. */
function parents(): Map<number, number> {
  const result = new Map<number, number>();
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return result;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid ...; comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      result.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return result;
}

/** `root` and all its descendants. */
export function treeOf(root: number, parentOf: Map<number, number> = parents()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/** Samples the summed RSS of a process tree until stopped; `stop()` returns the peak in bytes. */
export function sampleTreeRss(root: number, everyMs = 200): { stop(): number } {
  let peak = 0;
  const sample = () => {
    const sum = treeOf(root).reduce((total, pid) => total + rssOf(pid), 0);
    if (sum > peak) peak = sum;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
