import { describe, expect, it } from "vitest";
import { environmentFor, STACKS } from "../../stacks/environments";
import { affectedStacks } from "./affected-stacks";
import {
  deployWaves,
  restrictWaves,
  type StackInfo,
  stackInfo,
  WAVE_ORDER,
  renderWaves,
  wavesOutputs,
} from "./affected-stacks-waves";

const info = (stack: string, production: boolean, canary = false): StackInfo => ({
  stack,
  production,
  canary,
});
/** dev, staging and ten production cells, the second one the canary. */
const TEN_CELLS = [
  info("dev", false),
  info("staging", false),
  ...Array.from({ length: 10 }, (_, i) => info(`prod-fsn1-${"abcdefghij"[i]}`, true, i === 1)),
];

describe("deployWaves", () => {
  it("today's stacks: dev, staging, then prod as the only (so canary) cell", () => {
    const waves = deployWaves(STACKS.map((s) => stackInfo(environmentFor(s))));
    expect(waves).toEqual({ dev: ["dev"], staging: ["staging"], canary: ["prod"], cells: [] });
  });

  it("ten cells: the marked one first, the nine others after it", () => {
    const waves = deployWaves(TEN_CELLS);
    expect(waves.canary).toEqual(["prod-fsn1-b"]);
    expect(waves.cells).toHaveLength(9);
    expect(waves.cells).not.toContain("prod-fsn1-b");
    expect(WAVE_ORDER.flatMap((w) => waves[w]).sort()).toEqual(
      TEN_CELLS.map((s) => s.stack).sort(),
    );
  });

  it("puts staging-* with staging and other non-production stacks with dev", () => {
    const waves = deployWaves([
      info("dev", false),
      info("staging-nbg1", false),
      info("dev-mail", false),
      info("staging", false),
    ]);
    expect(waves.dev).toEqual(["dev", "dev-mail"]);
    expect(waves.staging).toEqual(["staging-nbg1", "staging"]);
  });

  it("refuses several production cells without a canary, naming the files", () => {
    expect(() => deployWaves([info("prod", true), info("prod-fsn1-b", true)])).toThrow(
      "stacks/prod.ts, stacks/prod-fsn1-b.ts: canary: 2 production cells and none is marked canary: true; set it on exactly one (it deploys first)",
    );
  });

  it("refuses two canaries and a canary that is not production", () => {
    expect(() => deployWaves([info("prod", true, true), info("prod-b", true, true)])).toThrow(
      /stacks\/prod\.ts, stacks\/prod-b\.ts: canary: 2 production cells are marked/,
    );
    expect(() => deployWaves([info("dev", false, true)])).toThrow(
      "stacks/dev.ts: canary: only a production cell can be the canary",
    );
  });

  it("reads canary defensively: only a literal true counts", () => {
    expect(stackInfo({ stack: "p", production: true }).canary).toBe(false);
    expect(stackInfo({ stack: "p", production: true, canary: "yes" } as never).canary).toBe(false);
    expect(stackInfo({ stack: "p", production: true, canary: true } as never).canary).toBe(true);
  });
});

describe("affected stacks by wave, for any number of cells", () => {
  const stacks = TEN_CELLS.map((s) => s.stack);
  const waves = deployWaves(TEN_CELLS);

  it("a tenant of one cell deploys that cell only", () => {
    const affected = affectedStacks(["tenants/prod-fsn1-e/acme.ts"], stacks);
    expect(restrictWaves(waves, affected)).toEqual({
      dev: [],
      staging: [],
      canary: [],
      cells: ["prod-fsn1-e"],
    });
  });

  it("a new cell's own files affect that cell only", () => {
    expect(
      affectedStacks(["stacks/prod-fsn1-j.ts", "stacks/Pulumi.prod-fsn1-j.yaml"], stacks),
    ).toEqual(["prod-fsn1-j"]);
  });

  it("shared code deploys everything, canary before the cells", () => {
    const affected = affectedStacks(["components/cell.ts"], stacks);
    const json = JSON.parse(renderWaves(restrictWaves(waves, affected), "json")) as Record<
      string,
      string[]
    >;
    expect(json.stacks).toHaveLength(12);
    expect(json.stacks.indexOf("prod-fsn1-b")).toBeLessThan(json.stacks.indexOf("prod-fsn1-a"));
    expect(json.canary).toEqual(["prod-fsn1-b"]);
    expect(json.cells).toHaveLength(9);
    expect(json.production).toEqual([...json.canary, ...json.cells]);
    expect(json.preprod).toEqual(["dev", "staging"]);
  });

  it("prints one name=<json> line per output for $GITHUB_OUTPUT", () => {
    const lines = renderWaves(restrictWaves(waves, ["staging", "prod-fsn1-c"]), "github").split(
      "\n",
    );
    expect(lines).toEqual([
      'stacks=["staging","prod-fsn1-c"]',
      "dev=[]",
      'staging=["staging"]',
      "canary=[]",
      'cells=["prod-fsn1-c"]',
      'preprod=["staging"]',
      'production=["prod-fsn1-c"]',
    ]);
    expect(Object.keys(wavesOutputs(waves))).toHaveLength(lines.length);
  });
});
