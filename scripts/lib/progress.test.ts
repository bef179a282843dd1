import { describe, expect, it } from "vitest";
import { createProgress, progressEnabled, renderProgressLine } from "./progress";

function terminal(isTTY = true) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (t: string) => writes.push(t) } };
}

describe("progressEnabled", () => {
  it("shows on a terminal only, never in CI or for --format json", () => {
    const tty = { isTTY: true, write: () => true };
    expect(progressEnabled(tty, {})).toBe(true);
    expect(progressEnabled(tty, {}, "markdown")).toBe(true);
    expect(progressEnabled({ isTTY: false, write: () => true }, {})).toBe(false);
    expect(progressEnabled({ write: () => true }, {})).toBe(false);
    expect(progressEnabled(tty, { CI: "true" })).toBe(false);
    expect(progressEnabled(tty, { CI: "1" })).toBe(false);
    expect(progressEnabled(tty, { CI: "false" })).toBe(true);
    expect(progressEnabled(tty, {}, "json")).toBe(false);
    expect(progressEnabled(tty, { DEZKY_PROGRESS: "0" })).toBe(false);
  });
});

describe("renderProgressLine", () => {
  it("says the phase, resources registered, stacks done and time", () => {
    expect(
      renderProgressLine({
        label: "plan prod",
        phase: "running the program",
        resources: 41189,
        elapsedMs: 83_400,
      }),
    ).toBe("plan prod: running the program · 41189 resources registered · 1 min 23 s");
    expect(
      renderProgressLine({
        label: "cost",
        phase: "prod-fsn1-c",
        resources: 0,
        done: 3,
        total: 10,
        elapsedMs: 4_200,
      }),
    ).toBe("cost: prod-fsn1-c · 3/10 stacks done · 4 s");
  });

  it("fits the terminal's width", () => {
    const line = renderProgressLine(
      { label: "plan", phase: "x".repeat(200), resources: 1, elapsedMs: 0 },
      40,
    );
    expect(line).toHaveLength(39);
    expect(line.endsWith("…")).toBe(true);
  });
});

describe("createProgress", () => {
  it("redraws one line in place, at most every interval, and clears it at the end", () => {
    const { writes, stream } = terminal();
    let t = 0;
    const p = createProgress("plan dev", { stream, env: {}, now: () => t, intervalMs: 100 });
    p.phase("running the program");
    for (let i = 0; i < 50; i++) {
      t += 5;
      p.resource();
    }
    p.end();
    // phase (forced) + one redraw per 100 ms of 250 ms + the final clear.
    expect(writes).toHaveLength(1 + 2 + 1);
    expect(writes.every((w) => w.startsWith("\r\x1b[2K"))).toBe(true);
    expect(writes[2]).toContain("40 resources registered");
    expect(writes.at(-1)).toBe("\r\x1b[2K");
    expect(writes.join("")).not.toContain("\n");
  });

  it("writes nothing when not on a terminal, in CI, or for JSON", () => {
    for (const [tty, env, format] of [
      [false, {}, "text"],
      [true, { CI: "true" }, "text"],
      [true, {}, "json"],
    ] as const) {
      const { writes, stream } = terminal(tty);
      const p = createProgress("plan", { stream, env, format });
      p.phase("x");
      p.resource();
      p.stacks(1, 2);
      p.end();
      expect(p.enabled).toBe(false);
      expect(writes).toEqual([]);
    }
  });

  it("counts stacks done", () => {
    const { writes, stream } = terminal();
    const p = createProgress("cost", { stream, env: {} });
    p.stacks(2, 12);
    expect(writes.at(-1)).toContain("2/12 stacks done");
  });
});
